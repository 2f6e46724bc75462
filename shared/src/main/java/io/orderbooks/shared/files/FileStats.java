package io.orderbooks.shared.files;

import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Gap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a file holds, accumulated line by line, for its manifest. Not thread-safe: the owner serialises access. */
final class FileStats {
    private long records;
    private long uncompressedBytes;
    private long firstRecvUs = Long.MAX_VALUE;
    private long lastRecvUs = Long.MIN_VALUE;
    private final Map<String, long[]> counts = new HashMap<>();
    private final Set<String> assets = new HashSet<>();
    private final List<Gap> gaps = new ArrayList<>();

    void add(long recvUs, String kind, Collection<String> lineAssets, int lineBytes, Gap gap) {
        records++;
        uncompressedBytes += lineBytes;
        if (recvUs > 0) {
            firstRecvUs = Math.min(firstRecvUs, recvUs);
            lastRecvUs = Math.max(lastRecvUs, recvUs);
        }
        counts.computeIfAbsent(kind, k -> new long[1])[0]++;
        if (!lineAssets.isEmpty()) {
            assets.addAll(lineAssets);
        }
        if (gap != null) {
            gaps.add(gap);
        }
    }

    long records() {
        return records;
    }

    FileManifest manifest(
            DataDir dir,
            RawFile file,
            Checksums.Digests digests,
            WriterInfo writer,
            String closedReason,
            Instant closedAt,
            FileManifest.RecoveryInfo recovery) {
        Map<String, Long> flat = new HashMap<>();
        counts.forEach((k, v) -> flat.put(k, v[0]));
        return new FileManifest(
                file.relativePath(),
                file.stream(),
                file.hour(),
                digests.bytes(),
                digests.sha256(),
                digests.md5(),
                records,
                uncompressedBytes,
                records == 0 || firstRecvUs == Long.MAX_VALUE ? null : firstRecvUs,
                records == 0 || lastRecvUs == Long.MIN_VALUE ? null : lastRecvUs,
                flat,
                assets.size(),
                gaps,
                writer,
                closedReason,
                closedAt,
                recovery);
    }
}
