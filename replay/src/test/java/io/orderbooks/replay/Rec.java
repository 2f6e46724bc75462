package io.orderbooks.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test records in the envelope of docs/DATA-FORMAT.md §2, and an independent hash: Jackson writes the summary map
 * (compact, keys in insertion order), so it does not share a line with {@link BookHash}.
 */
final class Rec {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONN = "ws-00.0@t0";

    private Rec() {}

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static JsonNode ws(long recvUs, long seq, String frameJson) {
        return ws(recvUs, CONN, seq, frameJson);
    }

    static JsonNode ws(long recvUs, String conn, long seq, String frameJson) {
        return parse("{\"recv_us\":" + recvUs + ",\"src\":\"ws\",\"conn\":\"" + conn + "\",\"seq\":" + seq
                + ",\"frame\":" + frameJson + "}");
    }

    static JsonNode wsText(long recvUs, long seq, String text) {
        return parse("{\"recv_us\":" + recvUs + ",\"src\":\"ws\",\"conn\":\"" + CONN + "\",\"seq\":" + seq
                + ",\"frame_text\":" + quote(text) + ",\"parse_error\":\"Unexpected end-of-input\"}");
    }

    static JsonNode rest(long recvUs, String itemJson) {
        return parse("{\"recv_us\":" + recvUs
                + ",\"src\":\"rest\",\"req\":\"books#1\",\"status\":200,\"latency_ms\":5,\"item\":" + itemJson + "}");
    }

    static JsonNode event(long recvUs, String src, String conn, String name, String moreFields) {
        return parse("{\"recv_us\":" + recvUs + ",\"src\":\"" + src + "\""
                + (conn == null ? "" : ",\"conn\":\"" + conn + "\"") + ",\"event\":\"" + name + "\""
                + (moreFields.isEmpty() ? "" : "," + moreFields) + "}");
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A full book as an ordered summary map; bids/asks as "price:size" strings in wire order. */
    static Map<String, Object> summary(
            String market,
            String asset,
            String ts,
            List<String> bidsAscending,
            List<String> asksDescending,
            String minOrderSize,
            String tick,
            boolean negRisk,
            String lastTradePrice) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("market", market);
        m.put("asset_id", asset);
        m.put("timestamp", ts);
        m.put("hash", "");
        m.put("bids", levels(bidsAscending));
        m.put("asks", levels(asksDescending));
        m.put("min_order_size", minOrderSize);
        m.put("tick_size", tick);
        m.put("neg_risk", negRisk);
        m.put("last_trade_price", lastTradePrice);
        return m;
    }

    static List<Map<String, String>> levels(List<String> pairs) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String p : pairs) {
            Map<String, String> l = new LinkedHashMap<>();
            l.put("price", p.substring(0, p.indexOf(':')));
            l.put("size", p.substring(p.indexOf(':') + 1));
            out.add(l);
        }
        return out;
    }

    /** SHA-1 of the compact JSON of the summary (with hash ""), as the server computes it. */
    static String hash(Map<String, Object> summary) {
        try {
            Map<String, Object> m = new LinkedHashMap<>(summary);
            m.put("hash", "");
            byte[] d = MessageDigest.getInstance("SHA-1")
                    .digest(JSON.writeValueAsString(m).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The summary as a REST item: with its hash. */
    static String restItem(Map<String, Object> summary) {
        try {
            Map<String, Object> m = new LinkedHashMap<>(summary);
            m.put("hash", hash(summary));
            return JSON.writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The summary as a websocket book event: without min_order_size, neg_risk and last_trade_price (as observed). */
    static String wsBook(Map<String, Object> summary) {
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event_type", "book");
            m.put("asset_id", summary.get("asset_id"));
            m.put("market", summary.get("market"));
            m.put("bids", summary.get("bids"));
            m.put("asks", summary.get("asks"));
            m.put("timestamp", summary.get("timestamp"));
            m.put("hash", hash(summary));
            m.put("tick_size", summary.get("tick_size"));
            return JSON.writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One price_changes[] entry. */
    static String entry(
            String asset, String price, String size, String side, String hash, String bestBid, String bestAsk) {
        return "{\"asset_id\":\"" + asset + "\",\"price\":\"" + price + "\",\"size\":\"" + size + "\",\"side\":\""
                + side + "\",\"hash\":\"" + hash + "\",\"best_bid\":\"" + bestBid + "\",\"best_ask\":\"" + bestAsk
                + "\"}";
    }

    static String priceChange(String market, String ts, String... entries) {
        return "{\"market\":\"" + market + "\",\"price_changes\":[" + String.join(",", entries) + "],\"timestamp\":\""
                + ts + "\",\"event_type\":\"price_change\"}";
    }
}
