package io.orderbooks.collector;

import static io.orderbooks.collector.PoolRun.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.manifests.RunManifest;
import io.orderbooks.shared.testing.TempDataDir;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: connection ids used to restart at {@code ws-00.0} with every run, so two runs' connections were the same
 * id in the data. The run's token now ends every id (docs/DATA-FORMAT.md §2).
 */
class WsConnectionIdsTest {
    /** The ids one run of instance {@code it} records, with its token from the run manifests in {@code runs}. */
    private static Set<String> oneRun(Vertx vertx, StallingServer server, TempDataDir runs, Set<String> tokens)
            throws Exception {
        RunManifest manifest = RunManifest.start(
                runs.dataDir(), "collector-svc", InstanceId.of("it"), "t", Map.of(), Clock.systemUTC());
        try (PoolRun run = new PoolRun(
                vertx, server.url(), TestWsConfig.production().withAssetsPerConnection(10, 5), manifest.runToken())) {
            server.subscribed.clear();
            run.pool.apply(tokens);
            await(
                    "30 assets subscribed",
                    Duration.ofSeconds(20),
                    () -> server.subscribed.values().stream()
                                    .mapToInt(Set::size)
                                    .sum()
                            == 30);
            List<JsonNode> records = run.finish();
            manifest.finish("shutdown");
            Set<String> ids = records.stream()
                    .filter(r -> r.hasNonNull("conn"))
                    .map(r -> r.get("conn").asText())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            assertThat(ids).isNotEmpty().allMatch(id -> id.matches("ws-\\d{2}\\.\\d+@" + manifest.runToken()));
            return ids;
        }
    }

    @Test
    void connectionIdsOfTwoRunsOfOneInstanceNeverMeet() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (StallingServer server = new StallingServer(vertx, Integer.MAX_VALUE);
                TempDataDir runs = TempDataDir.create()) {
            Set<String> tokens = new LinkedHashSet<>();
            for (int i = 0; i < 30; i++) {
                tokens.add(String.valueOf(1000 + i));
            }
            Set<String> first = oneRun(vertx, server, runs, tokens);
            Set<String> second = oneRun(vertx, server, runs, tokens);
            assertThat(first).as("3 connections, one id each").hasSize(3);
            assertThat(second).hasSize(3).doesNotContainAnyElementsOf(first);
        } finally {
            vertx.close();
        }
    }
}
