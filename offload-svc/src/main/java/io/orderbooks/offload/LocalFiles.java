package io.orderbooks.offload;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.TokensHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Finds the closed files that have a manifest, oldest hour first: raw files under {@code raw/}, and discovery's history
 * copies under {@code discovery/history/} (their manifests are written by discovery-svc, {@link TokensHistory}), both
 * as the contract's {@link DataDirScan} lists them. {@code .open} files, closed files still waiting for their
 * manifest, temp files, files outside their partition folder and anything under {@code quarantine/} are never
 * returned, so nothing downstream can upload or delete them.
 */
public final class LocalFiles {
    private static final Logger LOG = Logger.getLogger(LocalFiles.class);
    /** Oldest data first, then a stable order: stream, instance, sequence. */
    static final Comparator<LocalFile> OLDEST_FIRST =
            Comparator.comparing(LocalFile::hour).thenComparing(LocalFile::sortKey);

    private final DataDir dir;

    public LocalFiles(DataDir dir) {
        this.dir = dir;
    }

    public List<LocalFile> closedWithManifest() {
        List<LocalFile> out = new ArrayList<>();
        for (DataDirScan.RawEntry e : DataDirScan.raw(dir)) {
            if (e.closed() == null || e.manifest() == null) {
                continue; // no manifest yet (the writer writes it right after the rename; recovery rebuilds a lost one)
            }
            // Stream, instance, sequence (NUL-separated, so a stream that is a prefix of another sorts first).
            String sortKey = e.id().stream().value()
                    + '\0'
                    + e.id().instance().value()
                    + '\0'
                    + String.format("%09d", e.id().seq());
            load(e.closed(), e.manifest(), e.id().hour(), sortKey).ifPresent(out::add);
        }
        for (DataDirScan.HistoryCopy c : DataDirScan.history(dir)) {
            if (c.manifest() == null) {
                continue;
            }
            // After every raw file of the same hour; by name (= generation time) among themselves.
            String sortKey = "~history\0" + c.copy().getFileName();
            load(c.copy(), c.manifest(), c.generatedAt().truncatedTo(ChronoUnit.HOURS), sortKey)
                    .ifPresent(out::add);
        }
        out.sort(OLDEST_FIRST);
        return out;
    }

    private Optional<LocalFile> load(Path p, Path manifestPath, Instant hour, String sortKey) {
        try {
            byte[] bytes = Files.readAllBytes(manifestPath);
            FileManifest m = FileManifest.parse(bytes);
            return Optional.of(new LocalFile(
                    hour, sortKey, p, manifestPath, dir.relative(p), dir.relative(manifestPath), m, bytes));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted meanwhile (retention, or an operator)
        } catch (IOException e) {
            LOG.warnf("skipping %s: its manifest cannot be read (%s)", dir.relative(p), e.getMessage());
            return Optional.empty();
        }
    }
}
