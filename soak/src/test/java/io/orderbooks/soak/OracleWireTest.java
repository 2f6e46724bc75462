package io.orderbooks.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.sim.FrameDigest;
import io.orderbooks.sim.Oracle;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import io.orderbooks.soak.input.OracleInput;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle as a real simulator serves it (GET /admin/oracle, /admin/oracle/rest/&lt;token&gt;, the sidecar) reads
 * into the simulator's own record types, and its digests are what a recorder recomputes with {@link FrameDigest}.
 */
class OracleWireTest {
    @Test
    void adminOracleReadsIntoTheSimulatorsTypes(@TempDir Path dir) throws Exception {
        Path sidecar = dir.resolve("frames.jsonl");
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
        HttpClient http = HttpClient.newHttpClient();
        try (PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
                .markets(20)
                .eventLoops(1)
                .levelsPerSide(4)
                .eventsPerSecondPerAsset(30)
                .oracleFramesFile(sidecar)
                .build())) {
            String token = sim.universe().openTokenIds().get(0);
            String book = get(http, sim.clobUrl() + "/book?token_id=" + token);
            WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create(sim.wsUrl()), new WebSocket.Listener() {
                        final StringBuilder part = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            part.append(data);
                            if (last) {
                                String frame = part.toString();
                                part.setLength(0);
                                if (!frame.equals("PONG")) {
                                    received.add(frame);
                                }
                            }
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                            closed.complete(null);
                            return null;
                        }
                    })
                    .get();
            ws.sendText("{\"assets_ids\":[\"" + token + "\"],\"type\":\"market\"}", true)
                    .get();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (received.size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get();
            closed.get(20, java.util.concurrent.TimeUnit.SECONDS);
            while (sim.oracle().connections().stream().anyMatch(Oracle.ConnectionRecord::open)
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            sim.oracle().flush();

            Path saved = dir.resolve("oracle-final.json");
            Files.writeString(saved, get(http, sim.adminUrl() + "/oracle"));
            Oracle.Snapshot oracle = OracleInput.snapshot(saved);
            assertThat(oracle).isEqualTo(sim.oracle().snapshot());
            assertThat(oracle.connections()).hasSize(1);
            Oracle.ConnectionRecord c = oracle.connections().get(0);
            assertThat(c.frames()).isEqualTo(received.size()).isGreaterThanOrEqualTo(5);
            assertThat(c.sha256()).isEqualTo(FrameDigest.of(received));
            assertThat(c.subscribedAssets()).isEqualTo(1);

            Path rest = dir.resolve("oracle-rest.jsonl");
            Files.writeString(rest, get(http, sim.adminUrl() + "/oracle/rest/" + token) + "\n");
            List<Oracle.RestBookRecord> books = OracleInput.restBooks(rest);
            assertThat(books).containsExactly(sim.oracle().restBook(token).orElseThrow());
            assertThat(books.get(0).sha256()).isEqualTo(FrameDigest.of(List.of(book)));
        }
        List<String> sidecarFrames = new ArrayList<>();
        OracleInput.sidecarFrames(sidecar, conn -> true, (conn, f) -> sidecarFrames.add(f.frame()));
        assertThat(sidecarFrames).isEqualTo(received);
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }
}
