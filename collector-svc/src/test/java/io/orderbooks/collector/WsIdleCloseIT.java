package io.orderbooks.collector;

import static io.orderbooks.collector.PoolRun.await;
import static io.orderbooks.collector.PoolRun.events;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.sim.Oracle;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server closes connections whose client was silent for a while (Polymarket's websocket docs: about a minute
 * without a PING;
 * the simulator's wsIdleTimeout). The collector's PING keeps them open; a pinger slower than the timeout is caught:
 * the close is a recorded {@code disconnected} and gap, and the connection comes back.
 */
class WsIdleCloseIT {
    private static final Duration IDLE = Duration.ofSeconds(2);
    private final Vertx vertx = Vertx.vertx();
    private final PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
            .seed(4)
            .markets(30)
            .closedShare(0)
            .noOrderBookShare(0)
            .eventLoops(1)
            .wsIdleTimeout(IDLE)
            .build());

    @AfterEach
    void close() throws Exception {
        sim.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Set<String> tokens() {
        return Set.copyOf(
                sim.universe().openTokenIds().stream().sorted().limit(40).toList());
    }

    @Test
    void pingsKeepConnectionsOpenPastTheIdleTimeout() throws Exception {
        try (PoolRun run = new PoolRun(
                vertx,
                sim.wsUrl(),
                TestWsConfig.production()
                        .withPing(Duration.ofMillis(200), Duration.ofSeconds(5))
                        .withAssetsPerConnection(20, 10))) {
            run.pool.apply(tokens());
            await(
                    "2 connections subscribed",
                    Duration.ofSeconds(30),
                    () -> sim.oracle().connections().size() == 2);
            long start = System.nanoTime();
            await(
                    "three idle timeouts passed with pings answered",
                    Duration.ofSeconds(60),
                    () -> System.nanoTime() - start > 3 * IDLE.toNanos()
                            && sim.oracle().connections().stream().allMatch(c -> c.pongs() >= 10));
            assertThat(sim.oracle().connections())
                    .as("nobody was closed, nobody reconnected")
                    .hasSize(2)
                    .allMatch(Oracle.ConnectionRecord::open);
            List<JsonNode> records = run.finish();
            assertThat(events(records, "disconnected"))
                    .allMatch(e -> "shutdown".equals(e.get("reason").asText()));
            assertThat(events(records, "gap")).isEmpty();
        }
    }

    @Test
    void aPingerSlowerThanTheIdleTimeoutIsCaughtRecordedAndRecovers() throws Exception {
        try (PoolRun run = new PoolRun(
                vertx,
                sim.wsUrl(),
                TestWsConfig.production()
                        .withPing(Duration.ofSeconds(5), Duration.ofSeconds(30))
                        .withAssetsPerConnection(40, 10))) {
            run.pool.apply(tokens());
            await(
                    "closed for idleness, reconnected and subscribed",
                    Duration.ofSeconds(60),
                    () -> sim.oracle().connections().stream()
                                    .anyMatch(c -> !c.open() && c.closeReason().startsWith("idle timeout"))
                            && sim.oracle().connections().stream()
                                    .anyMatch(c -> c.open() && c.subscribedAssets() == 40 && c.frames() > 0));
            List<JsonNode> records = run.finish();
            assertThat(events(records, "disconnected"))
                    .anyMatch(e -> e.get("reason").asText().contains("1001")
                            && e.get("reason").asText().contains("idle timeout"));
            assertThat(events(records, "gap"))
                    .anyMatch(g -> "disconnected".equals(g.get("reason").asText())
                            && ("ws-00.0@" + PoolRun.TOKEN).equals(g.get("conn").asText())
                            && ("ws-00.1@" + PoolRun.TOKEN)
                                    .equals(g.get("resumed_by").asText()));
            assertThat(records)
                    .as("data recorded after the recovery")
                    .anyMatch(r -> r.has("frame")
                            && ("ws-00.1@" + PoolRun.TOKEN).equals(r.get("conn").asText()));
        }
    }
}
