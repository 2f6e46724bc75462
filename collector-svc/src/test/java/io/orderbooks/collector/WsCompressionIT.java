package io.orderbooks.collector;

import static io.orderbooks.collector.PoolRun.await;
import static io.orderbooks.collector.PoolRun.events;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.sim.FrameDigest;
import io.orderbooks.sim.Oracle;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * permessage-deflate (Polymarket documents it neither way) offered or not, accepted or declined: the
 * stored frames are exactly what the server sent (per-connection count and SHA-256 against the simulator's oracle),
 * the {@code connected} event says what was negotiated, and a counting TCP proxy measures the bytes on the wire
 * (printed; docs/COLLECTOR.md quotes them).
 */
class WsCompressionIT {
    @ParameterizedTest(name = "client offers {0}, server accepts {1}")
    @CsvSource({"true, true", "false, true", "true, false"})
    void storedFramesAreTheSameWhateverTheWireCarries(boolean offer, boolean accept) throws Exception {
        Vertx vertx = Vertx.vertx();
        PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
                .seed(9)
                .markets(60)
                .closedShare(0)
                .noOrderBookShare(0)
                .eventLoops(1)
                .wsCompression(accept)
                .build());
        try (CountingProxy proxy = new CountingProxy(vertx, sim.port());
                PoolRun run = new PoolRun(
                        vertx,
                        "ws://127.0.0.1:" + proxy.port() + PolymarketSim.WS_PATH,
                        TestWsConfig.production()
                                .withAssetsPerConnection(50, 10)
                                .withCompression(offer))) {
            run.pool.apply(Set.copyOf(
                    sim.universe().openTokenIds().stream().sorted().limit(100).toList()));
            await(
                    "2 connections subscribed",
                    Duration.ofSeconds(30),
                    () -> sim.oracle().connections().stream()
                                    .filter(Oracle.ConnectionRecord::open)
                                    .mapToInt(Oracle.ConnectionRecord::subscribedAssets)
                                    .sum()
                            == 100);
            await("3000 frames sent", Duration.ofSeconds(60), () -> sim.oracle().totalFrames() >= 3000);
            List<JsonNode> records = run.finish();

            boolean negotiated = offer && accept;
            assertThat(events(records, "connected"))
                    .hasSize(2)
                    .allMatch(e -> negotiated
                            ? "permessage-deflate".equals(e.get("compression").asText())
                            : e.get("compression").isNull());

            Set<String> sent = sim.oracle().connections().stream()
                    .map(c -> c.frames() + ":" + c.sha256())
                    .collect(Collectors.toSet());
            Map<String, List<String>> stored =
                    framesByConnection(run.temp.dataDir().root());
            Set<String> kept = stored.values().stream()
                    .map(f -> f.size() + ":" + FrameDigest.of(f))
                    .collect(Collectors.toSet());
            assertThat(kept)
                    .as("every connection's frames stored verbatim, in order")
                    .isEqualTo(sent);
            long frameBytes = sim.oracle().connections().stream()
                    .mapToLong(Oracle.ConnectionRecord::bytes)
                    .sum();
            System.out.printf(
                    "compression offer=%s accept=%s negotiated=%s: %d frames, %d bytes of frame text, "
                            + "%d bytes on the wire to the client (%.3f of the text), %d to the server%n",
                    offer,
                    accept,
                    negotiated,
                    sim.oracle().totalFrames(),
                    frameBytes,
                    proxy.toClient.get(),
                    proxy.toClient.get() / (double) frameBytes,
                    proxy.toServer.get());
        } finally {
            sim.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Recorded frames (the raw text of each line's frame) by the collector's connection id, in file order. */
    static Map<String, List<String>> framesByConnection(Path dataDirRoot) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        var reader = new DataDirReader(io.orderbooks.shared.layout.DataDir.of(dataDirRoot));
        for (Path f : reader.closedFiles(StreamName.WS_MARKET)) {
            for (String line : DataDirReader.lines(f)) {
                JsonNode n = Json.parse(line.getBytes(StandardCharsets.UTF_8));
                if (n.has("frame")) {
                    int at = line.indexOf(",\"frame\":");
                    out.computeIfAbsent(n.get("conn").asText(), k -> new ArrayList<>())
                            .add(line.substring(at + 9, line.length() - 1));
                } else if (n.has("frame_text")) {
                    out.computeIfAbsent(n.get("conn").asText(), k -> new ArrayList<>())
                            .add(n.get("frame_text").asText());
                }
            }
        }
        return out;
    }
}
