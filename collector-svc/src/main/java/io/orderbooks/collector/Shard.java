package io.orderbooks.collector;

import io.orderbooks.shared.layout.Checksums;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which tokens this collector records. {@code i/n}: the tokens whose key's SHA-256, its first 8 bytes taken as an
 * unsigned 64-bit number, is {@code i} modulo {@code n}. The key ({@link ShardKey}) is the decimal token id (the
 * default) or the token's market, its condition id, so that a market's tokens share a shard. Stable across JVMs and
 * versions (unlike {@code String.hashCode}), so collectors with {@code 0/n} to {@code n-1/n} split the feed with no
 * overlap and no hole.
 * <p>
 * During a re-shard, {@code i/n,m}: shard {@code i} of {@code n} <em>and</em> shard {@code i} of {@code m}, the union
 * (the new count first, then the old one; a count not above {@code i} adds nothing, e.g. {@code 2/2,3} is shard 2
 * of 3 only). Moving from {@code n} to {@code m} shards directly leaves tokens that neither the old nor the new
 * assignment of the running collectors holds (with modulo shards, and with any other split in a one-by-one rollout);
 * going through {@code i/m,n} first never does, because every collector keeps its old shard until all hold their new
 * one (docs/SCALING.md, "Re-sharding", proves it and {@code ReshardingIT} runs it). Each count has its own key
 * ({@code keys}, in the same order): a change of key is a re-shard too, {@code i/n,m} with keys {@code new,old} (the
 * counts may then be equal, e.g. {@code 1/2,2} with {@code market,token}), and the same proof holds.
 * <p>
 * Only the collector with index 0 asks for the global events ({@code new_market}, {@code market_resolved}): they are
 * not about an asset, so every shard would otherwise store each of them once more (docs/COLLECTOR.md).
 */
public record Shard(int index, List<Integer> counts, List<ShardKey> keys) {
    private static final String FORM =
            "collector.shard must look like i/n or, during a re-shard, i/n,m (e.g. 0/2 or 1/3,2)";

    /** A condition id as tokens.json holds it (docs/DATA-FORMAT.md §4 checks 62 or 64 digits; any length hashes). */
    private static final Pattern CONDITION_ID = Pattern.compile("0[xX]([0-9a-fA-F]+)");

    public Shard {
        counts = List.copyOf(counts);
        keys = List.copyOf(keys);
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("a shard needs at least one count");
        }
        if (keys.size() == 1 && counts.size() > 1) {
            keys = Collections.nCopies(counts.size(), keys.getFirst());
        }
        if (keys.size() != counts.size()) {
            throw new IllegalArgumentException(
                    "collector.shard-key needs one key, or one per count of collector.shard (" + counts.size()
                            + "), got " + keys.size());
        }
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < counts.size(); i++) {
            pairs.add(counts.get(i) + "/" + keys.get(i));
        }
        if (counts.stream().anyMatch(c -> c < 1) || pairs.size() != counts.size()) {
            throw new IllegalArgumentException(
                    "shard counts must be at least 1 and distinct (or differ in key), got " + counts + " by " + keys);
        }
        int max = counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (index < 0 || index >= max) {
            throw new IllegalArgumentException("shard must be i/n with 0 <= i < n, got " + index + "/" + join(counts));
        }
    }

    /** Sharded by token id (the default key). */
    public Shard(int index, List<Integer> counts) {
        this(index, counts, List.of(ShardKey.TOKEN));
    }

    public Shard(int index, int count) {
        this(index, List.of(count));
    }

    public Shard(int index, int count, ShardKey key) {
        this(index, List.of(count), List.of(key));
    }

    /** Sharded by token id. */
    public static Shard parse(String spec) {
        return parse(spec, ShardKey.TOKEN.text());
    }

    /**
     * {@code spec} is {@code i/n} or {@code i/n,m}; {@code keySpec} is one key for every count ({@code token},
     * {@code market}) or one per count in the same order ({@code market,token} during a change of key).
     */
    public static Shard parse(String spec, String keySpec) {
        String[] parts = spec == null ? new String[0] : spec.trim().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException(FORM + ", got '" + spec + "'");
        }
        int index;
        List<Integer> counts = new ArrayList<>();
        try {
            for (String c : parts[1].split(",", -1)) {
                counts.add(Integer.parseInt(c.trim()));
            }
            index = Integer.parseInt(parts[0].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(FORM + ", got '" + spec + "'");
        }
        List<ShardKey> keys = new ArrayList<>();
        for (String k : (keySpec == null ? "" : keySpec).split(",", -1)) {
            keys.add(ShardKey.parse(k));
        }
        return new Shard(index, counts, keys);
    }

    /** By the token id alone: for a market key, as a token without a condition id ({@link #fallsBackToToken}). */
    public boolean contains(String tokenId) {
        return contains(tokenId, null);
    }

    /**
     * Whether this shard holds the token of this market ({@code conditionId} as tokens.json gives it). Under the market
     * key, a token without a usable condition id is placed by its token id instead; the caller counts those.
     */
    public boolean contains(String tokenId, String conditionId) {
        if (index == 0 && counts.contains(1)) {
            return true; // 0/1: every token, no hash needed
        }
        String market = keys.contains(ShardKey.MARKET) ? marketKey(conditionId) : null;
        Long byToken = null;
        Long byMarket = null;
        for (int i = 0; i < counts.size(); i++) {
            int count = counts.get(i);
            if (index >= count) {
                continue;
            }
            long v;
            if (keys.get(i) == ShardKey.MARKET && market != null) {
                byMarket = byMarket == null ? hash(market) : byMarket;
                v = byMarket;
            } else {
                byToken = byToken == null ? hash(tokenId) : byToken;
                v = byToken;
            }
            if (Long.remainderUnsigned(v, count) == index) {
                return true;
            }
        }
        return false;
    }

    /** Whether this shard places the token by its token id although a count is keyed by market: no usable market. */
    public boolean fallsBackToToken(String conditionId) {
        return keys.contains(ShardKey.MARKET) && marketKey(conditionId) == null;
    }

    /**
     * The hashed text of a market: its condition id's hex digits, lower case, without leading zeros, so the 31-byte
     * id of a Protocol V2 market and its zero-padded 64-digit form (docs/DATA-FORMAT.md §4: both occur) are one
     * market on every instance. Null when there is none.
     */
    static String marketKey(String conditionId) {
        if (conditionId == null) {
            return null;
        }
        Matcher m = CONDITION_ID.matcher(conditionId.trim());
        if (!m.matches()) {
            return null;
        }
        String digits = m.group(1).toLowerCase(Locale.ROOT).replaceFirst("^0+", "");
        return digits.isEmpty() ? "0" : digits;
    }

    /** {@code token}, {@code market}, or during a change of key one per count, e.g. {@code market,token}. */
    public String keyText() {
        return keys.stream().distinct().count() == 1
                ? keys.getFirst().text()
                : keys.stream().map(ShardKey::text).collect(Collectors.joining(","));
    }

    /** Whether this collector asks for the global events: the one with index 0, so exactly one shard records them. */
    public boolean recordsGlobalEvents() {
        return index == 0;
    }

    static long hash(String key) {
        byte[] h = Checksums.sha256().digest(key.getBytes(StandardCharsets.US_ASCII));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    private static String join(List<Integer> counts) {
        return counts.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * {@code i/n}, or {@code i/n,m} during a re-shard: the form it was given in, as logged and written in manifests
     * (the key is {@link #keyText()}, written beside it).
     */
    @Override
    public String toString() {
        return index + "/" + join(counts);
    }
}
