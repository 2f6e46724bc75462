package io.orderbooks.collector;

import java.time.Duration;

/** Websocket settings for tests that drive {@link WsConnections} directly: production values unless given. */
record TestWsConfig(
        Duration pingInterval,
        Duration pongTimeout,
        int queueCapacity,
        boolean backpressure,
        Duration staleAfter,
        int maxAssetsPerConnection,
        int minAssetsPerConnection,
        boolean customFeatureEnabled,
        boolean compression)
        implements CollectorConfig.Ws {
    static TestWsConfig production() {
        return new TestWsConfig(
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                200_000,
                true,
                Duration.ofMinutes(5),
                200,
                25,
                true,
                true);
    }

    TestWsConfig withPing(Duration ping, Duration pongTimeout) {
        return new TestWsConfig(
                ping,
                pongTimeout,
                queueCapacity,
                backpressure,
                staleAfter,
                maxAssetsPerConnection,
                minAssetsPerConnection,
                customFeatureEnabled,
                compression);
    }

    TestWsConfig withQueue(int capacity, boolean pauseWhenBacklogged) {
        return new TestWsConfig(
                pingInterval,
                pongTimeout,
                capacity,
                pauseWhenBacklogged,
                staleAfter,
                maxAssetsPerConnection,
                minAssetsPerConnection,
                customFeatureEnabled,
                compression);
    }

    TestWsConfig withStaleAfter(Duration stale) {
        return new TestWsConfig(
                pingInterval,
                pongTimeout,
                queueCapacity,
                backpressure,
                stale,
                maxAssetsPerConnection,
                minAssetsPerConnection,
                customFeatureEnabled,
                compression);
    }

    TestWsConfig withAssetsPerConnection(int max, int min) {
        return new TestWsConfig(
                pingInterval,
                pongTimeout,
                queueCapacity,
                backpressure,
                staleAfter,
                max,
                min,
                customFeatureEnabled,
                compression);
    }

    TestWsConfig withCustomFeature(boolean enabled) {
        return new TestWsConfig(
                pingInterval,
                pongTimeout,
                queueCapacity,
                backpressure,
                staleAfter,
                maxAssetsPerConnection,
                minAssetsPerConnection,
                enabled,
                compression);
    }

    TestWsConfig withCompression(boolean offer) {
        return new TestWsConfig(
                pingInterval,
                pongTimeout,
                queueCapacity,
                backpressure,
                staleAfter,
                maxAssetsPerConnection,
                minAssetsPerConnection,
                customFeatureEnabled,
                offer);
    }

    public int maxIdsPerFrame() {
        return 100;
    }

    public Duration reconnectMinBackoff() {
        return Duration.ofMillis(50);
    }

    public Duration reconnectMaxBackoff() {
        return Duration.ofMillis(200);
    }
}
