package io.orderbooks.collector;

import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** An in-process simulator for @QuarkusTests of the REST client; fast retries so faults resolve quickly. */
public class SimForClobTests implements QuarkusTestResourceLifecycleManager {
    static PolymarketSim sim;

    @Override
    public Map<String, String> start() {
        sim = PolymarketSim.start(SimConfig.builder()
                .seed(5)
                .markets(20)
                .closedShare(0.2)
                .eventLoops(1)
                .build());
        return Map.of(
                "quarkus.rest-client.clob-api.url",
                sim.clobUrl(),
                "io.orderbooks.collector.ClobBooksClient/books/Retry/delay",
                "50",
                "io.orderbooks.collector.ClobBooksClient/books/Retry/jitter",
                "10",
                "io.orderbooks.collector.ClobBooksClient/books/ExponentialBackoff/maxDelay",
                "200");
    }

    @Override
    public void stop() {
        if (sim != null) {
            sim.close();
        }
    }
}
