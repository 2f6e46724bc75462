package io.orderbooks.collector;

import static io.orderbooks.collector.PoolRun.await;
import static io.orderbooks.collector.PoolRun.events;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.records.FrameScanner;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that silently stalls connections above a number of assets (no data, PONGs still come): reconnecting the
 * same overfull set would record nothing forever. Splitting connections that stall again right after their reconnect
 * gets every asset's data, with the stalled time recorded as gaps and the splits as events and a metric.
 */
class WsStallSplitTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static TestWsConfig fast(int max, int min) {
        return TestWsConfig.production()
                .withPing(Duration.ofMillis(100), Duration.ofSeconds(5))
                .withStaleAfter(Duration.ofMillis(700))
                .withAssetsPerConnection(max, min);
    }

    private static Set<String> tokens(int n) {
        return IntStream.range(0, n).mapToObj(i -> String.valueOf(1000 + i)).collect(Collectors.toSet());
    }

    /**
     * 130 assets at 100 per connection on a server that stalls above 30: 100 + 30, of which only the 100 stall. The
     * pool may double without evidence (2 → 4 connections); the fifth connection is allowed because the 30-asset one
     * keeps receiving data, which shows the feed is alive.
     */
    @Test
    void anOverfullConnectionThatStallsAgainIsSplitUntilEveryAssetsDataArrives() throws Exception {
        Set<String> tokens = tokens(130);
        try (StallingServer server = new StallingServer(vertx, 30);
                PoolRun run = new PoolRun(vertx, server.url(), fast(100, 10))) {
            run.pool.apply(tokens);
            await("every asset's data served", Duration.ofSeconds(60), () -> server.served.containsAll(tokens));
            await(
                    "the data received",
                    Duration.ofSeconds(10),
                    () -> run.stats.takeFrameCounts().size() > 0);
            List<JsonNode> records = run.finish();

            Set<String> recorded = new HashSet<>();
            records.stream()
                    .filter(r -> r.has("frame"))
                    .forEach(r -> FrameScanner.scan(r.get("frame").toString().getBytes())
                            .assets()
                            .forEach(recorded::add));
            assertThat(recorded).as("every asset's data recorded").containsAll(tokens);

            // 100 -> 50 + 50 -> four of 25: three splits, cap 25; the 30 never stalled.
            List<JsonNode> splits = events(records, "split");
            assertThat(splits).hasSize(3);
            assertThat(run.registry.counter("collector.ws.splits").count()).isEqualTo(3.0);
            assertThat(run.stats.splits()).isEqualTo(3);
            assertThat(run.pool.cap()).isEqualTo(25);
            assertThat(splits.getFirst().get("kept").asInt()).isEqualTo(50);
            assertThat(splits.getFirst().get("moved").asInt()).isEqualTo(50);
            assertThat(splits.getFirst().get("cap").asInt()).isEqualTo(50);
            assertThat(run.pool.assignment().values()).containsExactlyInAnyOrder(25, 25, 25, 25, 30);

            // The first stall only reconnects; the one right after that reconnect splits.
            List<JsonNode> stales = events(records, "stale");
            assertThat(stales.getFirst().get("repeat").asBoolean()).isFalse();
            assertThat(stales.getFirst().get("then").asText()).isEqualTo("reconnect");
            assertThat(stales)
                    .filteredOn(s -> "split".equals(s.get("then").asText()))
                    .hasSize(3)
                    .allMatch(s -> s.get("repeat").asBoolean());

            // The stalled time is a gap, for the assets that stayed and for those that moved.
            List<JsonNode> gaps = events(records, "gap");
            for (JsonNode s : splits) {
                assertThat(gaps)
                        .as("moved assets' gap for %s", s)
                        .anyMatch(
                                g -> g.get("conn").asText().equals(s.get("conn").asText())
                                        && "stale".equals(g.get("reason").asText())
                                        && g.get("resumed_by")
                                                .asText()
                                                .equals(s.get("to").asText())
                                        && g.get("assets").asInt()
                                                == s.get("moved").asInt());
                assertThat(gaps)
                        .as("kept assets' gap for %s", s)
                        .anyMatch(
                                g -> g.get("conn").asText().equals(s.get("conn").asText())
                                        && "stale".equals(g.get("reason").asText())
                                        && g.get("assets").asInt()
                                                == s.get("kept").asInt());
            }
            assertThat(server.duplicateSubscribes.get())
                    .as("no asset subscribed twice on a connection")
                    .isZero();
        }
    }

    @Test
    void atTheFloorAStallingConnectionKeepsReconnectingAndSaysSo() throws Exception {
        Set<String> tokens = tokens(40);
        try (StallingServer server = new StallingServer(vertx, 10);
                PoolRun run = new PoolRun(vertx, server.url(), fast(40, 25))) {
            run.pool.apply(tokens);
            await(
                    "three stalls",
                    Duration.ofSeconds(60),
                    () -> run.registry
                                    .counter("collector.ws.reconnects", "reason", "stale")
                                    .count()
                            >= 3);
            List<JsonNode> records = run.finish();

            assertThat(events(records, "split")).isEmpty();
            assertThat(run.registry.counter("collector.ws.splits").count()).isZero();
            assertThat(run.pool.assignment().values()).containsExactly(40);
            List<JsonNode> stales = events(records, "stale");
            assertThat(stales).hasSizeGreaterThanOrEqualTo(3);
            assertThat(stales.subList(1, stales.size()))
                    .allMatch(s -> s.get("repeat").asBoolean()
                            && "reconnect-at-floor".equals(s.get("then").asText()));
            assertThat(events(records, "gap"))
                    .filteredOn(g -> "stale".equals(g.get("reason").asText()))
                    .hasSizeGreaterThanOrEqualTo(2);
            assertThat(server.served).isEmpty();
        }
    }

    /**
     * A feed that is silent on every connection (PONGs still come) must not multiply the connections round after
     * round: 200 assets at 50 per connection may double once (4 → 8), then, with no connection receiving data, every
     * repeated stall only reconnects and says why.
     */
    @Test
    void aFeedSilentOnEveryConnectionDoublesThePoolAtMostAndThenOnlyReconnects() throws Exception {
        Set<String> tokens = tokens(200);
        try (StallingServer server = new StallingServer(vertx, 0);
                PoolRun run = new PoolRun(vertx, server.url(), fast(50, 5))) {
            run.pool.apply(tokens);
            await(
                    "repeated stalls that may not split",
                    Duration.ofSeconds(60),
                    () -> run.registry
                                    .counter("collector.ws.reconnects", "reason", "stale")
                                    .count()
                            >= 30);
            List<JsonNode> records = run.finish();

            assertThat(run.stats.splits()).isEqualTo(4);
            assertThat(run.pool.connectionCount()).isEqualTo(8);
            assertThat(events(records, "stale"))
                    .anyMatch(s -> s.get("repeat").asBoolean()
                            && "reconnect-feed-silent".equals(s.get("then").asText()));
            assertThat(server.served).isEmpty();
        }
    }
}
