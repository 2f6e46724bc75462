package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.Eventually;
import io.orderbooks.shared.testing.TempDataDir;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A burst far larger than the queue to the disk arrives while the disk stalls. With backpressure (the default) the
 * connection stops reading, TCP holds the rest, and once the disk is back every frame is recorded once, in order,
 * with no gap and with the pause visible as {@code paused}/{@code resumed} events. Without it, the same burst loses
 * frames, recorded as a {@code queue-full} gap. A bare Vert.x server plays Polymarket, sending as fast as its socket
 * drains (it honours its own write queue, as a real server must).
 */
class WsBackpressureTest {
    private static final int FRAMES = 20_000;
    private static final int QUEUE = 1_000;

    private Vertx vertx;
    private HttpServer server;
    private final AtomicInteger sent = new AtomicInteger();
    private final TempDataDir temp = TempDataDir.create();

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(req -> req.toWebSocket()
                        .onSuccess(ws -> ws.textMessageHandler(m -> {
                            if (m.contains("\"type\":\"market\"")) {
                                sendBurst(ws);
                            } else if ("PING".equals(m)) {
                                ws.writeTextMessage("PONG");
                            }
                        })))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        temp.close();
    }

    /** Writes frames until the socket's write queue is full, then continues on drain. */
    private void sendBurst(ServerWebSocket ws) {
        while (sent.get() < FRAMES && !ws.writeQueueFull()) {
            int i = sent.getAndIncrement();
            ws.writeTextMessage(
                    "{\"event_type\":\"price_change\",\"market\":\"0xabc\",\"price_changes\":[{\"asset_id\":\"1\","
                            + "\"price\":\"0.5\",\"size\":\"" + (i % 977) + "\",\"side\":\"BUY\",\"hash\":\"h" + i
                            + "\",\"best_bid\":\"0.5\",\"best_ask\":\"0.51\"}],\"timestamp\":\"" + i + "\"}");
        }
        if (sent.get() < FRAMES) {
            ws.drainHandler(v -> sendBurst(ws));
        }
    }

    @Test
    void aBurstWhileTheDiskStallsIsHeldBackByTcpAndRecordedWhole() throws Exception {
        Run run = record(true);
        assertThat(run.lost).as("nothing dropped").isZero();
        assertThat(run.pauses).as("the connection paused").isPositive();
        List<JsonNode> frames = run.records.stream().filter(r -> r.has("frame")).toList();
        assertThat(frames).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(frames.get(i).get("frame").get("timestamp").asText())
                    .as("frame %d in order, once", i)
                    .isEqualTo(String.valueOf(i));
        }
        assertThat(run.records).noneMatch(r -> "gap".equals(r.path("event").asText()));
        assertThat(run.records)
                .anyMatch(r -> "paused".equals(r.path("event").asText())
                        && "write-backlog".equals(r.path("reason").asText())
                        && r.get("queue").asInt() >= QUEUE / 2);
        assertThat(run.records)
                .anyMatch(r -> "resumed".equals(r.path("event").asText())
                        && r.get("paused_ms").asLong() >= 0);
    }

    @Test
    void withoutBackpressureTheSameBurstLosesFramesAndSaysSo() throws Exception {
        Run run = record(false);
        assertThat(run.pauses).isZero();
        assertThat(run.lost).as("the stalled disk overflowed the queue").isPositive();
        long framesKept = run.records.stream().filter(r -> r.has("frame")).count();
        List<JsonNode> gaps = run.records.stream()
                .filter(r -> "gap".equals(r.path("event").asText()))
                .toList();
        assertThat(gaps)
                .isNotEmpty()
                .allMatch(g -> "queue-full".equals(g.get("reason").asText()));
        long lostLines =
                gaps.stream().mapToLong(g -> g.get("lost_lines").asLong()).sum();
        assertThat(lostLines).isEqualTo(run.lost);
        assertThat(framesKept + lostLines)
                .as("every frame is either kept or counted in a gap")
                .isEqualTo(FRAMES);
    }

    private record Run(List<JsonNode> records, long lost, double pauses) {}

    private Run record(boolean backpressure) throws Exception {
        CountDownLatch diskBack = new CountDownLatch(1);
        StreamPump pump = StreamPumpTest.pumpBehindStallingDisk(temp, diskBack, QUEUE);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        WsConnections pool = new WsConnections(
                vertx,
                "ws://127.0.0.1:" + server.actualPort() + "/ws/market",
                "test",
                TestWsConfig.production().withQueue(QUEUE, backpressure),
                pump,
                new WsStats(registry),
                s -> {},
                PoolRun.TOKEN);
        pool.apply(Set.of("1"));

        // The disk stays stalled until the burst has outrun the queue (backpressure: the socket paused).
        BooleanSupplier overrun =
                backpressure ? () -> registry.counter("collector.ws.pauses").count() > 0 : () -> pump.lost() > 0;
        assertThat(waitFor(overrun)).as("the burst outran the stalled disk").isTrue();
        Thread.sleep(300); // let the server push what TCP will take meanwhile
        diskBack.countDown();

        // Received counts every frame read from the socket, kept or dropped.
        assertThat(waitFor(() -> sent.get() == FRAMES && received(registry) == FRAMES))
                .as("the whole burst was sent and read")
                .isTrue();
        assertThat(waitFor(() -> pump.depth() == 0)).isTrue(); // so the closing events are not lost as well
        pool.stop();
        Thread.sleep(200);
        pump.close();
        return new Run(
                new DataDirReader(temp.dataDir()).records(StreamName.WS_MARKET),
                pump.lost(),
                registry.counter("collector.ws.pauses").count());
    }

    private static double received(SimpleMeterRegistry registry) {
        return registry.find("collector.frames").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    /** Whether {@code condition} came true within Eventually's default (callers assert on it with a message). */
    private static boolean waitFor(BooleanSupplier condition) {
        try {
            Eventually.until("condition", condition::getAsBoolean);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
        return true;
    }
}
