package io.orderbooks.collector;

import io.orderbooks.shared.records.Gap;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Spreads the tracked tokens over websocket connections, at most {@code max-assets-per-connection} each, and keeps
 * the assignment stable: when the token list changes, only the difference is subscribed or unsubscribed, on the
 * connection that holds it. A connection left without assets is closed.
 * <p>
 * A connection that stalls again right after its reconnect is split ({@link StallSplitPolicy}): half of its assets
 * move to a new connection, and the cap for later tokens drops to the size of the half that stayed. The cap never
 * grows back during a run: the stall threshold is unknown and probing it again would cost further stalls (each a
 * gap); a few more connections cost little. A restart starts again from {@code max-assets-per-connection}.
 * <p>
 * Global events once: {@code new_market} and {@code market_resolved} go to every connection that asked for
 * {@code custom_feature_enabled} (the market channel as Polymarket's Python SDK and nautilus_trader use it),
 * so with 100 connections each would be stored 100 times. Only one connection, the lead, asks for it (nautilus_trader:
 * "secondary shards discard global discovery and resolution events"; here the others are never sent them). The lead
 * is the lowest slot; when it closes, the next lowest takes over. The cost: {@code best_bid_ask}, the third custom
 * event, then exists only for the lead's assets; it is redundant with {@code price_changes[].best_bid/best_ask}.
 */
final class WsConnections {
    static final int MAX_CONNECTIONS = 1000;
    private final Vertx vertx;
    private final WebSocketClient client;
    private final WebSocketConnectOptions target;
    private final CollectorConfig.Ws config;
    private final StreamPump pump;
    private final WsStats stats;
    private final Consumer<Set<String>> onStall;
    private final Map<String, WsConnection> byToken = new HashMap<>();
    private final List<WsConnection> connections = new ArrayList<>();
    private final Map<WsConnection, Integer> load = new HashMap<>();
    private final StallSplitPolicy splitPolicy;
    private int nextSlot;
    private final String runToken;
    /** Assets per connection for new tokens: the configured maximum, lowered by splits. */
    private int cap;
    /** The one connection that asks for custom features (global events); null while there is none. */
    private WsConnection lead;
    /** False for a collector whose shard leaves the global events to shard 0 ({@link Shard#recordsGlobalEvents}). */
    private boolean globalEvents = true;

    /** A split that happened: the new connection's id, the assets that moved to it, and the pool's cap after it. */
    record Split(String to, List<String> moved, int cap) {}

    WsConnections(
            Vertx vertx,
            String url,
            String userAgent,
            CollectorConfig.Ws config,
            StreamPump pump,
            WsStats stats,
            Consumer<Set<String>> onStall,
            String runToken) {
        if (runToken == null || !runToken.matches("[0-9a-z]{1,8}")) {
            throw new IllegalArgumentException("run token must be 1-8 of [0-9a-z]: " + runToken);
        }
        this.runToken = runToken;
        this.vertx = vertx;
        this.config = config;
        this.pump = pump;
        this.stats = stats;
        this.onStall = onStall;
        this.splitPolicy = new StallSplitPolicy(config.minAssetsPerConnection());
        this.cap = config.maxAssetsPerConnection();
        URI uri = URI.create(url);
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        // The subscribe answer is one array of full books: far above Vert.x's default 256 KiB message limit.
        // Vert.x allows 50 websocket connections per host by default: 20,000 tokens at 400 per connection. The
        // whole feed needs more (40,000 tokens = 100 connections), so the pool is sized for it.
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(MAX_CONNECTIONS)
                .setMaxFrameSize(16 * 1024 * 1024)
                .setMaxMessageSize(64 * 1024 * 1024)
                .setConnectTimeout(10_000)
                .setSsl(tls)
                .setVerifyHost(tls)
                .setTrustAll(false)
                // Offered only; a server that declines answers without the extension and nothing else changes.
                .setTryUsePerMessageCompression(config.compression()));
        this.target = new WebSocketConnectOptions().setAbsoluteURI(url).addHeader("User-Agent", userAgent);
    }

    /** Brings the subscriptions to exactly {@code tokens}. Called from one thread (the tokens watcher). */
    synchronized void apply(Set<String> tokens) {
        Map<WsConnection, Set<String>> removals = new HashMap<>();
        for (String t : new ArrayList<>(byToken.keySet())) {
            if (!tokens.contains(t)) {
                WsConnection c = byToken.remove(t);
                removals.computeIfAbsent(c, k -> new HashSet<>()).add(t);
                load.merge(c, -1, Integer::sum);
            }
        }
        Map<WsConnection, Set<String>> additions = new HashMap<>();
        List<WsConnection> fresh = new ArrayList<>();
        Map<WsConnection, Set<String>> initial = new HashMap<>();
        for (String t : tokens) {
            if (byToken.containsKey(t)) {
                continue;
            }
            WsConnection c = connections.stream()
                    .filter(x -> load.get(x) < cap)
                    .findFirst()
                    .orElse(null);
            if (c == null) {
                c = newConnection();
                fresh.add(c);
            }
            load.merge(c, 1, Integer::sum);
            byToken.put(t, c);
            (fresh.contains(c) ? initial : additions)
                    .computeIfAbsent(c, k -> new LinkedHashSet<>())
                    .add(t);
        }
        for (WsConnection c : new ArrayList<>(connections)) {
            if (load.get(c) == 0) {
                c.stop();
                connections.remove(c);
                load.remove(c);
                stats.removed(c.slot());
                continue;
            }
            Set<String> add = additions.getOrDefault(c, Set.of());
            Set<String> remove = removals.getOrDefault(c, Set.of());
            if (!add.isEmpty() || !remove.isEmpty()) {
                c.change(add, remove);
            }
        }
        if (config.customFeatureEnabled()
                && globalEvents
                && (lead == null || !connections.contains(lead))
                && !connections.isEmpty()) {
            String from = lead == null ? null : lead.connId();
            lead = connections.getFirst();
            lead.lead(from); // before a fresh connection's start, so its first subscribe already asks for them
        }
        for (WsConnection c : fresh) {
            c.start(initial.get(c));
        }
    }

    private WsConnection newConnection() {
        WsConnection c =
                new WsConnection(nextSlot++, vertx, client, target, config, pump, stats, onStall, this, runToken);
        connections.add(c);
        load.put(c, 0);
        return c;
    }

    StallSplitPolicy splitPolicy() {
        return splitPolicy;
    }

    /**
     * Whether a stalled connection may split into one more connection (StallSplitPolicy): never beyond
     * {@link #MAX_CONNECTIONS}; freely while the pool has fewer than twice the connections its tokens need at
     * {@code max-assets-per-connection}; beyond that only while another connection with assets has had data within
     * {@code stale-after} — a feed-wide silence must not multiply the connections round after round.
     */
    synchronized boolean mayGrow(WsConnection stalled) {
        if (connections.size() >= MAX_CONNECTIONS) {
            return false;
        }
        int needed =
                Math.max(1, (byToken.size() + config.maxAssetsPerConnection() - 1) / config.maxAssetsPerConnection());
        if (connections.size() < 2 * needed) {
            return true;
        }
        long now = System.nanoTime();
        return connections.stream()
                .anyMatch(c -> c != stalled
                        && load.get(c) > 0
                        && c.hadDataWithin(now, config.staleAfter().toNanos()));
    }

    /**
     * Moves {@code candidates} (the second half of {@code from}'s assets) to a new connection, which starts at once
     * and records the stall as a gap of {@code from}'s connection when it has subscribed. Tokens the watcher removed
     * meanwhile stay behind (they are no longer tracked); if none is left, there is nothing to split (null).
     */
    synchronized Split split(WsConnection from, List<String> candidates, int keep, Gap stall) {
        List<String> moved =
                candidates.stream().filter(t -> byToken.get(t) == from).toList();
        if (moved.isEmpty() || !connections.contains(from)) {
            return null;
        }
        WsConnection to = newConnection();
        moved.forEach(t -> byToken.put(t, to));
        load.merge(from, -moved.size(), Integer::sum);
        load.put(to, moved.size());
        cap = Math.min(cap, keep);
        stats.split();
        to.startSplitOff(new LinkedHashSet<>(moved), stall);
        return new Split(to.connId(), moved, cap);
    }

    /** Whether a lead connection asks for the global events; set once, before the first token list is applied. */
    synchronized void globalEvents(boolean on) {
        globalEvents = on;
    }

    /** Assets per connection for tokens added from now on. */
    synchronized int cap() {
        return cap;
    }

    /** Assets per connection slot, for tests and the status line. */
    synchronized Map<Integer, Integer> assignment() {
        Map<Integer, Integer> out = new HashMap<>();
        load.forEach((c, n) -> out.put(c.slot(), n));
        return out;
    }

    /**
     * Connections that carry assets and have had no data frame for longer than {@code limit} (reconnecting ones
     * included): while there is one, part of the tracked set is not being recorded.
     */
    synchronized List<String> silentLongerThan(java.time.Duration limit) {
        long now = System.nanoTime();
        return connections.stream()
                .filter(c -> load.get(c) > 0 && c.silentNanos(now) > limit.toNanos())
                .map(WsConnection::connId)
                .toList();
    }

    synchronized int connectionCount() {
        return connections.size();
    }

    void stop() {
        List<WsConnection> all;
        synchronized (this) {
            all = List.copyOf(connections);
        }
        all.forEach(WsConnection::stop);
    }
}
