package io.orderbooks.shared.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.records.RecordKinds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reader of closed gzip JSONL files (raw files, docs/DATA-FORMAT.md §2): every line parsed, and what the file's
 * manifest should say about it (records, sizes, {@code recv_us} span, counts by kind, assets, gaps) tallied the way
 * the writer and recovery tally it ({@link RecordKinds}). Strict: a line that is not a JSON object, a missing final
 * newline or a damaged gzip stream is an {@link IOException} (damaged files are recovery's business, not a reader's).
 */
public final class GzipJsonl {
    private GzipJsonl() {}

    /** A whole file: its records in order, and the tally a manifest gives. */
    public record Contents(
            List<JsonNode> records,
            long uncompressedBytes,
            Long firstRecvUs,
            Long lastRecvUs,
            Map<String, Long> counts,
            int assets,
            List<Gap> gaps) {

        /** Where this file's bytes and contents differ from what {@code m} says; empty when the manifest is exact. */
        public List<String> differencesFrom(FileManifest m, Checksums.Digests digests) {
            List<String> out = new ArrayList<>();
            check(out, "bytes", m.bytes(), digests.bytes());
            check(out, "sha256", m.sha256(), digests.sha256());
            check(out, "md5", m.md5(), digests.md5());
            check(out, "records", m.records(), (long) records.size());
            check(out, "uncompressed_bytes", m.uncompressedBytes(), uncompressedBytes);
            check(out, "first_recv_us", m.firstRecvUs(), firstRecvUs);
            check(out, "last_recv_us", m.lastRecvUs(), lastRecvUs);
            check(out, "counts", m.counts(), counts);
            check(out, "assets", m.assets(), assets);
            check(out, "gaps", m.gaps(), gaps);
            return out;
        }

        private static void check(List<String> out, String field, Object manifest, Object actual) {
            if (!Objects.equals(manifest, actual)) {
                out.add(field + ": manifest says " + manifest + ", file has " + actual);
            }
        }
    }

    /** Reads a whole closed file (through {@link GzipLines}, every line whole). */
    public static Contents read(Path file) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        Map<String, Long> counts = new TreeMap<>();
        Set<String> assets = new HashSet<>();
        List<Gap> gaps = new ArrayList<>();
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        GzipLines.Result r = GzipLines.read(file, false, GzipLines.WHOLE_LINES, (buf, off, len, truncated) -> {
            if (truncated) {
                throw new IOException(file.getFileName() + ": line " + (records.size() + 1) + " is longer than "
                        + GzipLines.WHOLE_LINES + " bytes");
            }
            JsonNode n = Json.MAPPER.readTree(buf, off, len);
            if (n == null || !n.isObject()) {
                throw new IOException(file.getFileName() + ": line " + (records.size() + 1) + " is not a JSON object");
            }
            records.add(n);
            long recvUs = n.path("recv_us").asLong(0);
            if (recvUs > 0) {
                span[0] = Math.min(span[0], recvUs);
                span[1] = Math.max(span[1], recvUs);
            }
            counts.merge(RecordKinds.kindOf(n), 1L, Long::sum);
            assets.addAll(RecordKinds.assetsOf(n));
            Gap gap = RecordKinds.gapOf(n);
            if (gap != null) {
                gaps.add(gap);
            }
        });
        if (r.gzipProblem() != null) {
            throw new IOException(file.getFileName() + ": " + r.gzipProblem());
        }
        if (r.tornBytes() > 0) {
            throw new IOException(file.getFileName() + ": the last line has no newline (" + r.tornBytes() + " bytes)");
        }
        long bytes = r.uncompressedBytes();
        long first = span[0];
        long last = span[1];
        return new Contents(
                List.copyOf(records),
                bytes,
                records.isEmpty() || first == Long.MAX_VALUE ? null : first,
                records.isEmpty() || last == Long.MIN_VALUE ? null : last,
                counts,
                assets.size(),
                List.copyOf(gaps));
    }
}
