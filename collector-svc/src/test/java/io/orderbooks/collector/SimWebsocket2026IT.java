package io.orderbooks.collector;

import static io.orderbooks.collector.PoolRun.await;
import static io.orderbooks.collector.PoolRun.events;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.records.FrameScanner;
import io.orderbooks.sim.Oracle;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import io.orderbooks.sim.SimMarket;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The websocket pool against the simulator's 2026 behaviours (stall above N assets, duplicate rejection, global events). */
class SimWebsocket2026IT {
    private final Vertx vertx = Vertx.vertx();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private PolymarketSim sim(SimConfig.Builder b) {
        PolymarketSim sim = PolymarketSim.start(
                b.seed(11).closedShare(0).noOrderBookShare(0).eventLoops(1).build());
        closeables.add(sim);
        return sim;
    }

    private PoolRun run(PolymarketSim sim, CollectorConfig.Ws config) throws Exception {
        PoolRun run = new PoolRun(vertx, sim.wsUrl(), config);
        closeables.add(run);
        return run;
    }

    private static TestWsConfig fast() {
        return TestWsConfig.production()
                .withPing(Duration.ofMillis(100), Duration.ofSeconds(5))
                .withStaleAfter(Duration.ofMillis(800));
    }

    private static List<Oracle.ConnectionRecord> open(PolymarketSim sim) {
        return sim.oracle().connections().stream()
                .filter(Oracle.ConnectionRecord::open)
                .toList();
    }

    @Test
    void connectionsThatStallAbove60AssetsAreSplitUntilEveryAssetsDataArrives() throws Exception {
        PolymarketSim sim = sim(SimConfig.builder().markets(90).wsStallAboveAssets(60));
        Set<String> tokens =
                sim.universe().openTokenIds().stream().sorted().limit(150).collect(Collectors.toSet());
        assertThat(tokens).hasSize(150);
        // 100 + 50: the 100 stall, the 50 do not. The pool may double without evidence, and the 50's data shows the
        // feed is alive anyway (docs/COLLECTOR.md, Websocket limits).
        PoolRun run = run(sim, fast().withAssetsPerConnection(100, 25));
        run.pool.apply(tokens);
        await("no open connection above 60 assets, all 150 subscribed", Duration.ofSeconds(60), () -> {
            List<Oracle.ConnectionRecord> open = open(sim);
            return open.stream().allMatch(c -> c.subscribedAssets() <= 60)
                    && open.stream()
                                    .mapToInt(Oracle.ConnectionRecord::subscribedAssets)
                                    .sum()
                            == 150;
        });
        long framesThen = sim.oracle().totalFrames();
        await("data flowing", Duration.ofSeconds(30), () -> sim.oracle().totalFrames() > framesThen + 300);
        run.finish();
        RecordedFrames rec = RecordedFrames.read(run.temp);

        Set<String> recorded = new HashSet<>();
        rec.records().stream()
                .filter(r -> r.has("frame"))
                .forEach(r -> recorded.addAll(
                        FrameScanner.scan(r.get("frame").toString().getBytes()).assets()));
        assertThat(recorded).as("every asset's data recorded").containsAll(tokens);
        List<JsonNode> splits = events(rec.records(), "split");
        assertThat(splits).hasSize(1);
        assertThat(splits.getFirst().get("kept").asInt()).isEqualTo(50);
        assertThat(run.registry.counter("collector.ws.splits").count()).isEqualTo(1.0);
        assertThat(events(rec.records(), "gap"))
                .filteredOn(g -> "stale".equals(g.get("reason").asText()))
                .hasSizeGreaterThanOrEqualTo(2)
                .allMatch(g -> g.get("to_us").asLong() > g.get("from_us").asLong());
        assertThat(rec.count("error")).as("no duplicate-subscribe rejections").isZero();
    }

    @Test
    void churnAndDropsAgainstTheSimDrawNoDuplicateSubscribeRejection() throws Exception {
        PolymarketSim sim = sim(SimConfig.builder().markets(80));
        List<String> universe = sim.universe().openTokenIds().stream().sorted().toList();
        PoolRun run = run(sim, fast().withAssetsPerConnection(30, 10));
        Random random = new Random(3);
        Set<String> tokens = new HashSet<>(universe.subList(0, 100));
        run.pool.apply(Set.copyOf(tokens));
        for (int round = 0; round < 10; round++) {
            List<String> all = new ArrayList<>(tokens);
            List<String> out = new ArrayList<>();
            for (int k = 0; k < 12; k++) {
                out.add(all.get(random.nextInt(all.size())));
            }
            out.forEach(tokens::remove);
            run.pool.apply(Set.copyOf(tokens));
            Thread.sleep(50); // pacing, so changes meet open connections
            tokens.addAll(out.subList(0, 8));
            tokens.add(universe.get(100 + round));
            run.pool.apply(Set.copyOf(tokens));
            if (round % 3 == 1) {
                sim.faults().apply("drop", Map.of());
            }
            Thread.sleep(50);
        }
        Set<String> expected = Set.copyOf(tokens);
        await(
                "the final tokens subscribed on open connections",
                Duration.ofSeconds(30),
                () -> open(sim).stream()
                                .mapToInt(Oracle.ConnectionRecord::subscribedAssets)
                                .sum()
                        == expected.size());
        run.finish();
        assertThat(sim.oracle().connections())
                .as("no rejected (or otherwise invalid) client frame")
                .allMatch(c -> c.invalidClientFrames() == 0);
        assertThat(RecordedFrames.read(run.temp).count("error")).isZero();
    }

    @Test
    void globalEventsFromSeveralConnectionsAreStoredOnce() throws Exception {
        PolymarketSim sim = sim(SimConfig.builder().markets(60).arrayFrameShare(0));
        PoolRun run = run(sim, fast().withAssetsPerConnection(25, 10));
        run.pool.apply(Set.copyOf(
                sim.universe().openTokenIds().stream().sorted().limit(100).toList()));
        await(
                "4 connections subscribed",
                Duration.ofSeconds(30),
                () -> open(sim).size() == 4
                        && open(sim).stream()
                                        .mapToInt(Oracle.ConnectionRecord::subscribedAssets)
                                        .sum()
                                == 100);
        Set<String> listed = new HashSet<>();
        Set<String> closed = new HashSet<>();
        List<SimMarket> openMarkets =
                sim.universe().markets().stream().filter(SimMarket::hasBook).toList();
        for (int i = 0; i < 3; i++) {
            listed.add(sim.universe().addMarket().id());
            String id = openMarkets.get(i * 7).id();
            sim.universe().close(id);
            closed.add(id);
        }
        await(
                "the global events recorded",
                Duration.ofSeconds(30),
                () -> run.registry
                                        .counter("collector.frames", "type", "new_market")
                                        .count()
                                >= 3
                        && run.registry
                                        .counter("collector.frames", "type", "market_resolved")
                                        .count()
                                >= 3);
        // Copies from other connections would arrive within the same simulator tick; give them ample time.
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < until) {
            assertThat(run.registry
                            .counter("collector.frames", "type", "new_market")
                            .count())
                    .isEqualTo(3.0);
            Thread.sleep(50);
        }
        run.finish();
        RecordedFrames rec = RecordedFrames.read(run.temp);
        assertThat(rec.events("new_market"))
                .extracting(e -> e.get("id").asText())
                .containsExactlyInAnyOrderElementsOf(listed);
        assertThat(rec.events("market_resolved"))
                .extracting(e -> e.get("id").asText())
                .containsExactlyInAnyOrderElementsOf(closed);
        assertThat(events(rec.records(), "connected"))
                .filteredOn(e -> e.get("lead").asBoolean())
                .extracting(e -> e.get("conn").asText())
                .containsExactly("ws-00.0@" + PoolRun.TOKEN);
    }
}
