package io.orderbooks.collector;

import static io.orderbooks.collector.PoolRun.await;
import static io.orderbooks.collector.PoolRun.events;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * A server that silently stalls connections above 60 assets (no data, PONGs still come): reconnecting the same
 * overfull set would record nothing forever. Splitting connections that stall again right after their reconnect
 * gets every asset's data, with the stalled time recorded as gaps and the splits as events and a metric.
 */
class WsStallSplitTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static TestWsConfig fast(int max, int min) {
        return TestWsConfig.production().withPing(Duration.ofMillis(100), Duration.ofSeconds(5))
                .withStaleAfter(Duration.ofMillis(700)).withAssetsPerConnection(max, min);
    }

    private static Set<String> tokens(int n) {
        return IntStream.range(0, n).mapToObj(i -> String.valueOf(1000 + i)).collect(Collectors.toSet());
    }

    @Test
    void anOverfullConnectionThatStallsAgainIsSplitUntilEveryAssetsDataArrives() throws Exception {
        Set<String> tokens = tokens(150);
        try (StallingServer server = new StallingServer(vertx, 60);
             PoolRun run = new PoolRun(vertx, server.url(), fast(150, 25))) {
            run.pool.apply(tokens);
            await("every asset's data served", Duration.ofSeconds(60), () -> server.served.containsAll(tokens));
            await("the data received", Duration.ofSeconds(10), () -> run.stats.takeFrameCounts().size() > 0);
            List<JsonNode> records = run.finish();

            Set<String> recorded = new HashSet<>();
            records.stream().filter(r -> r.has("frame")).forEach(r -> FrameInspector.inspect(r.get("frame").toString()
                    .getBytes()).assets().forEach(recorded::add));
            assertThat(recorded).as("every asset's data recorded").containsAll(tokens);

            // 150 -> 75 + 75 -> four of 37 or 38: three splits, cap 38.
            List<JsonNode> splits = events(records, "split");
            assertThat(splits).hasSize(3);
            assertThat(run.registry.counter("collector.ws.splits").count()).isEqualTo(3.0);
            assertThat(run.stats.splits()).isEqualTo(3);
            assertThat(run.pool.cap()).isEqualTo(38);
            assertThat(splits.getFirst().get("kept").asInt()).isEqualTo(75);
            assertThat(splits.getFirst().get("moved").asInt()).isEqualTo(75);
            assertThat(splits.getFirst().get("cap").asInt()).isEqualTo(75);
            assertThat(run.pool.assignment().values()).containsExactlyInAnyOrder(38, 37, 38, 37);

            // The first stall only reconnects; the one right after that reconnect splits.
            List<JsonNode> stales = events(records, "stale");
            assertThat(stales.getFirst().get("repeat").asBoolean()).isFalse();
            assertThat(stales.getFirst().get("then").asText()).isEqualTo("reconnect");
            assertThat(stales).filteredOn(s -> "split".equals(s.get("then").asText())).hasSize(3)
                    .allMatch(s -> s.get("repeat").asBoolean());

            // The stalled time is a gap, for the assets that stayed and for those that moved.
            List<JsonNode> gaps = events(records, "gap");
            for (JsonNode s : splits) {
                assertThat(gaps).as("moved assets' gap for %s", s).anyMatch(g -> g.get("conn").asText().equals(s.get("conn").asText())
                        && "stale".equals(g.get("reason").asText()) && g.get("resumed_by").asText().equals(s.get("to").asText())
                        && g.get("assets").asInt() == s.get("moved").asInt());
                assertThat(gaps).as("kept assets' gap for %s", s).anyMatch(g -> g.get("conn").asText().equals(s.get("conn").asText())
                        && "stale".equals(g.get("reason").asText()) && g.get("assets").asInt() == s.get("kept").asInt());
            }
            assertThat(server.duplicateSubscribes.get()).as("no asset subscribed twice on a connection").isZero();
        }
    }

    @Test
    void atTheFloorAStallingConnectionKeepsReconnectingAndSaysSo() throws Exception {
        Set<String> tokens = tokens(40);
        try (StallingServer server = new StallingServer(vertx, 10);
             PoolRun run = new PoolRun(vertx, server.url(), fast(40, 25))) {
            run.pool.apply(tokens);
            await("three stalls", Duration.ofSeconds(60), () -> run.registry.counter("collector.ws.reconnects", "reason", "stale").count() >= 3);
            List<JsonNode> records = run.finish();

            assertThat(events(records, "split")).isEmpty();
            assertThat(run.registry.counter("collector.ws.splits").count()).isZero();
            assertThat(run.pool.assignment().values()).containsExactly(40);
            List<JsonNode> stales = events(records, "stale");
            assertThat(stales).hasSizeGreaterThanOrEqualTo(3);
            assertThat(stales.subList(1, stales.size())).allMatch(s -> s.get("repeat").asBoolean()
                    && "reconnect-at-floor".equals(s.get("then").asText()));
            assertThat(events(records, "gap")).filteredOn(g -> "stale".equals(g.get("reason").asText())).hasSizeGreaterThanOrEqualTo(2);
            assertThat(server.served).isEmpty();
        }
    }
}
