package io.orderbooks.bench;

import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Realistic frames for the micro-benchmarks: captured from the simulator's normal (not firehose) feed over a real
 * websocket, so every frame differs (assets, prices, sizes, hashes, timestamps) and gzip sees what it would see in
 * production, not one frame repeated. Two kinds: single-object {@code price_change} frames and single-object
 * {@code book} frames. Stored one frame per line, so JMH forks read the same corpus.
 */
public final class Corpus {
    public static final String PRICE_CHANGE = "price_change";
    public static final String BOOK = "book";

    private Corpus() {}

    public static Path file(Path dir, String kind) {
        return dir.resolve(kind + ".frames");
    }

    /** Frames of one kind, as bytes, in capture order. */
    public static List<byte[]> load(Path dir, String kind) {
        try {
            List<byte[]> out = new ArrayList<>();
            for (String line : Files.readAllLines(file(dir, kind), StandardCharsets.UTF_8)) {
                if (!line.isEmpty()) {
                    out.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("empty corpus " + file(dir, kind));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double meanBytes(List<byte[]> frames) {
        return frames.stream().mapToInt(b -> b.length).average().orElse(0);
    }

    /** Captures at least {@code perKind} frames of each kind (or what {@code maxSeconds} gives) into {@code dir}. */
    public static void capture(Path dir, int perKind, int maxSeconds) throws Exception {
        Files.createDirectories(dir);
        List<String> priceChanges = Collections.synchronizedList(new ArrayList<>());
        List<String> books = Collections.synchronizedList(new ArrayList<>());
        try (PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
                .seed(7)
                .markets(300)
                .closedShare(0)
                .noOrderBookShare(0)
                .eventsPerSecondPerAsset(8)
                .fullBookEvery(20)
                .arrayFrameShare(0)
                .eventLoops(1)
                .build())) {
            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
            try {
                WebSocketClient client = vertx.createWebSocketClient(
                        new WebSocketClientOptions().setMaxFrameSize(16 << 20).setMaxMessageSize(64 << 20));
                URI ws = URI.create(sim.wsUrl());
                List<String> tokens =
                        sim.universe().openTokenIds().stream().limit(400).toList();
                var socket = client.connect(new WebSocketConnectOptions()
                                .setHost(ws.getHost())
                                .setPort(ws.getPort())
                                .setURI(ws.getPath()))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                socket.textMessageHandler(text -> {
                    if (!text.startsWith("{")) {
                        return; // the subscribe snapshot (an array of books) is not a typical frame
                    }
                    if (text.contains("\"event_type\":\"price_change\"")) {
                        priceChanges.add(text);
                    } else if (text.contains("\"event_type\":\"book\"")) {
                        books.add(text);
                    }
                });
                for (int i = 0; i < tokens.size(); i += 100) {
                    List<String> chunk = tokens.subList(i, Math.min(tokens.size(), i + 100));
                    String ids = "\"" + String.join("\",\"", chunk) + "\"";
                    socket.writeTextMessage("{\"assets_ids\":[" + ids + "],"
                            + (i == 0 ? "\"type\":\"market\"" : "\"operation\":\"subscribe\"") + "}");
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
                while (System.nanoTime() < deadline && (priceChanges.size() < perKind || books.size() < perKind)) {
                    Thread.sleep(100);
                }
                socket.close();
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        write(dir, PRICE_CHANGE, priceChanges, perKind);
        write(dir, BOOK, books, perKind);
    }

    private static void write(Path dir, String kind, List<String> frames, int max) throws IOException {
        List<String> kept;
        synchronized (frames) {
            kept = new ArrayList<>(frames.subList(0, Math.min(max, frames.size())));
        }
        if (kept.isEmpty()) {
            throw new IllegalStateException("the simulator sent no " + kind + " frames");
        }
        Files.write(file(dir, kind), kept, StandardCharsets.UTF_8);
    }
}
