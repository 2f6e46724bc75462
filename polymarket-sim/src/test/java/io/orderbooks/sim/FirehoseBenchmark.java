package io.orderbooks.sim;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures firehose throughput (not part of the test suite). Run from the module directory after test-compile:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.orderbooks.sim.FirehoseBenchmark [connections] [seconds] [wsUrl]
 * </pre>
 * Without a URL it starts an in-process simulator in firehose mode; the client shares the machine either way.
 */
public final class FirehoseBenchmark {
    private FirehoseBenchmark() {}

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        PolymarketSim sim = args.length > 2
                ? null
                : PolymarketSim.start(SimConfig.builder()
                        .markets(500)
                        .closedShare(0)
                        .noOrderBookShare(0)
                        .firehose(true)
                        .build());
        URI ws = URI.create(args.length > 2 ? args[2] : sim.wsUrl());
        List<String> tokens = sim != null ? sim.universe().openTokenIds() : null;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setMaxWebSocketFrameSize(16 << 20)
                .setMaxWebSocketMessageSize(64 << 20)
                .setMaxPoolSize(connections));
        LongAdder frames = new LongAdder();
        for (int c = 0; c < connections; c++) {
            List<String> mine = tokens == null ? List.of() : tokens.subList((c * 100) % 900, (c * 100) % 900 + 100);
            client.webSocket(new WebSocketConnectOptions()
                            .setHost(ws.getHost())
                            .setPort(ws.getPort())
                            .setURI(ws.getPath()))
                    .onSuccess(s -> {
                        s.frameHandler(f -> {
                            if (f.isFinal()) {
                                frames.increment();
                            }
                        });
                        s.writeTextMessage(new JsonObject()
                                .put("assets_ids", new JsonArray(mine))
                                .put("type", "market")
                                .encode());
                    })
                    .onFailure(Throwable::printStackTrace);
        }
        Thread.sleep(2000);
        long start = frames.sum();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long n = frames.sum() - start;
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "firehose: %d connections, %d frames in %.1f s = %.0f frames/s received%n", connections, n, s, n / s);
        if (sim != null) {
            System.out.printf("oracle: %d frames sent in total%n", sim.oracle().totalFrames());
            sim.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }
}
