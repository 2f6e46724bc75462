package io.orderbooks.shared.records;

import io.orderbooks.shared.files.RotatingJsonlWriter;
import java.util.Collection;
import java.util.List;

/**
 * One record for a {@link RotatingJsonlWriter}: the receive time that decides its file, the kind and assets the
 * manifest counts (see {@link RecordKinds}), an optional gap to list in the manifest, and the bytes of the line
 * (built by {@link Envelope}, ending in a newline).
 */
public record Line(long recvUs, String kind, Collection<String> assets, byte[] bytes, Gap gap) {
    public Line {
        if (bytes == null || bytes.length < 3 || bytes[bytes.length - 1] != '\n' || bytes[0] != '{') {
            throw new IllegalArgumentException("a line must be one JSON object ending in a newline (use Envelope)");
        }
        if (recvUs <= 0) {
            throw new IllegalArgumentException("recv_us must be positive: " + recvUs);
        }
        if (kind == null || kind.isEmpty()) {
            kind = RecordKinds.UNKNOWN;
        }
        assets = assets == null ? List.of() : assets;
    }

    public static Line of(long recvUs, String kind, Collection<String> assets, byte[] bytes) {
        return new Line(recvUs, kind, assets, bytes, null);
    }

    public static Line event(long recvUs, byte[] bytes) {
        return new Line(recvUs, RecordKinds.EVENT, List.of(), bytes, null);
    }

    public static Line gap(long recvUs, Gap gap, byte[] bytes) {
        return new Line(recvUs, RecordKinds.EVENT, List.of(), bytes, gap);
    }
}
