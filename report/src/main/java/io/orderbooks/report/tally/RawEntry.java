package io.orderbooks.report.tally;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.layout.InvalidNameException;
import io.orderbooks.shared.layout.RawFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One raw file identity ({@code <stream>-<hour>-<instance>-<seq>}) and which of its three forms exist on disk: the
 * closed {@code .jsonl.gz}, its {@code .manifest.json}, the {@code .open} file being written.
 */
final class RawEntry {

    final RawFile id;
    Path closed;
    Path manifest;
    Path open;

    private RawEntry(RawFile id) {
        this.id = id;
    }

    String stream() {
        return id.stream().value();
    }

    String instance() {
        return id.instance().value();
    }

    /**
     * Every raw file under {@code raw/<stream>/dt=…/hour=…/}, in file order (stream, hour, instance, sequence), as the
     * contract's {@link DataDirScan} lists them: files outside their partition folder, hidden files (temp files,
     * stream locks) and names that are not raw file names are not data.
     */
    static List<RawEntry> scan(DataDir dir) throws IOException {
        List<RawEntry> out = new ArrayList<>();
        try {
            for (DataDirScan.RawEntry found : DataDirScan.raw(dir)) {
                if (found.closed() == null && found.manifest() == null && found.open() == null) {
                    continue; // only a temp file of an interrupted write
                }
                RawEntry e = new RawEntry(found.id());
                e.closed = found.closed();
                e.manifest = found.manifest();
                e.open = found.open();
                out.add(e);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    /** The hour of a raw file named by a data-dir relative path, or null when the name is not a raw file's. */
    static Instant hourOf(String path) {
        if (path == null) {
            return null;
        }
        try {
            return RawFile.parse(Path.of(path).getFileName().toString()).hour();
        } catch (InvalidNameException | java.nio.file.InvalidPathException e) {
            return null;
        }
    }
}
