package io.orderbooks.collector;

import static io.orderbooks.collector.PoolRun.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Frames that are not market data (a JSON error reply to a subscribe, an object without event_type, plain text
 * other than PONG) are recorded verbatim in ws_market with their place in the per-connection seq, never dropped;
 * and subscribes ask for the initial dump explicitly (docs/COLLECTOR.md "What it does": its default is undocumented).
 */
class WsReplyFramesTest {
    static final String ERROR =
            "{\"event_type\":\"error\",\"error\":\"asset already subscribed\",\"assets_ids\":[\"7\"]}";
    static final String NO_TYPE = "{\"message\":\"Invalid subscription\",\"code\":4001}";
    static final String TEXT = "INVALID OPERATION";
    static final String BOOK =
            "[{\"event_type\":\"book\",\"asset_id\":\"7\",\"market\":\"0x1\",\"bids\":[],\"asks\":[],\"timestamp\":\"1\",\"hash\":\"h\"}]";

    @Test
    void repliesThatAreNotMarketDataAreRecordedVerbatimInSeq() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<String> fromClient = new CopyOnWriteArrayList<>();
        HttpServer server = vertx.createHttpServer()
                .requestHandler(req -> req.toWebSocket()
                        .onSuccess(ws -> ws.textMessageHandler(m -> {
                            if ("PING".equals(m)) {
                                ws.writeTextMessage("PONG");
                                return;
                            }
                            fromClient.add(m);
                            ws.writeTextMessage(BOOK);
                            ws.writeTextMessage(ERROR);
                            ws.writeTextMessage("PONG");
                            ws.writeTextMessage(NO_TYPE);
                            ws.writeTextMessage(TEXT);
                            ws.writeTextMessage(BOOK);
                        })))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        try (PoolRun run =
                new PoolRun(vertx, "ws://127.0.0.1:" + server.actualPort() + "/ws/market", TestWsConfig.production())) {
            run.pool.apply(Set.of("7"));
            await(
                    "five frames",
                    Duration.ofSeconds(30),
                    () -> run.registry.find("collector.frames").counters().stream()
                                    .mapToDouble(c -> c.count())
                                    .sum()
                            >= 5);
            List<JsonNode> records = run.finish();

            assertThat(fromClient)
                    .singleElement()
                    .satisfies(
                            m -> assertThat(m)
                                    .isEqualTo(
                                            "{\"assets_ids\":[\"7\"],\"type\":\"market\",\"initial_dump\":true,\"custom_feature_enabled\":true}"));
            List<JsonNode> frames = records.stream().filter(r -> r.has("seq")).toList();
            assertThat(frames).extracting(r -> r.get("seq").asLong()).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(frames.get(0).get("frame").toString()).isEqualTo(BOOK);
            assertThat(frames.get(1).get("frame").toString())
                    .as("the error reply, verbatim")
                    .isEqualTo(ERROR);
            assertThat(frames.get(2).get("frame").toString()).isEqualTo(NO_TYPE);
            assertThat(frames.get(3).get("frame_text").asText())
                    .as("plain text is kept as frame_text")
                    .isEqualTo(TEXT);
            assertThat(frames.get(3).get("parse_error").asText()).isNotBlank();
            assertThat(frames.get(4).get("frame").toString()).isEqualTo(BOOK);
            assertThat(run.registry.counter("collector.frames", "type", "error").count())
                    .isEqualTo(1.0);
            assertThat(run.registry
                            .counter("collector.frames", "type", "unknown")
                            .count())
                    .isEqualTo(1.0);
            assertThat(run.registry
                            .counter("collector.frames", "type", "unparsed")
                            .count())
                    .isEqualTo(1.0);
        } finally {
            server.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
