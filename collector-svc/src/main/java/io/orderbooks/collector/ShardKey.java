package io.orderbooks.collector;

import java.util.Locale;

/**
 * What a shard hashes to decide whether it holds a token (docs/COLLECTOR.md, "Sharding").
 * <p>
 * {@code TOKEN}, the default: the decimal token id. A market's two tokens then fall into different shards for a share
 * {@code (n-1)/n} of the markets, and a {@code price_change} naming both reaches a connection of each, so both
 * collectors store it. {@code MARKET}: the token's condition id from tokens.json (the {@code market} field of the
 * websocket's events), so a market's tokens always share a shard.
 */
public enum ShardKey {
    TOKEN,
    MARKET;

    static ShardKey parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (ShardKey k : values()) {
            if (k.text().equals(t)) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "collector.shard-key must be token or market (during a change of key: new,old, e.g. market,token),"
                        + " got '" + text + "'");
    }

    /** As configured, logged and written in manifests: {@code token} or {@code market}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
