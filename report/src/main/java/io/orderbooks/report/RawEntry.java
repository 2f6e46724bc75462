package io.orderbooks.report;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InvalidNameException;
import io.orderbooks.shared.layout.RawFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One raw file identity ({@code <stream>-<hour>-<instance>-<seq>}) and which of its three forms exist on disk: the
 * closed {@code .jsonl.gz}, its {@code .manifest.json}, the {@code .open} file being written.
 */
final class RawEntry {
    static final Comparator<RawEntry> FILE_ORDER = Comparator.<RawEntry, String>comparing(e -> e.id.stream().value())
            .thenComparing(e -> e.id.hour()).thenComparing(e -> e.id.instance().value()).thenComparingInt(e -> e.id.seq());

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
     * Every raw file under {@code raw/<stream>/dt=…/hour=…/}, in file order (stream, hour, instance, sequence).
     * Hidden files (temp files, stream locks) and names that are not raw file names are not data and are skipped.
     */
    static List<RawEntry> scan(DataDir dir) throws IOException {
        Map<String, RawEntry> byBase = new TreeMap<>();
        if (!Files.isDirectory(dir.raw())) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir.raw(), 4)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(p)) {
                    continue;
                }
                RawFile id;
                try {
                    id = RawFile.parse(name);
                } catch (InvalidNameException e) {
                    continue;
                }
                RawEntry e = byBase.computeIfAbsent(id.baseName(), b -> new RawEntry(id));
                if (name.endsWith(RawFile.OPEN_SUFFIX)) {
                    e.open = p;
                } else if (name.endsWith(RawFile.MANIFEST_SUFFIX)) {
                    e.manifest = p;
                } else {
                    e.closed = p;
                }
            }
        }
        List<RawEntry> out = new ArrayList<>(byBase.values());
        out.sort(FILE_ORDER);
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
