package io.orderbooks.collector;

import java.time.Duration;

/** Websocket settings for tests that drive {@link WsConnections} directly: production values unless given. */
record TestWsConfig(Duration pingInterval, Duration pongTimeout, int queueCapacity, boolean backpressure)
        implements CollectorConfig.Ws {
    static TestWsConfig production() {
        return new TestWsConfig(Duration.ofSeconds(10), Duration.ofSeconds(30), 200_000, true);
    }

    TestWsConfig withPing(Duration ping, Duration pongTimeout) {
        return new TestWsConfig(ping, pongTimeout, queueCapacity, backpressure);
    }

    TestWsConfig withQueue(int capacity, boolean pauseWhenBacklogged) {
        return new TestWsConfig(pingInterval, pongTimeout, capacity, pauseWhenBacklogged);
    }

    public int maxAssetsPerConnection() {
        return 200;
    }

    public int maxIdsPerFrame() {
        return 100;
    }

    public boolean customFeatureEnabled() {
        return true;
    }

    public Duration staleAfter() {
        return Duration.ofMinutes(5);
    }

    public Duration reconnectMinBackoff() {
        return Duration.ofMillis(50);
    }

    public Duration reconnectMaxBackoff() {
        return Duration.ofMillis(200);
    }
}
