package io.orderbooks.shared.manifests;

import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.layout.HistoryCopyName;
import io.orderbooks.shared.layout.InvalidNameException;
import io.orderbooks.shared.layout.StreamName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The gzip history copies of published token lists,
 * {@code discovery/history/YYYY-MM-DD/tokens-<YYYYMMDDTHHMMSSZ>-<instance>.json.gz} ({@link HistoryCopyName}; copies
 * written before the instance was in the name have none and are read alike), and their manifests ({@code <copy>.manifest.json}, the {@link FileManifest} of closed raw files: stream
 * {@code tokens_history}, {@code records} = tokens, {@code hour} = the list's generation time truncated to the hour,
 * bytes and hashes of the gzip). As for raw files, the manifest is written after its copy, so a manifest means the copy
 * is complete, and offload uploads, verifies and eventually deletes only copies that have one.
 */
public final class TokensHistory {
    public static final StreamName STREAM = StreamName.of("tokens_history");
    public static final String MANIFEST_SUFFIX = ".manifest.json";
    /** {@code closed_reason} of a copy's manifest written when the list was published. */
    public static final String PUBLISHED = "published";
    /** {@code closed_reason} of a manifest written later for a copy that had none (a kill in between, older versions). */
    public static final String MANIFEST_REPAIRED = "manifest-repaired";

    private TokensHistory() {}

    /** The generation time in a copy's file name, or empty when the name is not a history copy's. */
    public static Optional<Instant> generatedAt(String fileName) {
        return DataDirScan.historyCopyTime(fileName);
    }

    /** Whether {@code p} is a history copy (either form of the name) exactly where {@link DataDir#historyCopy} puts it. */
    public static boolean isCopy(DataDir dir, Path p) {
        return HistoryCopyName.parse(p.getFileName().toString())
                .map(n -> dir.historyCopy(n).equals(p.toAbsolutePath().normalize()))
                .orElse(false);
    }

    public static Path manifestPath(Path copy) {
        return copy.resolveSibling(copy.getFileName() + MANIFEST_SUFFIX);
    }

    /** Writes (atomically) the manifest of a copy whose gzip bytes are {@code gz}, holding {@code tokens} tokens. */
    public static Path writeManifest(
            DataDir dir,
            Path copy,
            byte[] gz,
            long uncompressedBytes,
            long tokens,
            WriterInfo writer,
            String closedReason,
            Instant closedAt)
            throws IOException {
        Instant generated = generatedAt(copy.getFileName().toString())
                .orElseThrow(() -> new InvalidNameException("not a tokens history copy: " + copy));
        FileManifest m = new FileManifest(
                dir.relative(copy),
                STREAM,
                generated.truncatedTo(ChronoUnit.HOURS),
                gz.length,
                Checksums.sha256Hex(gz),
                Checksums.md5Hex(gz),
                tokens,
                uncompressedBytes,
                null,
                null,
                Map.of("tokens", tokens),
                (int) Math.min(Integer.MAX_VALUE, tokens),
                List.of(),
                writer,
                closedReason,
                closedAt,
                null);
        Path path = manifestPath(copy);
        AtomicFiles.replace(path, m.toJson());
        return path;
    }

    /**
     * Writes the manifest of every history copy that has none (a kill between a copy and its manifest, or copies made
     * before manifests existed), so that offload can upload them. A copy that cannot be read as a token list is left
     * alone (no manifest: never uploaded, never deleted) and named in {@code unreadable}.
     */
    public static Repair repairManifests(DataDir dir, WriterInfo writer, Instant now) {
        List<Path> copies = DataDirScan.history(dir).stream()
                .filter(c -> c.manifest() == null)
                .map(DataDirScan.HistoryCopy::copy)
                .toList();
        List<Path> repaired = new java.util.ArrayList<>();
        List<String> unreadable = new java.util.ArrayList<>();
        for (Path copy : copies) {
            try {
                byte[] gz = Files.readAllBytes(copy);
                byte[] json;
                try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
                    json = in.readAllBytes();
                }
                TokensFile list = TokensJson.parse(json, dir.relative(copy));
                writeManifest(dir, copy, gz, json.length, list.tokens().size(), writer, MANIFEST_REPAIRED, now);
                repaired.add(copy);
            } catch (IOException | RuntimeException e) {
                unreadable.add(dir.relative(copy) + ": " + e.getMessage());
            }
        }
        return new Repair(List.copyOf(repaired), List.copyOf(unreadable));
    }

    /** What {@link #repairManifests} did: copies it described, and copies it could not read (path: reason). */
    public record Repair(List<Path> described, List<String> unreadable) {}
}
