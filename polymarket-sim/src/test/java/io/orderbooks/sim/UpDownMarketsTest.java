package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Short-lived crypto up/down markets (docs/SIMULATOR.md "Gamma"). */
class UpDownMarketsTest {

    static Set<String> openUpDownSlugs(PolymarketSim sim) {
        return sim.universe().markets().stream()
                .filter(m -> m.status() == MarketStatus.OPEN)
                .map(m -> m.def().slug())
                .filter(s -> s.contains("-updown-"))
                .collect(Collectors.toSet());
    }

    @Test
    void windowsAreListedAheadCloseAtTheirEndAndAreReplaced() {
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                .markets(10)
                .updownAssets(List.of("btc", "eth"))
                .updownWindows(List.of(Duration.ofSeconds(2), Duration.ofSeconds(3)))
                .updownHorizon(Duration.ofSeconds(9))
                .build())) {
            Set<String> first = openUpDownSlugs(sim);
            // Per asset: about 9/2 + 1 two-second and 9/3 + 1 three-second windows (the current one included).
            assertThat(first.size()).isBetween(2 * (5 + 3), 2 * (6 + 4));
            for (SimMarket m : sim.universe().markets()) {
                if (!m.def().slug().contains("-updown-")) {
                    continue;
                }
                String[] parts = m.def().slug().split("-");
                assertThat(m.def().slug()).matches("(btc|eth)-updown-(2s|3s)-\\d{10}");
                long start = Long.parseLong(parts[3]);
                long window = Long.parseLong(parts[2].replace("s", ""));
                assertThat(start % window).isZero();
                assertThat(m.def().endDate()).isEqualTo(Instant.ofEpochSecond(start + window));
                assertThat(m.def().outcomes()).containsExactly("Up", "Down");
            }
            String slug = first.iterator().next();
            JsonArray rows = new JsonObject(SimClient.get(sim.gammaUrl() + "/markets/keyset?slug=" + slug)
                            .body())
                    .getJsonArray("markets");
            assertThat(rows).hasSize(1);

            SimClient.Ws ws = SimClient.connect(sim.wsUrl());
            ws.sendText(new JsonObject()
                    .put("assets_ids", new JsonArray())
                    .put("type", "market")
                    .put("custom_feature_enabled", true)
                    .encode());
            SimClient.await(
                    "an up/down market resolved and a new one listed",
                    SimClient.TIMEOUT,
                    () -> ws.dataFrames().stream().anyMatch(f -> f.contains("\"market_resolved\""))
                            && ws.dataFrames().stream()
                                    .anyMatch(f -> f.contains("\"new_market\"") && f.contains("-updown-")));
            MarketWebSocketTest.sleep(3500);
            Set<String> later = openUpDownSlugs(sim);
            assertThat(later).isNotEqualTo(first);
            assertThat(later.size()).isBetween(2 * (5 + 3), 2 * (6 + 4));
            long now = Instant.now().getEpochSecond();
            for (SimMarket m : sim.universe().markets()) {
                if (m.def().slug().contains("-updown-") && m.status() == MarketStatus.OPEN) {
                    assertThat(m.def().endDate().getEpochSecond()).isGreaterThanOrEqualTo(now - 1);
                    assertThat(m.hasBook() || !m.def().version().tradeable()).isTrue();
                }
            }
            ws.close();
        }
    }

    @Test
    void aFullDayOfFourAssetsIsCheapToBuild() {
        long t0 = System.nanoTime();
        Universe u = new Universe(SimConfig.builder()
                .markets(0)
                .updownAssets(List.of("btc", "eth", "sol", "xrp"))
                .build());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // 4 assets x (288 five-minute + 96 fifteen-minute windows), plus the current window of each.
        assertThat(u.upDown().open()).isBetween(4 * 384, 4 * 386);
        assertThat(u.openTokenIds().size()).isGreaterThan(2 * 4 * 384 * 95 / 100);
        assertThat(ms).as("built in %d ms", ms).isLessThan(10_000);
        System.out.printf(
                "up/down universe: %d markets, %d open tokens, built in %d ms%n",
                u.markets().size(), u.openTokenIds().size(), ms);
    }
}
