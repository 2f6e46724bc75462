package io.orderbooks.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Polymarket's book hash as the server computes it (docs/REPLAY.md, "The hash check"): SHA-1, 40 lowercase hex
 * digits, over the compact JSON of the book summary with {@code "hash":""}, keys in the order market, asset_id,
 * timestamp, hash, bids, asks, min_order_size, tick_size, neg_risk, last_trade_price; prices and sizes as their
 * original strings, bids ascending and asks descending (the best last). That is py-clob-client's
 * {@code generate_orderbook_summary_hash} (json.dumps with separators (",",":") and ensure_ascii=False), whose test
 * vector is this module's fixture {@code replay/orderbook-hash-test-vector.json}.
 * <p>
 * The simulator's {@code io.orderbooks.sim.BookHash} only digests a preimage that its {@code OrderBook} builds, so
 * the preimage is written here, and tests check it against the simulator's hashes and the vector.
 */
final class BookHash {
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is mandatory in every JDK", e);
        }
    });

    /** One price level as hashed: the wire strings. */
    record Level(String price, String size) {}

    private BookHash() {}

    /**
     * The preimage. {@code bids} ascending and {@code asks} descending, as the server hashes them; a null text field
     * is hashed as {@code ""} (the Python client does so for a missing {@code last_trade_price}).
     */
    static String preimage(
            String market,
            String assetId,
            String timestamp,
            List<Level> bids,
            List<Level> asks,
            String minOrderSize,
            String tickSize,
            boolean negRisk,
            String lastTradePrice) {
        StringBuilder sb = new StringBuilder(256 + 40 * (bids.size() + asks.size()));
        sb.append("{\"market\":");
        str(sb, market);
        sb.append(",\"asset_id\":");
        str(sb, assetId);
        sb.append(",\"timestamp\":");
        str(sb, timestamp);
        sb.append(",\"hash\":\"\",\"bids\":");
        levels(sb, bids);
        sb.append(",\"asks\":");
        levels(sb, asks);
        sb.append(",\"min_order_size\":");
        str(sb, minOrderSize);
        sb.append(",\"tick_size\":");
        str(sb, tickSize);
        sb.append(",\"neg_risk\":").append(negRisk);
        sb.append(",\"last_trade_price\":");
        str(sb, lastTradePrice);
        return sb.append('}').toString();
    }

    static String sha1Hex(String preimage) {
        MessageDigest md = SHA1.get();
        md.reset();
        return HexFormat.of().formatHex(md.digest(preimage.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@code sha1Hex(preimage(...))}, written as UTF-8 bytes straight into a reused buffer instead of through a
     * String (the same bytes, see {@link Utf8}): a rebuilt book is hashed for almost every feed entry, and building
     * that String char by char was most of replay's time (docs/PERFORMANCE.md §11).
     */
    static String sha1Hex(
            Utf8 scratch,
            String market,
            String assetId,
            String timestamp,
            List<Level> bids,
            List<Level> asks,
            String minOrderSize,
            String tickSize,
            boolean negRisk,
            String lastTradePrice) {
        Utf8 out = scratch.reset();
        out.head(market, assetId, timestamp);
        out.levels(bids);
        out.ascii(",\"asks\":");
        out.levels(asks);
        out.tail(minOrderSize, tickSize, negRisk, lastTradePrice);
        return out.sha1Hex();
    }

    private static void levels(StringBuilder sb, List<Level> levels) {
        sb.append('[');
        for (int i = 0; i < levels.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"price\":");
            str(sb, levels.get(i).price());
            sb.append(",\"size\":");
            str(sb, levels.get(i).size());
            sb.append('}');
        }
        sb.append(']');
    }

    /** A JSON string as Python's json.dumps(ensure_ascii=False) writes it. */
    static void str(StringBuilder sb, String s) {
        sb.append('"');
        if (s != null) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case '\b' -> sb.append("\\b");
                    case '\f' -> sb.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
        }
        sb.append('"');
    }
}
