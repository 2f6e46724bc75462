package io.orderbooks.collector;

import io.orderbooks.shared.records.Event;
import io.orderbooks.shared.records.FrameScanner;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.records.GapReason;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One market-websocket connection and the assets it carries: its state machine (connect, subscribe, watch for
 * silence, close, reconnect). Everything happens on one Vert.x context, so the state needs no locks. What it writes
 * is {@link WsRecorder}'s (frames verbatim with the connection id {@code ws-<slot>.<reconnects>@<run>} and a
 * per-connection {@code seq}; connects, subscriptions, stalls and disconnects as in-band events); the time without
 * data between a loss and the next subscription is an {@link Outage}, written as a gap. Frames are joined by
 * {@link FrameAssembler}, subscriptions built by {@link SubscribeFrames}, reconnects spaced by
 * {@link ReconnectBackoff}.
 */
final class WsConnection {
    private static final Logger LOG = Logger.getLogger(WsConnection.class);
    private static final byte[] PONG = "PONG".getBytes(StandardCharsets.US_ASCII);

    enum State {
        CONNECTING,
        OPEN,
        WAITING,
        STOPPED
    }

    private final int slot;
    /** This run's token (RunManifest.runToken), so ids differ from those of every earlier run of the instance. */
    private final String runToken;

    private final Context context;
    private final WebSocketClient client;
    private final WebSocketConnectOptions target;
    private final CollectorConfig.Ws config;
    private final StreamPump pump;
    private final WsStats stats;
    private final WsRecorder recorder;
    private final SubscribeFrames frames;
    private final ReconnectBackoff backoff;
    private final FrameAssembler assembler = new FrameAssembler(this::message);
    private final Outage outage = new Outage();
    private final Consumer<Set<String>> onStall;
    private final WsConnections pool;
    private final Set<String> assets = new LinkedHashSet<>();

    private State state = State.WAITING;
    private WebSocket socket;
    private int generation = -1;
    /** {@link #connId()} of the current generation, formatted once per (re)connect rather than once per frame. */
    private String connId;

    private long seq;
    /** Last data frame, or the last (re)connect or resume: what the stall watchdog measures silence from. */
    private long lastDataNanos = System.nanoTime();
    /** Last frame naming an asset, 0 = none yet; never reset by a reconnect. Read on any thread (readiness, splits). */
    private volatile long lastAssetDataNanos;

    private final long createdNanos = System.nanoTime();
    private long lastPongNanos;
    private int failedAttempts;
    private long timerId = -1;
    private String closeReason;
    /** Not reading the socket because the writer is backlogged (see {@link #pauseForTheDisk()}). */
    private boolean paused;

    private long pausedAtNanos;
    private final String endpoint;
    /** The previous subscribed session ended stale (or these assets stalled on the connection they were split from). */
    private boolean lastSessionStalled;
    /** Frames received since this session's subscribe: none means a stall came "right after the reconnect". */
    private long framesSinceSubscribe;
    /** Started by a split: the first subscription writes the stall of the connection the assets came from as a gap. */
    private boolean splitOff;
    /** Asks for custom features, so gets the global new_market/market_resolved events ({@link WsConnections}). */
    private boolean lead;

    WsConnection(
            int slot,
            Vertx vertx,
            WebSocketClient client,
            WebSocketConnectOptions target,
            CollectorConfig.Ws config,
            StreamPump pump,
            WsStats stats,
            Consumer<Set<String>> onStall,
            WsConnections pool,
            String runToken) {
        this.slot = slot;
        this.runToken = runToken;
        this.context = vertx.getOrCreateContext();
        this.client = client;
        this.target = target;
        this.config = config;
        this.pump = pump;
        this.stats = stats;
        this.recorder = new WsRecorder(pump, stats);
        this.frames = new SubscribeFrames(config.maxIdsPerFrame(), config.customFeatureEnabled());
        this.backoff = new ReconnectBackoff(config.reconnectMinBackoff(), config.reconnectMaxBackoff());
        this.onStall = onStall;
        this.pool = pool;
        this.connId = formatConnId(slot, 0, runToken);
        // The whole endpoint, not just the path that WebSocketConnectOptions.getURI() holds.
        this.endpoint = (Boolean.TRUE.equals(target.isSsl()) ? "wss" : "ws") + "://" + target.getHost() + ":"
                + target.getPort() + target.getURI();
    }

    int slot() {
        return slot;
    }

    /**
     * The id written in records: slot, reconnect count and the run's token, e.g. {@code ws-03.7@3f2a}
     * (docs/DATA-FORMAT.md §2). Slot and count restart with every run; the token makes the id unique across runs.
     */
    String connId() {
        return connId;
    }

    static String formatConnId(int slot, int generation, String runToken) {
        return String.format("ws-%02d.%d@%s", slot, Math.max(generation, 0), runToken);
    }

    State state() {
        return state;
    }

    /**
     * How long no frame naming an asset has arrived: since the last one, or since this connection was created.
     * Reconnects do not restart it, so a connection that keeps stalling stays silent here (readiness).
     */
    long silentNanos(long nowNanos) {
        return nowNanos - Math.max(createdNanos, lastAssetDataNanos);
    }

    /** A frame naming an asset arrived within {@code nanos}: evidence that the feed is alive (never true before one). */
    boolean hadDataWithin(long nowNanos, long nanos) {
        long last = lastAssetDataNanos;
        return last != 0 && nowNanos - last <= nanos;
    }

    void start(Set<String> initial) {
        context.runOnContext(v -> {
            assets.addAll(initial);
            connect();
        });
    }

    /**
     * Starts with assets split off a stalled connection: they stalled there already (so a stall here right after the
     * subscribe halves again), and their silence on {@code stall.conn()} is a gap that this subscription closes.
     */
    void startSplitOff(Set<String> initial, Gap stall) {
        context.runOnContext(v -> {
            assets.addAll(initial);
            lastSessionStalled = true;
            splitOff = true;
            outage.begin(stall.fromUs(), stall.kind(), stall.conn());
            connect();
        });
    }

    /**
     * Makes this the connection that receives the global events. An open connection asks at once with a subscribe
     * frame that names no asset (so it cannot be a duplicate; docs wss-overview allow custom_feature_enabled on
     * operation frames); every later (re)subscribe asks for them too. {@code from} is the previous lead, if any.
     */
    void lead(String from) {
        context.runOnContext(v -> {
            if (lead || state == State.STOPPED) {
                return;
            }
            lead = true;
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("from", from);
            fields.put("open", state == State.OPEN);
            event(Event.LEAD, fields);
            if (state == State.OPEN) {
                socket.writeTextMessage(frames.leadOnly());
            }
        });
    }

    /** Adds or removes assets; on an open connection the change is sent as {@code operation} frames. */
    void change(Set<String> add, Set<String> remove) {
        context.runOnContext(v -> {
            List<String> added = add.stream().filter(assets::add).toList();
            List<String> removed = remove.stream().filter(assets::remove).toList();
            if (state == State.OPEN) {
                send(added, SubscribeFrames.SUBSCRIBE, Event.SUBSCRIBED);
                send(removed, SubscribeFrames.UNSUBSCRIBE, Event.UNSUBSCRIBED);
            }
        });
    }

    void stop() {
        context.runOnContext(v -> {
            state = State.STOPPED;
            cancelTimer();
            if (socket != null && !socket.isClosed()) {
                closeReason = "shutdown";
                socket.close((short) 1000, "shutdown");
            }
        });
    }

    private void connect() {
        if (state == State.STOPPED) {
            return;
        }
        state = State.CONNECTING;
        generation++;
        connId = formatConnId(slot, generation, runToken);
        seq = 0;
        assembler.reset();
        closeReason = null;
        outage.beginIfNone(Clocks.nowMicros(), generation == 0 ? GapReason.CONNECTING : GapReason.RECONNECTING, connId);
        client.connect(target).onComplete(ar -> {
            if (ar.failed()) {
                failedAttempts++;
                LOG.warnf(
                        "%s: connect failed (attempt %d): %s",
                        connId(), failedAttempts, ar.cause().toString());
                stats.reconnect("connect-failed");
                event(
                        Event.CONNECT_FAILED,
                        Map.of("error", String.valueOf(ar.cause().getMessage()), "attempt", failedAttempts));
                if (state != State.STOPPED) {
                    state = State.WAITING;
                    scheduleReconnect();
                }
                return;
            }
            opened(ar.result());
        });
    }

    private void opened(WebSocket ws) {
        if (state == State.STOPPED) {
            ws.close();
            return;
        }
        socket = ws;
        state = State.OPEN;
        OutboundDeflate.drop(ws); // before the first message, so no deflater is made (~256 KiB per connection)
        long now = System.nanoTime();
        lastDataNanos = now;
        lastPongNanos = now;
        ws.frameHandler(assembler::frame);
        ws.exceptionHandler(e -> {
            closeReason = closeReason == null ? "error: " + e.getMessage() : closeReason;
            LOG.warnf("%s: %s", connId(), e.toString());
        });
        ws.closeHandler(v -> closed(ws));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("assets", assets.size());
        fields.put("url", endpoint);
        fields.put("lead", lead);
        fields.put("compression", negotiatedCompression(ws));
        event(Event.CONNECTED, fields);
        subscribeAll();
        timerId = context.owner().setPeriodic(config.pingInterval().toMillis(), id -> tick());
        stats.connected(slot, true);
    }

    /** The extension the server accepted in its handshake answer, e.g. {@code permessage-deflate}, or null. */
    private static String negotiatedCompression(WebSocket ws) {
        String ext = ws.headers() == null ? null : ws.headers().get("Sec-WebSocket-Extensions");
        if (ext == null || ext.isBlank()) {
            return null;
        }
        return ext.split(";")[0].trim();
    }

    /** The first frame is the initial {@code type: market} subscribe; the rest use {@code operation: subscribe}. */
    private void subscribeAll() {
        List<String> all = new ArrayList<>(assets);
        frames.initial(all, lead).forEach(socket::writeTextMessage);
        long nowUs = Clocks.nowMicros();
        event(Event.SUBSCRIBED, Map.of("assets", all.size(), "frames", frames.count(all.size())));
        if (outage.isOpen() && (generation > 0 || failedAttempts > 0 || splitOff)) {
            // The gap belongs to the connection that lost the data; "resumed_by" names the one that took over.
            recorder.gap(nowUs, outage.gapUntil(nowUs), Map.of("assets", all.size(), "resumed_by", connId()));
        }
        outage.end();
        failedAttempts = 0;
        splitOff = false;
        framesSinceSubscribe = 0;
    }

    private void send(List<String> ids, String operation, Event done) {
        frames.operation(ids, operation, lead).forEach(socket::writeTextMessage);
        if (!ids.isEmpty()) {
            event(done, Map.of("assets", ids.size(), "total", assets.size()));
        }
    }

    private void message(byte[] bytes) {
        long recvUs = Clocks.nowMicros();
        if (Arrays.equals(bytes, PONG)) {
            lastPongNanos = System.nanoTime();
            return; // PONG frames are not recorded (docs/DATA-FORMAT.md §2)
        }
        FrameScanner.Result r = recorder.frame(connId(), seq++, recvUs, bytes);
        if (!r.assets().isEmpty()) {
            // Only market data for assets proves the subscription works: a reply to a subscribe (an error object),
            // non-JSON text or a global new_market is recorded like any frame, but does not hold off the stall
            // watchdog or make a stall right after a reconnect look like data had flowed.
            lastDataNanos = System.nanoTime();
            lastAssetDataNanos = lastDataNanos;
            framesSinceSubscribe++;
        }
        if (!paused && config.backpressure() && pump.backlogged()) {
            pauseForTheDisk();
        }
    }

    /**
     * The writer is behind: stop reading this socket until its queue has drained. Vert.x then stops reading from
     * TCP, the receive window closes and the server holds its frames, so a burst costs delay instead of lost
     * frames. {@code recv_us} is when the collector read a frame; the server's own {@code timestamp} is unchanged.
     * Only if the server gives up on us does data go missing, and then the disconnect is a recorded gap.
     */
    private void pauseForTheDisk() {
        WebSocket ws = socket;
        paused = true;
        pausedAtNanos = System.nanoTime();
        ws.pause();
        stats.paused();
        event(Event.PAUSED, Map.of("reason", "write-backlog", "queue", pump.depth()));
        pump.whenDrained(() -> context.runOnContext(v -> resumeAfterTheDisk(ws)));
    }

    private void resumeAfterTheDisk(WebSocket ws) {
        if (!paused || ws != socket) {
            return; // closed or reconnected meanwhile; the new socket was never paused
        }
        paused = false;
        long now = System.nanoTime();
        // While paused nothing was read, PONGs included: that silence was ours, not the server's.
        lastDataNanos = now;
        lastPongNanos = now;
        event(Event.RESUMED, Map.of("paused_ms", (now - pausedAtNanos) / 1_000_000L, "queue", pump.depth()));
        ws.resume();
    }

    private void tick() {
        if (state != State.OPEN || socket == null) {
            return;
        }
        long now = System.nanoTime();
        if (paused) {
            socket.writeTextMessage("PING");
            return; // PONGs and data wait unread in the socket: neither silence means the server is gone
        }
        if (now - lastPongNanos > config.pongTimeout().toNanos()) {
            lostConnection(
                    GapReason.PONG_TIMEOUT,
                    "no PONG for " + config.pongTimeout().toSeconds() + "s");
            return;
        }
        if (!assets.isEmpty() && now - lastDataNanos > config.staleAfter().toNanos()) {
            stale(now);
            return;
        }
        socket.writeTextMessage("PING");
    }

    /** No data while PONGs come (py-clob-client#292): record it, ask for REST books, maybe split, reconnect. */
    private void stale(long now) {
        long silentSeconds = (now - lastDataNanos) / 1_000_000_000L;
        boolean repeat = lastSessionStalled && framesSinceSubscribe == 0;
        StallSplitPolicy.Decision d = pool.splitPolicy().decide(repeat, assets.size(), repeat && pool.mayGrow(this));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("silent_s", silentSeconds);
        fields.put("assets", assets.size());
        fields.put("repeat", repeat);
        fields.put("then", d.action().wire);
        event(Event.STALE, fields);
        stats.stall();
        onStall.accept(Set.copyOf(assets));
        if (d.action() == StallSplitPolicy.Action.SPLIT) {
            split(d.keep(), Clocks.nowMicros() - (now - lastDataNanos) / 1000);
        } else if (d.action() == StallSplitPolicy.Action.RECONNECT_FEED_SILENT) {
            LOG.warnf(
                    "%s: stalled again right after its reconnect, but no other connection has data either: the feed "
                            + "may be silent, so it is not split (the pool has %d connections) and reconnects",
                    connId(), pool.connectionCount());
        } else if (d.action() == StallSplitPolicy.Action.RECONNECT_AT_FLOOR) {
            LOG.warnf(
                    "%s: stalled again right after its reconnect with %d assets; halves would be below "
                            + "min-assets-per-connection (%d), so it is not split and keeps reconnecting",
                    connId(), assets.size(), pool.splitPolicy().minAssets());
        }
        lastSessionStalled = true;
        lostConnection(GapReason.STALE, "no data for " + silentSeconds + "s while PONGs kept coming");
    }

    /** Keeps the first {@code keep} assets; the rest move to a new connection ({@link WsConnections#split}). */
    private void split(int keep, long silentSinceUs) {
        List<String> all = new ArrayList<>(assets);
        List<String> candidates = List.copyOf(all.subList(keep, all.size()));
        WsConnections.Split s = pool.split(
                this,
                candidates,
                keep,
                new Gap(connId(), silentSinceUs, Math.max(silentSinceUs, Clocks.nowMicros()), GapReason.STALE));
        if (s == null) {
            return;
        }
        s.moved().forEach(assets::remove);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("to", s.to());
        fields.put("kept", assets.size());
        fields.put("moved", s.moved().size());
        fields.put("cap", s.cap());
        event(Event.SPLIT, fields);
        LOG.warnf(
                "%s: stalled again right after its reconnect: split, %d assets stay, %d move to %s; new tokens now "
                        + "go %d per connection",
                connId(), assets.size(), s.moved().size(), s.to(), s.cap());
    }

    /** We give up on a live socket (no PONG, or silent): close it; the close handler reconnects. */
    private void lostConnection(GapReason reason, String detail) {
        closeReason = reason.wire();
        LOG.warnf("%s: %s (%s); reconnecting", connId(), closeReason, detail);
        socket.close((short) 1000, closeReason);
    }

    private void closed(WebSocket ws) {
        if (ws != socket) {
            return;
        }
        cancelTimer();
        paused = false;
        stats.connected(slot, false);
        String reason = closeReason != null
                ? closeReason
                : "closed by server"
                        + (ws.closeStatusCode() == null
                                ? ""
                                : " (" + ws.closeStatusCode() + " " + ws.closeReason() + ")");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("reason", reason);
        fields.put("assets", assets.size());
        fields.put("frames", seq);
        event(Event.DISCONNECTED, fields);
        socket = null;
        if (state == State.STOPPED) {
            return;
        }
        boolean stalled = GapReason.STALE.wire().equals(reason);
        stats.reconnect(reason.startsWith("closed by server") ? "server-close" : reason.split(":")[0]);
        outage.begin(
                stalled ? Clocks.nowMicros() - (System.nanoTime() - lastDataNanos) / 1000 : Clocks.nowMicros(),
                reason.startsWith("closed by server")
                        ? GapReason.DISCONNECTED
                        : GapReason.fromWire(reason.split(":")[0]),
                connId());
        lastSessionStalled = stalled;
        state = State.WAITING;
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        context.owner().setTimer(backoff.delayMillis(failedAttempts), id -> {
            if (state == State.WAITING) {
                connect();
            }
        });
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            context.owner().cancelTimer(timerId);
            timerId = -1;
        }
    }

    private void event(Event name, Map<String, ?> fields) {
        recorder.event(connId(), name, fields);
    }
}
