package io.orderbooks.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer's reconstruction of one book from websocket events, with an independent implementation of the published
 * hash (py-clob-client generate_orderbook_summary_hash): ordered JSON built with Vert.x JsonObject, SHA-1 hex.
 */
final class ClientBook {
    final String market;
    final String assetId;
    final String minOrderSize;
    final boolean negRisk;
    String tickSize;
    String lastTradePrice;
    String timestamp;
    final TreeMap<BigDecimal, String[]> bids = new TreeMap<>();
    final TreeMap<BigDecimal, String[]> asks = new TreeMap<>();

    ClientBook(JsonObject book, String minOrderSize, boolean negRisk, String lastTradePrice) {
        this.market = book.getString("market");
        this.assetId = book.getString("asset_id");
        this.minOrderSize = minOrderSize;
        this.negRisk = negRisk;
        this.lastTradePrice = book.getString("last_trade_price", lastTradePrice);
        replace(book);
    }

    void replace(JsonObject book) {
        tickSize = book.getString("tick_size", tickSize);
        timestamp = book.getString("timestamp");
        bids.clear();
        asks.clear();
        load(book.getJsonArray("bids"), bids);
        load(book.getJsonArray("asks"), asks);
    }

    void apply(JsonObject entry, String ts) {
        TreeMap<BigDecimal, String[]> side = "BUY".equals(entry.getString("side")) ? bids : asks;
        BigDecimal p = new BigDecimal(entry.getString("price"));
        if (new BigDecimal(entry.getString("size")).signum() == 0) {
            side.remove(p);
        } else {
            side.put(p, new String[] {entry.getString("price"), entry.getString("size")});
        }
        timestamp = ts;
    }

    String hash() {
        return independentHash(
                market,
                assetId,
                timestamp,
                levels(bids, false),
                levels(asks, true),
                minOrderSize,
                tickSize,
                negRisk,
                lastTradePrice);
    }

    static String independentHash(
            String market,
            String assetId,
            String timestamp,
            JsonArray bids,
            JsonArray asks,
            String minOrderSize,
            String tickSize,
            boolean negRisk,
            String lastTradePrice) {
        JsonObject o = new JsonObject()
                .put("market", market)
                .put("asset_id", assetId)
                .put("timestamp", timestamp)
                .put("hash", "")
                .put("bids", bids)
                .put("asks", asks)
                .put("min_order_size", minOrderSize)
                .put("tick_size", tickSize)
                .put("neg_risk", negRisk)
                .put("last_trade_price", lastTradePrice);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(md.digest(o.encode().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonArray levels(TreeMap<BigDecimal, String[]> side, boolean descending) {
        JsonArray a = new JsonArray();
        for (Map.Entry<BigDecimal, String[]> e : (descending ? side.descendingMap() : side).entrySet()) {
            a.add(new JsonObject().put("price", e.getValue()[0]).put("size", e.getValue()[1]));
        }
        return a;
    }

    private static void load(JsonArray levels, TreeMap<BigDecimal, String[]> side) {
        for (int i = 0; i < levels.size(); i++) {
            JsonObject l = levels.getJsonObject(i);
            side.put(new BigDecimal(l.getString("price")), new String[] {l.getString("price"), l.getString("size")});
        }
    }
}
