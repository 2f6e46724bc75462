package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The realistic rate profile: heavy-tailed over markets, bursty over time, same long-run mean. */
class RateShapeTest {

    @Test
    void realisticWeightsAreHeavyTailedWithMeanOne() {
        RateShape shape = new RateShape(
                SimConfig.builder().rateProfile(SimConfig.RateProfile.REALISTIC).build());
        double[] w = new double[20_000];
        for (int i = 0; i < w.length; i++) {
            w[i] = shape.weight(Integer.toString(500_000 + i));
        }
        Arrays.sort(w);
        double total = Arrays.stream(w).sum();
        double top5 = Arrays.stream(w, w.length * 95 / 100, w.length).sum();
        assertThat(total / w.length).isBetween(0.85, 1.15);
        assertThat(w[w.length / 2]).as("median: most markets nearly silent").isLessThan(0.45);
        assertThat(top5 / total).as("the hottest 5 %% carry a large share").isGreaterThan(0.3);
        assertThat(new RateShape(SimConfig.builder().build()).weight("500001")).isEqualTo(1.0);
    }

    @Test
    void burstsReachSeveralTimesTheMeanWhileTheLongRunMeanStays() {
        RateShape shape = new RateShape(
                SimConfig.builder().rateProfile(SimConfig.RateProfile.REALISTIC).build());
        double sum = 0;
        double max = 0;
        int ticks = 10 * 3600 * 10; // ten simulated hours of 100 ms ticks
        for (int i = 0; i < ticks; i++) {
            double m = shape.advance(0.1);
            sum += m;
            max = Math.max(max, m);
        }
        assertThat(sum / ticks).isBetween(0.9, 1.1);
        assertThat(max).isGreaterThan(3.5);
        assertThat(new RateShape(SimConfig.builder().build()).advance(0.1)).isEqualTo(1.0);
    }

    @Test
    void adminStateShowsTheCurrentEventRate() {
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                .markets(200)
                .idleEventsPerSecondPerAsset(2)
                .rateProfile(SimConfig.RateProfile.REALISTIC)
                .tick(Duration.ofMillis(50))
                .build())) {
            SimClient.await("events", SimClient.TIMEOUT, () -> sim.eventsGenerated() > 200);
            JsonObject state =
                    new JsonObject(SimClient.get(sim.adminUrl() + "/state").body());
            assertThat(state.getLong("events_generated")).isPositive();
            assertThat(state.getLong("event_rate_per_second")).isPositive();
        }
    }
}
