package io.orderbooks.offload;

import io.orderbooks.shared.DataDir;
import io.orderbooks.shared.FileManifest;
import io.orderbooks.shared.InvalidNameException;
import io.orderbooks.shared.RawFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Finds the closed raw files that have a manifest, oldest hour first. {@code .open} files, closed files still
 * waiting for their manifest, temp files and anything under {@code quarantine/} are never returned, so nothing
 * downstream can upload or delete them.
 */
public final class LocalFiles {
    private static final Logger LOG = Logger.getLogger(LocalFiles.class);
    /** Oldest data first, then a stable order: stream, instance, sequence. */
    static final Comparator<LocalFile> OLDEST_FIRST = Comparator.comparing((LocalFile f) -> f.raw().hour())
            .thenComparing(f -> f.raw().stream().value())
            .thenComparing(f -> f.raw().instance().value())
            .thenComparingInt(f -> f.raw().seq());

    private final DataDir dir;

    public LocalFiles(DataDir dir) {
        this.dir = dir;
    }

    public List<LocalFile> closedWithManifest() {
        Path raw = dir.raw();
        if (!Files.isDirectory(raw)) {
            return List.of();
        }
        List<LocalFile> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(raw)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String name = p.getFileName().toString();
                if (!RawFile.isClosedName(name)) {
                    continue;
                }
                load(p).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + raw + ": " + e.getMessage(), e);
        }
        out.sort(OLDEST_FIRST);
        return out;
    }

    private java.util.Optional<LocalFile> load(Path p) {
        RawFile raw;
        try {
            raw = RawFile.parse(p);
        } catch (InvalidNameException e) {
            return java.util.Optional.empty();
        }
        Path manifestPath = dir.manifestPath(raw);
        if (!Files.isRegularFile(manifestPath) || !p.equals(dir.closedPath(raw))) {
            // No manifest yet (the writer writes it right after the rename; recovery rebuilds a lost one), or a file
            // outside its partition folder: not a finished file of the contract, so not ours to upload.
            return java.util.Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(manifestPath);
            FileManifest m = FileManifest.parse(bytes);
            return java.util.Optional.of(new LocalFile(raw, p, manifestPath, dir.relative(p), dir.relative(manifestPath), m, bytes));
        } catch (java.nio.file.NoSuchFileException e) {
            return java.util.Optional.empty(); // deleted meanwhile (retention, or an operator)
        } catch (IOException e) {
            LOG.warnf("skipping %s: its manifest cannot be read (%s)", dir.relative(p), e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
