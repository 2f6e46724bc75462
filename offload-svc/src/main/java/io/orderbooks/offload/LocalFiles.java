package io.orderbooks.offload;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InvalidNameException;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.TokensHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Finds the closed files that have a manifest, oldest hour first: raw files under {@code raw/}, and discovery's history
 * copies under {@code discovery/history/} (their manifests are written by discovery-svc, {@link TokensHistory}).
 * {@code .open} files, closed files still waiting for their manifest, temp files and anything under
 * {@code quarantine/} are never returned, so nothing downstream can upload or delete them.
 */
public final class LocalFiles {
    private static final Logger LOG = Logger.getLogger(LocalFiles.class);
    /** Oldest data first, then a stable order: stream, instance, sequence. */
    static final Comparator<LocalFile> OLDEST_FIRST = Comparator.comparing(LocalFile::hour)
            .thenComparing(LocalFile::sortKey);

    private final DataDir dir;

    public LocalFiles(DataDir dir) {
        this.dir = dir;
    }

    public List<LocalFile> closedWithManifest() {
        List<LocalFile> out = new ArrayList<>();
        raw(out);
        history(out);
        out.sort(OLDEST_FIRST);
        return out;
    }

    private void history(List<LocalFile> out) {
        Path root = TokensHistory.historyDir(dir);
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root, 2)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                var generated = TokensHistory.generatedAt(p.getFileName().toString());
                if (generated.isEmpty() || !TokensHistory.isCopy(dir, p)) {
                    continue; // manifests, temp files, anything not where discovery puts a copy
                }
                // After every raw file of the same hour; by name (= generation time) among themselves.
                String sortKey = "~history\0" + p.getFileName();
                load(p, TokensHistory.manifestPath(p), generated.get().truncatedTo(ChronoUnit.HOURS), sortKey)
                        .ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private void raw(List<LocalFile> out) {
        Path raw = dir.raw();
        if (!Files.isDirectory(raw)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(raw)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String name = p.getFileName().toString();
                if (!RawFile.isClosedName(name)) {
                    continue;
                }
                RawFile rawFile;
                try {
                    rawFile = RawFile.parse(p);
                } catch (InvalidNameException e) {
                    continue;
                }
                if (!p.equals(dir.closedPath(rawFile))) {
                    continue; // outside its partition folder: not a finished file of the contract, so not ours to upload
                }
                // Stream, instance, sequence (NUL-separated, so a stream that is a prefix of another sorts first).
                String sortKey = rawFile.stream().value() + '\0' + rawFile.instance().value() + '\0'
                        + String.format("%09d", rawFile.seq());
                load(p, dir.manifestPath(rawFile), rawFile.hour(), sortKey).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + raw + ": " + e.getMessage(), e);
        }
    }

    private java.util.Optional<LocalFile> load(Path p, Path manifestPath, Instant hour, String sortKey) {
        if (!Files.isRegularFile(manifestPath)) {
            // No manifest yet (the writer writes it right after the rename; recovery rebuilds a lost one): not ours.
            return java.util.Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(manifestPath);
            FileManifest m = FileManifest.parse(bytes);
            return java.util.Optional.of(new LocalFile(hour, sortKey, p, manifestPath, dir.relative(p), dir.relative(manifestPath), m, bytes));
        } catch (java.nio.file.NoSuchFileException e) {
            return java.util.Optional.empty(); // deleted meanwhile (retention, or an operator)
        } catch (IOException e) {
            LOG.warnf("skipping %s: its manifest cannot be read (%s)", dir.relative(p), e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
