package io.orderbooks.discovery;

import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts polymarket-sim in-process on an ephemeral loopback port with a few thousand markets (v1, V2 and
 * unknown-version rows), and points the application's Gamma URL and data dir at it (the same keys the container
 * sets).
 */
public class SimResource implements QuarkusTestResourceLifecycleManager {
    static final int MARKETS = 3000;
    private PolymarketSim sim;
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        sim = PolymarketSim.start(SimConfig.builder()
                .markets(MARKETS)
                .seed(20261124)
                .noYesOrderShare(0.3)
                // Protocol V2 (docs/DISCOVERY.md "Which ids"): a quarter V2 rows, half of the v1 rows also carry
                // book-less positionIds, and 4 % rows of version v3 or none
                .v2Share(0.25)
                .v1PositionIdsShare(0.5)
                .unknownVersionShare(0.04)
                // Discovery reads Gamma only: keep the book generator idle.
                .eventsPerSecondPerAsset(0.1)
                .idleEventsPerSecondPerAsset(0.0)
                .tick(java.time.Duration.ofSeconds(1))
                .build());
        try {
            dataDir = Files.createTempDirectory("discovery-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.rest-client.gamma-api.url", sim.gammaUrl(), "data.dir", dataDir.toString());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                sim, new TestInjector.AnnotatedAndMatchesType(InjectSim.class, PolymarketSim.class));
    }

    @Override
    public void stop() {
        if (sim != null) {
            sim.close();
        }
        if (dataDir != null) {
            try (Stream<Path> walk = Files.walk(dataDir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
