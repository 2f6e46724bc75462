package io.orderbooks.collector;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * An independent implementation of the server's book hash as published in py-clob-client
 * {@code generate_orderbook_summary_hash} (PR #232): SHA-1 over compact JSON with {@code hash:""}, keys in the order
 * market, asset_id, timestamp, hash, bids, asks, min_order_size, tick_size, neg_risk, last_trade_price, the level
 * strings exactly as sent. Used by tests to prove stored books are byte-exact.
 */
final class PublishedBookHash {
    private PublishedBookHash() {}

    static String of(JsonNode book) throws Exception {
        StringBuilder b = new StringBuilder("{");
        b.append("\"market\":").append(str(book, "market"));
        b.append(",\"asset_id\":").append(str(book, "asset_id"));
        b.append(",\"timestamp\":").append(str(book, "timestamp"));
        b.append(",\"hash\":\"\"");
        b.append(",\"bids\":").append(levels(book.get("bids")));
        b.append(",\"asks\":").append(levels(book.get("asks")));
        b.append(",\"min_order_size\":").append(str(book, "min_order_size"));
        b.append(",\"tick_size\":").append(str(book, "tick_size"));
        b.append(",\"neg_risk\":").append(book.path("neg_risk").asBoolean());
        b.append(",\"last_trade_price\":").append(str(book, "last_trade_price"));
        b.append('}');
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(b.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha1);
    }

    private static String levels(JsonNode levels) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; levels != null && i < levels.size(); i++) {
            JsonNode l = levels.get(i);
            b.append(i == 0 ? "" : ",")
                    .append("{\"price\":")
                    .append(quote(l.path("price").asText()))
                    .append(",\"size\":")
                    .append(quote(l.path("size").asText()))
                    .append('}');
        }
        return b.append(']').toString();
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return quote(v == null || v.isNull() ? "" : v.asText());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
