package io.orderbooks.collector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Websocket counters for metrics and the status line ({@code collector.frames{type}}, reconnects, gaps, splits). */
final class WsStats {
    private final MeterRegistry registry;
    private final Map<String, Counter> frames = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> up = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> framesForStatus = new ConcurrentHashMap<>();
    private final AtomicLong stalls = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong splits = new AtomicLong();
    private volatile long lastFrameNanos = System.nanoTime();

    WsStats(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge(
                "collector.ws.connections",
                up,
                m -> m.values().stream().filter(b -> b).count());
    }

    void frame(String kind) {
        lastFrameNanos = System.nanoTime();
        frames.computeIfAbsent(kind, k -> registry.counter("collector.frames", "type", k))
                .increment();
        framesForStatus.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    void connected(int slot, boolean isUp) {
        up.put(slot, isUp);
    }

    void removed(int slot) {
        up.remove(slot);
    }

    void reconnect(String reason) {
        registry.counter("collector.ws.reconnects", "reason", reason).increment();
    }

    /** A connection stopped reading because the writer was backlogged ({@code collector.ws.pauses}). */
    void paused() {
        registry.counter("collector.ws.pauses").increment();
    }

    void stall() {
        stalls.incrementAndGet();
    }

    /** A connection that stalled again right after its reconnect was split in two ({@code collector.ws.splits}). */
    void split() {
        splits.incrementAndGet();
        registry.counter("collector.ws.splits").increment();
    }

    long splits() {
        return splits.get();
    }

    void gap() {
        gaps.incrementAndGet();
        registry.counter("collector.gaps", "stream", "ws_market").increment();
    }

    long connectionsUp() {
        return up.values().stream().filter(b -> b).count();
    }

    int connections() {
        return up.size();
    }

    long lastFrameNanos() {
        return lastFrameNanos;
    }

    long gaps() {
        return gaps.get();
    }

    /** Frames by kind since the previous call (for per-minute status lines). */
    Map<String, Long> takeFrameCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        framesForStatus.forEach((k, v) -> {
            long n = v.getAndSet(0);
            if (n > 0) {
                out.put(k, n);
            }
        });
        return out;
    }
}
