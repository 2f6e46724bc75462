package io.orderbooks.collector;

import io.orderbooks.shared.layout.Checksums;
import java.nio.charset.StandardCharsets;

/**
 * Shard {@code i} of {@code n}: the tokens whose SHA-256 (of the decimal token id) taken as an unsigned 64-bit number
 * is {@code i} modulo {@code n}. Stable across JVMs and versions (unlike {@code String.hashCode}), so collectors on
 * several machines split the feed with no overlap and no hole.
 */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard must be i/n with 0 <= i < n, got " + index + "/" + count);
        }
    }

    public static Shard parse(String spec) {
        String[] parts = spec == null ? new String[0] : spec.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("collector.shard must look like i/n (e.g. 0/2), got '" + spec + "'");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("collector.shard must look like i/n (e.g. 0/2), got '" + spec + "'");
        }
    }

    public boolean contains(String tokenId) {
        if (count == 1) {
            return true;
        }
        byte[] h = Checksums.sha256().digest(tokenId.getBytes(StandardCharsets.US_ASCII));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return Long.remainderUnsigned(v, count) == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
