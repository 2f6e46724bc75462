package io.orderbooks.sim;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The live book of one token. The event generator mutates it, REST {@code /book} and websocket {@code book} events
 * serialise it, so both always agree, and the {@code hash} in a price_change entry is the hash of this book right
 * after the change (observed: a price_change hash equals the next book's and REST's hash at that timestamp).
 * <p>
 * Thread-safe: mutations come from the generator thread, reads from the HTTP event loops.
 */
public final class OrderBook {
    private final String market;
    private final String assetId;
    private final boolean negRisk;
    private final String minOrderSize;
    private String tickSize;
    private String lastTradePrice;
    private long timestamp;
    private final TreeMap<Integer, Long> bids = new TreeMap<>();
    private final TreeMap<Integer, Long> asks = new TreeMap<>();
    private String cachedHash;
    private String cachedLevels;

    OrderBook(
            String market,
            String assetId,
            boolean negRisk,
            String minOrderSize,
            String tickSize,
            String lastTradePrice,
            long timestamp) {
        this.market = market;
        this.assetId = assetId;
        this.negRisk = negRisk;
        this.minOrderSize = minOrderSize;
        this.tickSize = tickSize;
        this.lastTradePrice = lastTradePrice;
        this.timestamp = timestamp;
    }

    public String market() {
        return market;
    }

    public String assetId() {
        return assetId;
    }

    public synchronized String tickSize() {
        return tickSize;
    }

    public synchronized long timestamp() {
        return timestamp;
    }

    public synchronized int levels(Side side) {
        return (side == Side.BUY ? bids : asks).size();
    }

    /** Sets the total size at a price (the price_change semantics: a new total, 0 removes the level). */
    synchronized void setLevel(Side side, int price, long sizeCents, long ts) {
        TreeMap<Integer, Long> levels = side == Side.BUY ? bids : asks;
        if (sizeCents <= 0) {
            levels.remove(price);
        } else {
            levels.put(price, sizeCents);
        }
        touch(ts);
    }

    synchronized long sizeAt(Side side, int price) {
        return (side == Side.BUY ? bids : asks).getOrDefault(price, 0L);
    }

    synchronized void lastTrade(String price, long ts) {
        lastTradePrice = price;
        touch(ts);
    }

    synchronized void tickSize(String newTick, long ts) {
        tickSize = newTick;
        touch(ts);
    }

    /** Best bid in price units, or -1 on an empty side. */
    public synchronized int bestBid() {
        return bids.isEmpty() ? -1 : bids.lastKey();
    }

    /** Best ask in price units, or -1 on an empty side. */
    public synchronized int bestAsk() {
        return asks.isEmpty() ? -1 : asks.firstKey();
    }

    synchronized NavigableMap<Integer, Long> side(Side side) {
        return new TreeMap<>(side == Side.BUY ? bids : asks);
    }

    /** Best bid as a wire string; {@code ""} on an empty side (empty optional decimals, official ts-sdk). */
    synchronized String bestBidText() {
        return bids.isEmpty() ? "" : Decimals.price(bids.lastKey());
    }

    /** Best ask as a wire string; {@code ""} on an empty side. */
    synchronized String bestAskText() {
        return asks.isEmpty() ? "" : Decimals.price(asks.firstKey());
    }

    /** The current tick in price units (0.0001). */
    synchronized int tickUnits() {
        return Decimals.parsePrice(tickSize);
    }

    /** The server hash of the current state. */
    public synchronized String hash() {
        if (cachedHash == null) {
            cachedHash = BookHash.sha1Hex(summary(""));
        }
        return cachedHash;
    }

    /** REST {@code /book} body: the summary in the server's key order with its hash. */
    public synchronized String summaryJson() {
        return summary(hash());
    }

    /**
     * A websocket {@code book} event. Observed 2026 ws books carry {@code tick_size} and, only in the snapshot after
     * subscribe, {@code last_trade_price}; they lack {@code min_order_size} and {@code neg_risk} (comment on
     * py-clob-client PR #232). Key order follows the docs' market-channel example.
     */
    synchronized String wsBookJson(boolean withLastTradePrice) {
        StringBuilder sb = new StringBuilder(256 + levelsJson().length());
        sb.append("{\"event_type\":\"book\"");
        Json.field(sb, "asset_id", assetId);
        Json.field(sb, "market", market);
        sb.append(',').append(levelsJson());
        Json.field(sb, "timestamp", Long.toString(timestamp));
        Json.field(sb, "hash", hash());
        Json.field(sb, "tick_size", tickSize);
        if (withLastTradePrice) {
            Json.field(sb, "last_trade_price", lastTradePrice);
        }
        return sb.append('}').toString();
    }

    synchronized OrderBook copy() {
        OrderBook c = new OrderBook(market, assetId, negRisk, minOrderSize, tickSize, lastTradePrice, timestamp);
        c.bids.putAll(bids);
        c.asks.putAll(asks);
        return c;
    }

    private void touch(long ts) {
        timestamp = Math.max(timestamp, ts);
        cachedHash = null;
        cachedLevels = null;
    }

    private String summary(String hash) {
        String levels = levelsJson();
        StringBuilder sb = new StringBuilder(200 + levels.length());
        sb.append('{');
        Json.str(sb, "market").append(':');
        Json.str(sb, market);
        Json.field(sb, "asset_id", assetId);
        Json.field(sb, "timestamp", Long.toString(timestamp));
        Json.field(sb, "hash", hash);
        sb.append(',').append(levels);
        Json.field(sb, "min_order_size", minOrderSize);
        Json.field(sb, "tick_size", tickSize);
        sb.append(",\"neg_risk\":").append(negRisk);
        Json.field(sb, "last_trade_price", lastTradePrice);
        return sb.append('}').toString();
    }

    /** {@code "bids":[…],"asks":[…]}: bids ascending, asks descending, so the best are last (docs: prices-order-books). */
    private String levelsJson() {
        if (cachedLevels == null) {
            StringBuilder sb = new StringBuilder(64 + 40 * (bids.size() + asks.size()));
            sb.append("\"bids\":");
            appendLevels(sb, bids);
            sb.append(",\"asks\":");
            appendLevels(sb, asks.descendingMap());
            cachedLevels = sb.toString();
        }
        return cachedLevels;
    }

    private static void appendLevels(StringBuilder sb, Map<Integer, Long> levels) {
        sb.append('[');
        boolean first = true;
        for (Map.Entry<Integer, Long> e : levels.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"price\":\"")
                    .append(Decimals.price(e.getKey()))
                    .append("\",\"size\":\"")
                    .append(Decimals.size(e.getValue()))
                    .append("\"}");
        }
        sb.append(']');
    }
}
