package io.orderbooks.collector;

import io.orderbooks.shared.layout.Checksums;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which tokens this collector records. {@code i/n}: the tokens whose SHA-256 (of the decimal token id), its first 8
 * bytes taken as an unsigned 64-bit number, is {@code i} modulo {@code n}. Stable across JVMs and versions (unlike
 * {@code String.hashCode}), so collectors with {@code 0/n} to {@code n-1/n} split the feed with no overlap and no hole.
 * <p>
 * During a re-shard, {@code i/n,m}: shard {@code i} of {@code n} <em>and</em> shard {@code i} of {@code m}, the union
 * (the new count first, then the old one; a count not above {@code i} adds nothing, e.g. {@code 2/2,3} is shard 2
 * of 3 only). Moving from {@code n} to {@code m} shards directly leaves tokens that neither the old nor the new
 * assignment of the running collectors holds (with modulo shards, and with any other split in a one-by-one rollout);
 * going through {@code i/m,n} first never does, because every collector keeps its old shard until all hold their new
 * one (docs/SCALING.md, "Re-sharding", proves it and {@code ReshardingIT} runs it).
 * <p>
 * Only the collector with index 0 asks for the global events ({@code new_market}, {@code market_resolved}): they are
 * not about an asset, so every shard would otherwise store each of them once more (docs/COLLECTOR.md).
 */
public record Shard(int index, List<Integer> counts) {
    private static final String FORM =
            "collector.shard must look like i/n or, during a re-shard, i/n,m (e.g. 0/2 or 1/3,2)";

    public Shard {
        counts = List.copyOf(counts);
        if (counts.isEmpty()
                || counts.stream().anyMatch(c -> c < 1)
                || counts.size() != counts.stream().distinct().count()) {
            throw new IllegalArgumentException("shard counts must be distinct and at least 1, got " + counts);
        }
        int max = counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (index < 0 || index >= max) {
            throw new IllegalArgumentException("shard must be i/n with 0 <= i < n, got " + index + "/" + join(counts));
        }
    }

    public Shard(int index, int count) {
        this(index, List.of(count));
    }

    public static Shard parse(String spec) {
        String[] parts = spec == null ? new String[0] : spec.trim().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException(FORM + ", got '" + spec + "'");
        }
        try {
            List<Integer> counts = new ArrayList<>();
            for (String c : parts[1].split(",", -1)) {
                counts.add(Integer.parseInt(c.trim()));
            }
            return new Shard(Integer.parseInt(parts[0].trim()), counts);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(FORM + ", got '" + spec + "'");
        }
    }

    public boolean contains(String tokenId) {
        if (index == 0 && counts.contains(1)) {
            return true; // 0/1: every token, no hash needed
        }
        long v = hash(tokenId);
        for (int count : counts) {
            if (index < count && Long.remainderUnsigned(v, count) == index) {
                return true;
            }
        }
        return false;
    }

    /** Whether this collector asks for the global events: the one with index 0, so exactly one shard records them. */
    public boolean recordsGlobalEvents() {
        return index == 0;
    }

    static long hash(String tokenId) {
        byte[] h = Checksums.sha256().digest(tokenId.getBytes(StandardCharsets.US_ASCII));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    private static String join(List<Integer> counts) {
        return counts.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** {@code i/n}, or {@code i/n,m} during a re-shard: the form it was given in, as logged and written in manifests. */
    @Override
    public String toString() {
        return index + "/" + join(counts);
    }
}
