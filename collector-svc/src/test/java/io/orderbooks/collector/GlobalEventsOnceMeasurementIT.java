package io.orderbooks.collector;

import static io.orderbooks.collector.PoolRun.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.sim.Oracle;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import io.orderbooks.sim.SimMarket;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Measures what recording the global events once saves (docs/COLLECTOR.md quotes the printed figures). The same
 * simulated minute-in-small (100 assets, 10 new markets, 10 resolutions) is recorded twice: by 4 pools of one
 * connection each, which is what every connection asking for custom features amounts to, and by one pool of 4
 * connections with one lead.
 */
// Under CPU load this once stored 30 of the 40 global events its counters had received: not a lost frame, one of
// the five writers had left its file .open at close (RotatingJsonlWriter interrupted its own fsync thread; fixed,
// see docs/COLLECTOR.md). PoolRun.finish now fails on a file left .open instead of reading around it.
class GlobalEventsOnceMeasurementIT {
    private static final int CONNECTIONS = 4;
    private static final int GLOBAL_EACH = 10;

    @Test
    void oneLeadStoresEachGlobalEventOnceInsteadOfOncePerConnection() throws Exception {
        RecordedFrames before = record(true);
        RecordedFrames after = record(false);
        System.out.printf(
                "global-events-once, %d connections, 100 assets, %d new_market + %d market_resolved:%n",
                CONNECTIONS, GLOBAL_EACH, GLOBAL_EACH);
        for (String t : List.of("new_market", "market_resolved", "best_bid_ask")) {
            System.out.printf(
                    "  %-16s before %5d frames %8d bytes   after %5d frames %8d bytes%n",
                    t, before.count(t), before.bytes(t), after.count(t), after.bytes(t));
        }
        System.out.printf(
                "  %-16s before %5d frames %8d bytes   after %5d frames %8d bytes%n",
                "all frames", before.frameLines(), before.lineBytes(), after.frameLines(), after.lineBytes());
        assertThat(before.count("new_market")).isEqualTo(CONNECTIONS * GLOBAL_EACH);
        assertThat(before.count("market_resolved")).isEqualTo(CONNECTIONS * GLOBAL_EACH);
        assertThat(after.count("new_market")).isEqualTo(GLOBAL_EACH);
        assertThat(after.count("market_resolved")).isEqualTo(GLOBAL_EACH);
    }

    private static RecordedFrames record(boolean everyConnectionAsks) throws Exception {
        Vertx vertx = Vertx.vertx();
        PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
                .seed(21)
                .markets(70)
                .closedShare(0)
                .noOrderBookShare(0)
                .arrayFrameShare(0)
                .eventLoops(1)
                .build());
        List<PoolRun> runs = new ArrayList<>();
        try {
            List<String> tokens =
                    sim.universe().openTokenIds().stream().sorted().limit(100).toList();
            TestWsConfig config = TestWsConfig.production().withAssetsPerConnection(25, 10);
            if (everyConnectionAsks) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    PoolRun r = new PoolRun(vertx, sim.wsUrl(), config);
                    r.pool.apply(Set.copyOf(tokens.subList(i * 25, i * 25 + 25)));
                    runs.add(r);
                }
            } else {
                PoolRun r = new PoolRun(vertx, sim.wsUrl(), config);
                r.pool.apply(Set.copyOf(tokens));
                runs.add(r);
            }
            await(
                    "4 connections subscribed",
                    Duration.ofSeconds(30),
                    () -> sim.oracle().connections().stream()
                                    .filter(Oracle.ConnectionRecord::open)
                                    .mapToInt(Oracle.ConnectionRecord::subscribedAssets)
                                    .sum()
                            == 100);
            List<SimMarket> open =
                    sim.universe().markets().stream().filter(SimMarket::hasBook).toList();
            for (int i = 0; i < GLOBAL_EACH; i++) {
                sim.universe().addMarket();
                sim.universe().close(open.get(open.size() - 1 - i).id());
            }
            long framesThen = sim.oracle().totalFrames();
            await(
                    "a few seconds of data",
                    Duration.ofSeconds(30),
                    () -> sim.oracle().totalFrames() > framesThen + 2000);
            await(
                    "the global events recorded",
                    Duration.ofSeconds(30),
                    () -> runs.stream()
                                            .mapToDouble(r -> r.registry
                                                    .counter("collector.frames", "type", "market_resolved")
                                                    .count())
                                            .sum()
                                    >= (everyConnectionAsks ? CONNECTIONS : 1) * GLOBAL_EACH
                            && runs.stream()
                                            .mapToDouble(r -> r.registry
                                                    .counter("collector.frames", "type", "new_market")
                                                    .count())
                                            .sum()
                                    >= (everyConnectionAsks ? CONNECTIONS : 1) * GLOBAL_EACH);
            List<RecordedFrames> all = new ArrayList<>();
            for (PoolRun r : runs) {
                r.finish();
                all.add(RecordedFrames.read(r.temp));
            }
            return merge(all);
        } finally {
            runs.forEach(PoolRun::close);
            sim.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static RecordedFrames merge(List<RecordedFrames> parts) {
        var records = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
        var byType = new java.util.TreeMap<String, long[]>();
        long frames = 0;
        long bytes = 0;
        for (RecordedFrames p : parts) {
            records.addAll(p.records());
            frames += p.frameLines();
            bytes += p.lineBytes();
            p.byEventType().forEach((k, v) -> {
                long[] c = byType.computeIfAbsent(k, x -> new long[2]);
                c[0] += v[0];
                c[1] += v[1];
            });
        }
        return new RecordedFrames(records, frames, bytes, byType);
    }
}
