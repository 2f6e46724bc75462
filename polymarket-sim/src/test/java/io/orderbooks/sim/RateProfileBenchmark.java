package io.orderbooks.sim;

import java.time.Duration;

/**
 * Not run by the suite: the realistic profile's total event rate over a 40,000-token universe (20,000 binary
 * markets), every market at the subscribed rate (as if one recorder subscribed to everything). Run with
 * {@code java -cp … io.orderbooks.sim.RateProfileBenchmark [eventsPerSecondPerAsset] [seconds]}.
 */
public final class RateProfileBenchmark {
    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 0.1;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        try (PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
                .markets(20_000)
                .closedShare(0)
                .noOrderBookShare(0)
                .unknownVersionShare(0)
                .levelsPerSide(6)
                .eventsPerSecondPerAsset(rate)
                .idleEventsPerSecondPerAsset(rate)
                .rateProfile(SimConfig.RateProfile.REALISTIC)
                .build())) {
            System.out.printf("open tokens: %d%n", sim.universe().openTokenIds().size());
            long start = sim.eventsGenerated();
            double peak = 0;
            for (int i = 0; i < seconds; i++) {
                Thread.sleep(Duration.ofSeconds(1));
                peak = Math.max(peak, sim.eventRate());
            }
            System.out.printf(
                    "rate=%.3f/s/asset: mean %.0f events/s over %d s, peak (1 s average) %.0f events/s%n",
                    rate, (sim.eventsGenerated() - start) / (double) seconds, seconds, peak);
        }
    }
}
