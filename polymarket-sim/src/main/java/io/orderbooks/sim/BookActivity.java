package io.orderbooks.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;

/**
 * Makes one market move: mutates its books and returns the websocket events that describe the change, in the current
 * (since 2025-09-15) market-channel format (docs: market-channel migration guide):
 * <ul>
 *   <li>{@code price_change} with {@code price_changes[]}: {@code size} is the new total at that price, {@code "0"}
 *       removes the level, each entry's {@code hash} is the hash of the resulting book of that asset;</li>
 *   <li>a trade: {@code last_trade_price}, then the price_change that consumed the level;</li>
 *   <li>{@code tick_size_change} (both tokens of the market);</li>
 *   <li>an occasional full {@code book};</li>
 *   <li>{@code best_bid_ask} (custom feature) after a change of an asset's top of book.</li>
 * </ul>
 */
final class BookActivity {
    private final SimConfig config;
    private final Universe universe;
    private final Faults faults;
    private final Map<String, Integer> eventsPerAsset = new java.util.HashMap<>();
    private final Map<String, Boolean> oneSidedMarkets = new java.util.HashMap<>();
    private final MarketFactory factory;
    /** Share of events of a one-sided-prone market that sweep a whole side of one book away. */
    private static final double ONE_SIDED_SWEEP = 0.03;

    BookActivity(SimConfig config, Universe universe, Faults faults) {
        this.config = config;
        this.universe = universe;
        this.faults = faults;
        this.factory = new MarketFactory(config);
    }

    private boolean oneSided(SimMarket market) {
        return oneSidedMarkets.computeIfAbsent(market.id(), id -> factory.oneSided(market.def()));
    }

    /** Forgets per-market state of a market that closed for good (keeps long runs with churn bounded). */
    void forget(SimMarket market) {
        oneSidedMarkets.remove(market.id());
        market.def().tokenIds().forEach(eventsPerAsset::remove);
    }

    /**
     * Every level of one side goes (size "0"), so the book is one-sided until new orders arrive: its price_change
     * entries then carry {@code ""} for the missing best price (empty optional decimals).
     */
    private void sweepSide(SimMarket market, OrderBook book, Random r, long ts, List<FeedEvent> out) {
        Side side = r.nextBoolean() ? Side.BUY : Side.SELL;
        List<Change> changes = new ArrayList<>();
        for (int price : book.side(side).keySet()) {
            book.setLevel(side, price, 0, ts);
            changes.add(new Change(side, price, 0));
        }
        if (changes.isEmpty()) {
            priceChange(market, r, ts, out);
            return;
        }
        out.add(priceChangeEvent(market, Map.of(book.assetId(), changes), ts));
        out.add(bestBidAsk(market, book, ts));
    }

    /** One event on a market; runs on the generator thread only. */
    List<FeedEvent> step(SimMarket market, Random r, long ts) {
        List<String> tokens = market.def().tokenIds();
        String token = tokens.get(r.nextInt(tokens.size()));
        OrderBook book = universe.book(token).orElse(null);
        if (book == null) {
            return List.of();
        }
        List<FeedEvent> out = new ArrayList<>();
        int n = eventsPerAsset.merge(token, 1, Integer::sum);
        double x = r.nextDouble();
        if (config.fullBookEvery() > 0 && n % config.fullBookEvery() == 0) {
            out.add(event(book.wsBookJson(false), List.of(token)));
        } else if (x < config.tickSizeChangeShare()) {
            tickSizeChange(market, ts, out);
        } else if (x < config.tickSizeChangeShare() + ONE_SIDED_SWEEP && oneSided(market)) {
            sweepSide(market, book, r, ts, out);
        } else if (x < config.tickSizeChangeShare() + config.tradeShare()) {
            trade(market, book, r, ts, out);
        } else {
            priceChange(market, r, ts, out);
        }
        return out;
    }

    private void priceChange(SimMarket market, Random r, long ts, List<FeedEvent> out) {
        List<String> tokens = market.def().tokenIds();
        int changes = 1 + r.nextInt(3);
        Map<String, List<Change>> byAsset = new LinkedHashMap<>();
        Map<String, int[]> topBefore = new LinkedHashMap<>();
        for (int i = 0; i < changes; i++) {
            // Mostly one asset per message; sometimes the sibling too, as the real feed mixes both tokens.
            String token = i == 0 || r.nextInt(3) != 0 ? tokens.get(r.nextInt(tokens.size())) : tokens.getFirst();
            OrderBook book = universe.book(token).orElse(null);
            if (book == null) {
                continue;
            }
            topBefore.computeIfAbsent(token, t -> new int[] {book.bestBid(), book.bestAsk()});
            Change c = mutate(book, r, ts);
            if (c != null) {
                byAsset.computeIfAbsent(token, t -> new ArrayList<>()).add(c);
            }
        }
        if (byAsset.isEmpty()) {
            return;
        }
        if (config.crossAssetDelivery()) {
            out.add(priceChangeEvent(market, byAsset, ts));
        } else {
            for (Map.Entry<String, List<Change>> e : byAsset.entrySet()) {
                out.add(priceChangeEvent(market, Map.of(e.getKey(), e.getValue()), ts));
            }
        }
        for (String token : byAsset.keySet()) {
            OrderBook book = universe.book(token).orElseThrow();
            int[] before = topBefore.get(token);
            if (before[0] != book.bestBid() || before[1] != book.bestAsk()) {
                out.add(bestBidAsk(market, book, ts));
            }
        }
    }

    private void trade(SimMarket market, OrderBook book, Random r, long ts, List<FeedEvent> out) {
        // A taker BUY lifts the best ask, a taker SELL hits the best bid.
        Side takerSide = r.nextBoolean() ? Side.BUY : Side.SELL;
        Side restingSide = takerSide == Side.BUY ? Side.SELL : Side.BUY;
        int price = restingSide == Side.SELL ? book.bestAsk() : book.bestBid();
        if (price < 0) {
            priceChange(market, r, ts, out);
            return;
        }
        long resting = book.sizeAt(restingSide, price);
        long traded = Math.max(100, Math.min(resting, (resting * (1 + r.nextInt(60))) / 100));
        long left = resting - traded;
        String priceText = Decimals.price(price);
        book.lastTrade(priceText, ts);
        book.setLevel(restingSide, price, left, ts);
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"asset_id\":\"").append(book.assetId()).append('"');
        // fee_rate_bps is "" when the market has no fee (empty optional decimals, official ts-sdk).
        sb.append(",\"event_type\":\"last_trade_price\"");
        Json.field(sb, "fee_rate_bps", market.def().feeRateBps());
        Json.field(sb, "market", market.def().conditionId());
        Json.field(sb, "price", priceText);
        Json.field(sb, "side", takerSide.name());
        Json.field(sb, "size", Decimals.size(traded));
        Json.field(sb, "timestamp", Long.toString(ts));
        out.add(event(sb.append('}').toString(), List.of(book.assetId())));
        Map<String, List<Change>> change =
                Map.of(book.assetId(), List.of(new Change(restingSide, price, Math.max(0, left))));
        out.add(priceChangeEvent(market, change, ts));
        out.add(bestBidAsk(market, book, ts));
    }

    /**
     * The market moves between its home tick and a finer one that divides it ({@link TickSizes#alternate}), so every
     * resting price stays valid on the way to the finer tick. On the way back, levels that sit off the coarser grid
     * are first removed by an ordinary price_change (size "0", hash of the book after the removal), so the book is on
     * the new grid when the tick_size_change arrives and every hash can be reproduced by a client.
     */
    private void tickSizeChange(SimMarket market, long ts, List<FeedEvent> out) {
        String home = market.def().tickSize();
        Map<String, List<Change>> offGrid = new LinkedHashMap<>();
        String neu = null;
        for (String token : market.def().tokenIds()) {
            OrderBook book = universe.book(token).orElse(null);
            if (book == null) {
                continue;
            }
            if (neu == null) {
                neu = home.equals(book.tickSize()) ? TickSizes.alternate(home) : home;
            }
            int grid = Decimals.parsePrice(neu);
            for (Side side : Side.values()) {
                for (int price : book.side(side).keySet()) {
                    if (price % grid != 0) {
                        book.setLevel(side, price, 0, ts);
                        offGrid.computeIfAbsent(token, t -> new ArrayList<>()).add(new Change(side, price, 0));
                    }
                }
            }
        }
        if (neu == null) {
            return;
        }
        if (config.crossAssetDelivery() && !offGrid.isEmpty()) {
            out.add(priceChangeEvent(market, offGrid, ts));
        } else {
            offGrid.forEach((token, changes) -> out.add(priceChangeEvent(market, Map.of(token, changes), ts)));
        }
        for (String token : market.def().tokenIds()) {
            OrderBook book = universe.book(token).orElse(null);
            if (book == null) {
                continue;
            }
            String old = book.tickSize();
            book.tickSize(neu, ts);
            StringBuilder sb = new StringBuilder(256);
            sb.append("{\"event_type\":\"tick_size_change\"");
            Json.field(sb, "asset_id", token);
            Json.field(sb, "market", market.def().conditionId());
            Json.field(sb, "old_tick_size", old);
            Json.field(sb, "new_tick_size", neu);
            Json.field(sb, "timestamp", Long.toString(ts));
            out.add(event(sb.append('}').toString(), List.of(token)));
        }
    }

    /** Changes one level of the book; returns what changed, or null if nothing sensible could change. */
    private Change mutate(OrderBook book, Random r, long ts) {
        Side side = r.nextBoolean() ? Side.BUY : Side.SELL;
        NavigableMap<Integer, Long> levels = book.side(side);
        int bestBid = book.bestBid();
        int bestAsk = book.bestAsk();
        int action = r.nextInt(10);
        int max = Math.max(2, config.levelsPerSide() * 2);
        if (!levels.isEmpty() && (action < 6 || levels.size() >= max && action < 9)) {
            int price = pick(levels, r);
            boolean remove = action >= 6 || (levels.size() > 1 && r.nextInt(8) == 0);
            long size = remove ? 0 : MarketFactory.randomSize(r);
            book.setLevel(side, price, size, ts);
            return new Change(side, price, size);
        }
        // Add a level on the book's current tick grid, strictly inside (0, 1), without crossing the book; within a
        // few cents (or five ticks, if coarser) of the top.
        int tick = book.tickUnits();
        int reach = Math.max(5 * tick, 5 * Decimals.CENT);
        int lo;
        int hi;
        if (side == Side.BUY) {
            hi = (bestAsk < 0 ? Decimals.ONE - tick : bestAsk - tick);
            lo = Math.max(tick, (bestBid < 0 ? hi : bestBid) - reach);
        } else {
            lo = (bestBid < 0 ? tick : bestBid + tick);
            hi = Math.min(Decimals.ONE - tick, (bestAsk < 0 ? lo : bestAsk) + reach);
        }
        lo = (lo + tick - 1) / tick * tick;
        hi = hi / tick * tick;
        if (lo > hi) {
            return null;
        }
        int steps = (hi - lo) / tick;
        int price = lo + r.nextInt(steps + 1) * tick;
        long size = MarketFactory.randomSize(r);
        book.setLevel(side, price, size, ts);
        return new Change(side, price, size);
    }

    private FeedEvent priceChangeEvent(SimMarket market, Map<String, List<Change>> byAsset, long ts) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"market\":\"").append(market.def().conditionId()).append("\",\"price_changes\":[");
        boolean first = true;
        List<String> assets = new ArrayList<>(byAsset.keySet());
        for (Map.Entry<String, List<Change>> e : byAsset.entrySet()) {
            OrderBook book = universe.book(e.getKey()).orElseThrow();
            String hash = book.hash();
            String bestBid = book.bestBidText();
            String bestAsk = book.bestAskText();
            for (Change c : e.getValue()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append("{\"asset_id\":\"").append(e.getKey()).append('"');
                Json.field(sb, "price", Decimals.price(c.price()));
                Json.field(sb, "size", Decimals.size(c.size()));
                Json.field(sb, "side", c.side().name());
                Json.field(sb, "hash", hash);
                Json.field(sb, "best_bid", bestBid);
                Json.field(sb, "best_ask", bestAsk);
                sb.append('}');
            }
        }
        sb.append("],\"timestamp\":\"").append(ts).append("\",\"event_type\":\"price_change\"}");
        return event(sb.toString(), assets);
    }

    private FeedEvent bestBidAsk(SimMarket market, OrderBook book, long ts) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"event_type\":\"best_bid_ask\"");
        Json.field(sb, "market", market.def().conditionId());
        Json.field(sb, "asset_id", book.assetId());
        String bid = book.bestBidText();
        String ask = book.bestAskText();
        Json.field(sb, "best_bid", bid);
        Json.field(sb, "best_ask", ask);
        // No spread without both sides: "" like the other empty optional decimals.
        Json.field(
                sb,
                "spread",
                bid.isEmpty() || ask.isEmpty()
                        ? ""
                        : Decimals.price(Decimals.parsePrice(ask) - Decimals.parsePrice(bid)));
        Json.field(sb, "timestamp", Long.toString(ts));
        return new FeedEvent(faults.decorate(sb.append('}').toString()), List.of(book.assetId()), true, false);
    }

    /** The custom-feature {@code new_market} event (docs: market channel, custom_feature_enabled). */
    FeedEvent newMarket(SimMarket market, long ts) {
        MarketDef d = market.def();
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"event_type\":\"new_market\"");
        Json.field(sb, "id", d.id());
        Json.field(sb, "question", d.question());
        Json.field(sb, "market", d.conditionId());
        Json.field(sb, "slug", d.slug());
        Json.field(sb, "description", "Simulated market " + d.id() + ".");
        // The ids the row lists: position ids for a V2 market.
        sb.append(",\"assets_ids\":").append(jsonArray(d.listedIds()));
        sb.append(",\"outcomes\":").append(jsonArray(d.outcomes()));
        sb.append(",\"event_message\":{\"id\":\"").append(d.eventId()).append('"');
        Json.field(sb, "ticker", d.eventSlug());
        Json.field(sb, "slug", d.eventSlug());
        Json.field(sb, "title", d.eventTitle());
        Json.field(sb, "description", d.eventTitle());
        sb.append('}');
        Json.field(sb, "timestamp", Long.toString(ts));
        sb.append(",\"tags\":")
                .append(jsonArray(d.tags().stream().map(MarketDef.Tag::slug).toList()));
        Json.field(sb, "condition_id", d.conditionId());
        sb.append(",\"active\":true,\"clob_token_ids\":").append(jsonArray(d.listedIds()));
        Json.field(sb, "order_price_min_tick_size", d.tickSize());
        return new FeedEvent(faults.decorate(sb.append('}').toString()), d.listedIds(), true, true);
    }

    /**
     * The custom-feature {@code market_resolved} event, sent to every custom-feature connection whatever it
     * subscribed (global, like new_market: docs/COLLECTOR.md "What it does"; fields as Polymarket's
     * market_resolved sample). The winner is drawn from the seed and the market id, so a rerun resolves alike.
     */
    FeedEvent marketResolved(SimMarket market, long ts) {
        MarketDef d = market.def();
        List<String> ids = d.listedIds();
        int winner = new Random(MarketFactory.mix(config.seed() ^ 0x7e50L, d.id().hashCode()))
                .nextInt(d.outcomes().size());
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"event_type\":\"market_resolved\"");
        Json.field(sb, "id", d.id());
        Json.field(sb, "market", d.conditionId());
        sb.append(",\"assets_ids\":").append(jsonArray(ids));
        Json.field(sb, "winning_asset_id", ids.isEmpty() ? "" : ids.get(winner));
        Json.field(sb, "winning_outcome", d.outcomes().get(winner));
        Json.field(sb, "timestamp", Long.toString(ts));
        sb.append(",\"tags\":")
                .append(jsonArray(d.tags().stream().map(MarketDef.Tag::slug).toList()));
        return new FeedEvent(faults.decorate(sb.append('}').toString()), ids, true, true);
    }

    private FeedEvent event(String json, List<String> assets) {
        return new FeedEvent(faults.decorate(json), assets, false, false);
    }

    private static String jsonArray(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Json.str(sb, values.get(i));
        }
        return sb.append(']').toString();
    }

    private static int pick(NavigableMap<Integer, Long> levels, Random r) {
        int skip = r.nextInt(levels.size());
        for (int p : levels.keySet()) {
            if (skip-- == 0) {
                return p;
            }
        }
        return levels.lastKey();
    }

    private record Change(Side side, int price, long size) {}
}
