package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterConfig;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.Eventually;
import io.orderbooks.shared.testing.TempDataDir;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A server that accepts the subscription but never answers PING (a half-dead TCP path): the connection must be
 * declared dead after the PONG timeout, recorded as such, and replaced. The simulator cannot do this (its silence
 * fault still answers PONG), so a bare Vert.x server plays the part.
 */
class WsConnectionPongTimeoutTest {
    @Test
    void noPongWithinTheTimeoutClosesRecordsAndReconnects() throws Exception {
        Vertx vertx = Vertx.vertx();
        AtomicInteger accepted = new AtomicInteger();
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = vertx.createHttpServer()
                .requestHandler(req -> req.toWebSocket().onSuccess(ws -> {
                    accepted.incrementAndGet();
                    ws.textMessageHandler(received::add); // swallows PING: no PONG ever
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        try (TempDataDir temp = TempDataDir.create()) {
            InstanceId id = InstanceId.of("t");
            RotatingJsonlWriter writer = RotatingJsonlWriter.open(
                    temp.dataDir(),
                    WriterConfig.defaults(StreamName.WS_MARKET, id),
                    new WriterInfo("collector-svc", "t", id, "r"),
                    Clock.systemUTC());
            StreamPump pump = new StreamPump(writer, "ws", 1000);
            CollectorConfig.Ws config = TestWsConfig.production()
                    .withPing(Duration.ofMillis(100), Duration.ofMillis(600))
                    .withQueue(1000, true);
            WsConnections pool = new WsConnections(
                    vertx,
                    "ws://127.0.0.1:" + server.actualPort() + "/ws/market",
                    "test",
                    config,
                    pump,
                    new WsStats(new SimpleMeterRegistry()),
                    s -> {},
                    PoolRun.TOKEN);
            pool.apply(Set.of("1", "2", "3"));
            Eventually.until("the dead connection replaced twice", () -> accepted.get() >= 3);
            pool.stop();
            Thread.sleep(300);
            pump.close();
            assertThat(accepted.get())
                    .as("the dead connection was replaced, twice")
                    .isGreaterThanOrEqualTo(3);
            assertThat(received)
                    .anyMatch(m -> m.contains("\"type\":\"market\""))
                    .contains("PING");

            List<JsonNode> records = new DataDirReader(temp.dataDir()).records(StreamName.WS_MARKET);
            assertThat(records)
                    .anyMatch(r -> "connected".equals(r.path("event").asText())
                            && ("ws://127.0.0.1:" + server.actualPort() + "/ws/market")
                                    .equals(r.path("url").asText()));
            assertThat(records)
                    .anyMatch(r -> "disconnected".equals(r.path("event").asText())
                            && "pong-timeout".equals(r.path("reason").asText()));
            assertThat(records)
                    .anyMatch(r -> "gap".equals(r.path("event").asText())
                            && "pong-timeout".equals(r.path("reason").asText())
                            && r.get("to_us").asLong() >= r.get("from_us").asLong());
        } finally {
            server.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
