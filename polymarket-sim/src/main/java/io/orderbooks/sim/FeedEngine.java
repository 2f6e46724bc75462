package io.orderbooks.sim;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The market-data clock: every tick it moves the markets (faster where someone is subscribed), serialises each event
 * once and hands each connection the events for its assets. Runs on one Vert.x context; each connection then sends on
 * its own event loop.
 */
final class FeedEngine {
    private final SimConfig config;
    private final Universe universe;
    private final BookActivity activity;
    private final Map<String, Set<WsSession>> subscribers = new ConcurrentHashMap<>();
    private final Set<WsSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, Random> randoms = new HashMap<>();
    private final Map<String, String[]> firehoseFrames = new ConcurrentHashMap<>();
    private final Context context;
    private long lastTickNanos;
    private final RateShape shape;
    /** Events generated, and a one-second moving figure of the total event rate (admin state, log). */
    private final java.util.concurrent.atomic.AtomicLong eventsGenerated = new java.util.concurrent.atomic.AtomicLong();

    private volatile double eventRate;

    FeedEngine(SimConfig config, Universe universe, Faults faults, Context context) {
        this.config = config;
        this.universe = universe;
        this.activity = new BookActivity(config, universe, faults);
        this.context = context;
        this.shape = new RateShape(config);
        universe.onNewMarket(m -> context.runOnContext(
                v -> dispatch(List.of(activity.newMarket(m, config.clock().millis())))));
        universe.onResolved(m -> context.runOnContext(v -> {
            dispatch(List.of(activity.marketResolved(m, config.clock().millis())));
            activity.forget(m);
            randoms.remove(m.id());
            shape.forget(m.id());
        }));
    }

    void start() {
        context.runOnContext(v -> {
            lastTickNanos = System.nanoTime();
            if (!config.firehose()) {
                context.owner().setPeriodic(config.tick().toMillis(), id -> tick());
            }
            if (universe.upDown().enabled()) {
                // Expire and replace up/down markets on the generator's own thread, a few times per shortest window.
                long shortest = config.updownWindows().stream()
                        .mapToLong(java.time.Duration::toMillis)
                        .min()
                        .orElse(1000);
                context.owner()
                        .setPeriodic(
                                Math.max(100, Math.min(1000, shortest / 10)),
                                id -> universe.upDown().step(config.clock().instant()));
            }
            if (!config.marketChurn().isZero()) {
                context.owner().setPeriodic(config.marketChurn().toMillis(), id -> universe.churnOnce());
            }
        });
    }

    void register(WsSession s) {
        sessions.add(s);
    }

    void unregister(WsSession s) {
        sessions.remove(s);
    }

    void served(String asset, WsSession s, boolean on) {
        if (on) {
            subscribers
                    .computeIfAbsent(asset, a -> ConcurrentHashMap.newKeySet())
                    .add(s);
        } else {
            Set<WsSession> set = subscribers.get(asset);
            if (set != null) {
                set.remove(s);
            }
        }
    }

    Set<WsSession> sessions() {
        return sessions;
    }

    /** Moves every open market by its share of events since the last tick. */
    void tick() {
        long now = System.nanoTime();
        double seconds = Math.min(1.0, (now - lastTickNanos) / 1e9);
        lastTickNanos = now;
        long ts = config.clock().millis();
        double burst = shape.advance(seconds);
        List<FeedEvent> events = new ArrayList<>();
        for (SimMarket m : universe.markets()) {
            if (!m.hasBook()) {
                continue;
            }
            boolean watched = false;
            for (String t : m.def().tokenIds()) {
                Set<WsSession> s = subscribers.get(t);
                watched |= s != null && !s.isEmpty();
            }
            double rate = (watched ? config.eventsPerSecondPerAsset() : config.idleEventsPerSecondPerAsset())
                    * shape.weight(m.id())
                    * burst;
            Random r = randoms.computeIfAbsent(
                    m.id(), id -> new Random(MarketFactory.mix(config.seed() + 7, id.hashCode())));
            int n = poisson(r, rate * m.def().tokenIds().size() * seconds);
            for (int i = 0; i < n; i++) {
                events.addAll(activity.step(m, r, ts));
            }
        }
        eventsGenerated.addAndGet(events.size());
        // Exponential moving average over about one second of ticks.
        double alpha = Math.min(1, seconds);
        eventRate = seconds <= 0 ? eventRate : eventRate * (1 - alpha) + alpha * events.size() / seconds;
        dispatch(events);
    }

    /** Events the generator made so far (before fan-out to connections). */
    long eventsGenerated() {
        return eventsGenerated.get();
    }

    /** The generator's current total event rate, events per second, smoothed over about a second. */
    double eventRate() {
        return eventRate;
    }

    private void dispatch(List<FeedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        Map<WsSession, List<FeedEvent>> perSession = new IdentityHashMap<>();
        for (FeedEvent e : events) {
            if (e.broadcast()) {
                for (WsSession s : sessions) {
                    perSession.computeIfAbsent(s, k -> new ArrayList<>()).add(e);
                }
                continue;
            }
            Map<WsSession, Boolean> seen = new IdentityHashMap<>();
            for (String asset : e.assetIds()) {
                Set<WsSession> subs = subscribers.get(asset);
                if (subs == null) {
                    continue;
                }
                for (WsSession s : subs) {
                    if (seen.put(s, Boolean.TRUE) == null) {
                        perSession.computeIfAbsent(s, k -> new ArrayList<>()).add(e);
                    }
                }
            }
        }
        perSession.forEach(WsSession::deliver);
    }

    /**
     * Firehose frames of one asset: two price_change frames that set a level to another size and back. Replayed in
     * turn they keep the client's book valid and every hash right, at the cost of a frozen timestamp.
     */
    String[] firehoseFrames(String asset) {
        return firehoseFrames.computeIfAbsent(asset, a -> {
            OrderBook live = universe.book(a).orElse(null);
            SimMarket m = universe.marketOfToken(a).orElse(null);
            if (live == null || m == null) {
                return new String[0];
            }
            OrderBook book = live.copy();
            long ts = Math.max(book.timestamp() + 1, config.clock().millis());
            Side side = book.bestBid() >= 0 ? Side.BUY : Side.SELL;
            int price = side == Side.BUY ? book.bestBid() : book.bestAsk();
            if (price < 0) {
                return new String[0];
            }
            long size = book.sizeAt(side, price);
            String[] frames = new String[2];
            book.setLevel(side, price, size + 100, ts);
            frames[0] = firehoseFrame(m, book, side, price, size + 100, ts);
            book.setLevel(side, price, size, ts);
            frames[1] = firehoseFrame(m, book, side, price, size, ts);
            return frames;
        });
    }

    private static String firehoseFrame(SimMarket m, OrderBook book, Side side, int price, long size, long ts) {
        StringBuilder sb = new StringBuilder(400);
        sb.append("{\"market\":\"")
                .append(m.def().conditionId())
                .append("\",\"price_changes\":[{\"asset_id\":\"")
                .append(book.assetId())
                .append('"');
        Json.field(sb, "price", Decimals.price(price));
        Json.field(sb, "size", Decimals.size(size));
        Json.field(sb, "side", side.name());
        Json.field(sb, "hash", book.hash());
        Json.field(sb, "best_bid", book.bestBidText());
        Json.field(sb, "best_ask", book.bestAskText());
        sb.append("}],\"timestamp\":\"").append(ts).append("\",\"event_type\":\"price_change\"}");
        return sb.toString();
    }

    private static int poisson(Random r, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 30) {
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * r.nextGaussian()));
        }
        double l = Math.exp(-lambda);
        double p = 1.0;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l && k < 1000);
        return k - 1;
    }
}
