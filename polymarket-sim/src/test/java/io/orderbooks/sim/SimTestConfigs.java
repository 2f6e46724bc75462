package io.orderbooks.sim;

/** Small, fast simulator configurations for tests. */
final class SimTestConfigs {
    private SimTestConfigs() {}

    static SimConfig.Builder small() {
        return SimConfig.builder().markets(40).eventLoops(1).levelsPerSide(6);
    }
}
