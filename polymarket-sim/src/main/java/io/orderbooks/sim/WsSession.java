package io.orderbooks.sim;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jboss.logging.Logger;

/**
 * One market-channel websocket connection (docs: market channel, wss-overview). Everything here runs on the
 * connection's own event loop, so the oracle records frames in exactly the order they go on the wire.
 */
final class WsSession {
    private static final Logger LOG = Logger.getLogger(WsSession.class);
    /** Close code when a subscribe frame carries too many ids; the real server's code is not documented. */
    static final short TOO_MANY_IDS = 1008;
    /** Close code of the idle timeout; the real server's code is not documented. */
    static final short IDLE = 1001;

    private final String id;
    private final ServerWebSocket ws;
    private final Context context;
    private final SimConfig config;
    private final Universe universe;
    private final Faults faults;
    private final FeedEngine engine;
    private final Oracle.ConnectionLog log;
    private final Random shape;
    private final Set<String> subscribed = new LinkedHashSet<>();
    private final Set<String> served = new LinkedHashSet<>();
    private volatile boolean custom;
    private volatile boolean closed;
    /** Last text frame from the client (any: PING, subscribe, garbage), for the idle timeout. Event loop only. */
    private long lastClientFrameNanos = System.nanoTime();

    private long idleTimer = -1;
    private volatile boolean stalled;
    private final FirehosePump pump;
    private final Queue<String> firehosePending = new ConcurrentLinkedQueue<>();
    private volatile List<String[]> firehoseRing = List.of();
    /** Set on the event loop when the first subscribe hands this session to the pump. */
    private boolean pumping;
    // Pump thread only: the position in the ring, and the pacing against the pump's current rate.
    private long firehoseIndex;
    private FirehosePump.Rate paceRate;
    private long paceStartNanos;
    private long paceSent;
    /** Batches queued to the event loop but not yet written to the socket; bounds the pump's memory use. */
    private final java.util.concurrent.atomic.AtomicInteger batchesInFlight =
            new java.util.concurrent.atomic.AtomicInteger();

    private static final int MAX_BATCHES_IN_FLIGHT = 2;

    WsSession(
            String id,
            ServerWebSocket ws,
            Context context,
            SimConfig config,
            Universe universe,
            Faults faults,
            FeedEngine engine,
            FirehosePump pump,
            Oracle.ConnectionLog log) {
        this.id = id;
        this.ws = ws;
        this.context = context;
        this.config = config;
        this.universe = universe;
        this.faults = faults;
        this.engine = engine;
        this.log = log;
        this.pump = pump;
        this.shape = new Random(MarketFactory.mix(config.seed(), id.hashCode()));
        ws.textMessageHandler(this::onText);
        ws.closeHandler(v -> onClosed("client closed or connection lost"));
        ws.exceptionHandler(e -> LOG.debugf("connection %s: %s", id, e.getMessage()));
        engine.register(this);
        if (!config.wsIdleTimeout().isZero()) {
            context.runOnContext(v -> armIdleTimer(config.wsIdleTimeout().toNanos()));
        }
    }

    /**
     * Docs: the client pings every 10 s and idle connections are closed after about a minute without client activity.
     * One timer per connection, re-armed for the remaining time whenever the client was heard from.
     */
    private void armIdleTimer(long delayNanos) {
        if (closed) {
            return;
        }
        idleTimer = context.owner().setTimer(Math.max(1, delayNanos / 1_000_000), t -> {
            long left = config.wsIdleTimeout().toNanos() - (System.nanoTime() - lastClientFrameNanos);
            if (left <= 0) {
                close(IDLE, "idle timeout: nothing from the client for " + config.wsIdleTimeout());
            } else {
                armIdleTimer(left);
            }
        });
    }

    String id() {
        return id;
    }

    private void onText(String text) {
        lastClientFrameNanos = System.nanoTime();
        // Keepalive: the client sends the text PING, the server answers the text PONG (docs: wss-overview).
        if ("PING".equals(text)) {
            if (!closed) {
                ws.writeTextMessage("PONG");
                log.pong();
            }
            return;
        }
        JsonObject msg;
        JsonArray ids;
        try {
            msg = new JsonObject(text);
            ids = msg.getJsonArray("assets_ids");
        } catch (DecodeException | ClassCastException e) {
            log.invalidClientFrame();
            return;
        }
        if (ids == null) {
            log.invalidClientFrame();
            return;
        }
        // Frames with thousands of ids make the server close the connection; clients chunk at 100
        // (rs-clob-client-v2#116/#117).
        if (ids.size() > config.wsMaxIdsPerFrame()) {
            close(TOO_MANY_IDS, "subscribe frame with " + ids.size() + " ids");
            return;
        }
        List<String> assets = new ArrayList<>();
        for (Object o : ids) {
            if (o instanceof String s && !s.isBlank()) {
                assets.add(s);
            }
        }
        if (msg.getValue("custom_feature_enabled") instanceof Boolean b) {
            custom = b;
        }
        String op = msg.getValue("operation") instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
        if (op == null) {
            Object type = msg.getValue("type");
            if (!(type instanceof String t) || !"market".equalsIgnoreCase(t)) {
                log.invalidClientFrame();
                return;
            }
            subscribe(assets, !Boolean.FALSE.equals(msg.getValue("initial_dump")));
        } else if ("subscribe".equals(op)) {
            subscribe(assets, !Boolean.FALSE.equals(msg.getValue("initial_dump")));
        } else if ("unsubscribe".equals(op)) {
            unsubscribe(assets);
        } else {
            log.invalidClientFrame();
        }
    }

    private void subscribe(List<String> assets, boolean initialDump) {
        if (config.wsRejectDuplicateSubscribe()) {
            // py-sdk market protocol: a subscribe naming assets already subscribed on the connection is rejected.
            // All or nothing here; the reply's shape is unknown upstream, so this one is invented.
            List<String> dup =
                    assets.stream().filter(subscribed::contains).distinct().toList();
            if (!dup.isEmpty()) {
                log.invalidClientFrame();
                if (!faults.silent(id) && !stalled()) {
                    send(duplicateSubscribeReply(dup));
                }
                return;
            }
        }
        List<String> added = new ArrayList<>();
        for (String a : assets) {
            if (subscribed.add(a) && served.size() < config.wsMaxAssetsPerConnection()) {
                // Above ~500 assets a connection silently stops getting data for the excess (nautilus_trader PR #2915).
                served.add(a);
                engine.served(a, this, true);
                added.add(a);
            }
        }
        log.assets(subscribed.size(), served.size());
        updateStall();
        if (initialDump && !added.isEmpty()) {
            // On subscribe the server sends one JSON array of book events, one per asset that has a book.
            StringBuilder sb = new StringBuilder(2048 * added.size());
            sb.append('[');
            int n = 0;
            for (String a : added) {
                OrderBook book = universe.book(a).orElse(null);
                if (book != null) {
                    if (n++ > 0) {
                        sb.append(',');
                    }
                    sb.append(faults.decorate(book.wsBookJson(config.initialBookLastTradePrice())));
                }
            }
            if (n > 0 && !faults.silent(id) && !stalled()) {
                send(sb.append(']').toString());
            }
        }
        if (config.firehose()) {
            rebuildFirehoseRing();
            if (!pumping) {
                pumping = true;
                pump.add(this);
            }
        }
    }

    private void unsubscribe(List<String> assets) {
        for (String a : assets) {
            subscribed.remove(a);
            if (served.remove(a)) {
                engine.served(a, this, false);
            }
        }
        log.assets(subscribed.size(), served.size());
        updateStall();
        if (config.firehose()) {
            rebuildFirehoseRing();
        }
    }

    /**
     * The invented reply to a duplicate subscribe: {@code {"event_type":"error","error":"asset already subscribed",
     * "assets_ids":[…]}} listing the assets that were already subscribed. A data frame: it is in the oracle.
     */
    static String duplicateSubscribeReply(List<String> duplicates) {
        StringBuilder sb = new StringBuilder(64 + 80 * duplicates.size());
        sb.append("{\"event_type\":\"error\",\"error\":\"asset already subscribed\",\"assets_ids\":[");
        for (int i = 0; i < duplicates.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Json.str(sb, duplicates.get(i));
        }
        return sb.append("]}").toString();
    }

    /**
     * Whole-connection stall: above ~250 assets per connection the connection silently stops getting data while
     * PING/PONG keeps working (py-clob-client#292; nautilus_trader lowered its default to 200).
     */
    private boolean stalled() {
        return stalled;
    }

    /** After every subscription change, on the event loop; the pump thread reads the volatile result. */
    private void updateStall() {
        stalled = config.wsStallAboveAssets() > 0 && subscribed.size() > config.wsStallAboveAssets();
    }

    /** Events from the generator; called on any thread, sent on this connection's event loop. */
    void deliver(List<FeedEvent> events) {
        context.runOnContext(v -> sendEvents(events));
    }

    private void sendEvents(List<FeedEvent> events) {
        if (closed || faults.silent(id) || stalled()) {
            return;
        }
        List<String> batch = new ArrayList<>(events.size());
        for (FeedEvent e : events) {
            // Re-check the subscription here: an unsubscribe may have been handled after the generator chose us.
            if ((!e.customOnly() || custom) && (e.broadcast() || servesAny(e.assetIds()))) {
                batch.add(e.json());
            }
        }
        // Messages are single objects or arrays of events (rs-clob-client response.rs handles both).
        int i = 0;
        while (i < batch.size()) {
            if (shape.nextDouble() < config.arrayFrameShare()) {
                int k = Math.min(batch.size() - i, 1 + shape.nextInt(3));
                send("[" + String.join(",", batch.subList(i, i + k)) + "]");
                i += k;
            } else {
                send(batch.get(i++));
            }
        }
    }

    private boolean servesAny(List<String> assets) {
        for (String a : assets) {
            if (served.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private void send(String text) {
        if (closed) {
            return;
        }
        if (config.firehose()) {
            // In firehose mode the pump thread is the only writer of data frames (order = oracle order).
            firehosePending.add(text);
            return;
        }
        write(text);
    }

    private io.vertx.core.Future<Void> write(String text) {
        Faults.Malformed bad = faults.takeWsMalformed();
        String frame = bad == null ? text : Faults.corrupt(text, bad);
        io.vertx.core.Future<Void> written = ws.writeTextMessage(frame);
        // Vert.x refuses writes (an already failed future) once the peer's close frame has arrived, which can be
        // before our close handler runs: such a frame never reaches the wire, so it is not in the oracle either.
        if (!written.failed()) {
            log.frame(frame);
        }
        return written;
    }

    void drop(String reason) {
        context.runOnContext(v -> close((short) 1011, reason));
    }

    private void close(short code, String reason) {
        if (closed) {
            return;
        }
        onClosed(reason);
        ws.close(code, reason);
    }

    private void onClosed(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (idleTimer >= 0) {
            context.owner().cancelTimer(idleTimer);
        }
        log.closed(config.clock().millis(), reason);
        if (pump != null) {
            pump.remove(this);
        }
        for (String a : served) {
            engine.served(a, this, false);
        }
        engine.unregister(this);
    }

    private void rebuildFirehoseRing() {
        List<String[]> ring = new ArrayList<>();
        for (String a : served) {
            String[] frames = engine.firehoseFrames(a);
            if (frames.length > 0) {
                ring.add(frames);
            }
        }
        firehoseRing = ring;
    }

    /**
     * Called by the {@link FirehosePump} thread only: writes pending frames (snapshots), then precomputed frames, until
     * the socket's write queue is full or the batch is done. Each asset cycles through its two frames, so a client's
     * book stays valid. Capped at the pump's current per-connection rate, if it has one: the pacing restarts whenever
     * the rate changes, so a change takes effect at once, without a burst to catch up.
     *
     * @return frames written
     */
    int pumpBatch(int batch) {
        if (closed) {
            return 0;
        }
        boolean full;
        try {
            full = ws.writeQueueFull();
        } catch (IllegalStateException e) {
            // "WebSocket is closed": the peer's close frame arrived; the close handler follows on the event loop.
            pump.remove(this);
            return 0;
        }
        // Writes from this thread queue up on the event loop, where writeQueueFull cannot see them: bound them by
        // counting batches whose last frame has not reached the socket yet.
        if (full || batchesInFlight.get() >= MAX_BATCHES_IN_FLIGHT) {
            return 0;
        }
        int written = 0;
        io.vertx.core.Future<Void> last = null;
        String pending;
        while (written < batch && (pending = firehosePending.poll()) != null) {
            last = write(pending);
            written++;
        }
        List<String[]> ring = firehoseRing;
        int budget = ring.isEmpty() || faults.silent(id) || stalled ? 0 : batch - written;
        FirehosePump.Rate rate = pump.rate();
        if (rate != paceRate) {
            paceRate = rate;
            paceStartNanos = System.nanoTime();
            paceSent = 0;
        }
        if (rate.perConnection() > 0) {
            long elapsed = System.nanoTime() - paceStartNanos;
            long allowed = elapsed / 1_000_000_000L * rate.perConnection()
                    + elapsed % 1_000_000_000L * rate.perConnection() / 1_000_000_000L;
            budget = (int) Math.max(0, Math.min(budget, allowed - paceSent));
        }
        int pumped = 0;
        for (int i = 0; i < budget && !closed; i++) {
            String[] frames = ring.get((int) (firehoseIndex % ring.size()));
            long round = firehoseIndex / ring.size();
            last = write(frames[(int) (round & 1)]);
            firehoseIndex++;
            pumped++;
        }
        paceSent += pumped;
        pump.countPumped(pumped);
        written += pumped;
        if (last != null) {
            batchesInFlight.incrementAndGet();
            last.onComplete(ar -> batchesInFlight.decrementAndGet());
        }
        return written;
    }
}
