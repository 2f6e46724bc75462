package io.orderbooks.collector;

import static io.orderbooks.collector.PoolRun.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.Eventually;
import io.orderbooks.sim.MarketDef;
import io.orderbooks.sim.MarketVersion;
import io.orderbooks.sim.Oracle;
import io.orderbooks.sim.PolymarketSim;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The collector as a process against what discovery can publish today (docs/DATA-FORMAT.md §4): a tokens.json with some
 * bad entries
 * costs only those entries (skipped, counted in a metric and the status line, recorded in-band), and a collector that
 * records nothing, or whose websockets are silent, is not ready.
 */
@Tag("process")
class CollectorTokensIT {
    private SimCollector fx;
    private PolymarketSim sim;
    private DataDir dir;
    private CollectorProcess collector;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startSim() {
        fx = SimCollector.start(7, 20);
        sim = fx.sim;
        dir = fx.dir;
    }

    @AfterEach
    void stopAll() {
        fx.close();
    }

    private List<String> tokensOf(MarketVersion version, int n) {
        return sim.universe().openTokenIds().stream()
                .sorted()
                .filter(id ->
                        sim.universe().marketOfToken(id).orElseThrow().def().version() == version)
                .limit(n)
                .toList();
    }

    /** One tokens.json entry as discovery writes it, for a simulator token. */
    private String entry(String tokenId, String protocol) {
        MarketDef m = sim.universe().marketOfToken(tokenId).orElseThrow().def();
        int idx = m.tokenIds().indexOf(tokenId);
        return "{\"token_id\":\"" + tokenId + "\",\"outcome\":\"" + m.outcomes().get(idx) + "\",\"outcome_index\":"
                + idx
                + ",\"condition_id\":\"" + m.conditionId() + "\",\"market_id\":\"" + m.id() + "\",\"neg_risk\":"
                + m.negRisk()
                + ",\"tick_size\":\"0.01\",\"min_order_size\":\"5\",\"protocol\":\"" + protocol + "\"}";
    }

    private void writeTokens(List<String> entries) throws Exception {
        String json = "{\"schema\":\"orderbooks.tokens/1\",\"generated_at\":\"" + java.time.Instant.now()
                + "\",\"run_id\":\"it\"," + "\"source\":\"test\",\"filters\":{},\"markets\":0,\"tokens\":["
                + String.join(",", entries) + "]}";
        AtomicFiles.replace(dir.tokensFile(), json.getBytes(StandardCharsets.UTF_8));
    }

    private static final List<String> BAD = List.of(
            "{\"token_id\":\"12ab\",\"outcome\":\"Yes\",\"outcome_index\":0,\"condition_id\":\"0x" + "1".repeat(64)
                    + "\",\"market_id\":\"1\",\"neg_risk\":false}",
            "{\"token_id\":\"123\",\"outcome\":\"Yes\",\"outcome_index\":0,\"condition_id\":\"0x12\",\"market_id\":\"1\",\"neg_risk\":false}",
            "{\"token_id\":\"124\",\"outcome\":\"Yes\",\"outcome_index\":0,\"condition_id\":\"0x" + "1".repeat(64)
                    + "\",\"market_id\":\"1\",\"neg_risk\":false,\"protocol\":\"v9\"}");

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null; // not listening yet
        }
    }

    private void awaitReadiness(int port, int status, String bodyPart, Duration max) {
        Eventually.until("readiness " + status + " with '" + bodyPart + "'", max, () -> {
            HttpResponse<String> r = get(port, "/q/health/ready");
            return r != null && r.statusCode() == status && r.body().contains(bodyPart);
        });
    }

    private int subscribedOnOpenConnections() {
        return sim.oracle().connections().stream()
                .filter(Oracle.ConnectionRecord::open)
                .mapToInt(Oracle.ConnectionRecord::subscribedAssets)
                .sum();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aPartlyBadListCostsOnlyItsBadEntriesAndACollectorThatRecordsNothingIsNotReady() throws Exception {
        // Only bad entries: nothing to subscribe, and the collector says it is not ready instead of idling at 200.
        writeTokens(BAD);
        int port = freePort();
        Map<String, String> env = fx.env("tok", "0/1");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        collector = fx.start(env, "tok");
        awaitReadiness(port, 503, "tracking no token although tokens.json exists", Duration.ofSeconds(60));

        // Protocol V2 tokens (position ids, 31-byte condition ids) and v1 tokens beside three bad entries: the
        // twelve good ones are all recorded.
        List<String> v2 = tokensOf(MarketVersion.V2, 6);
        List<String> v1 = tokensOf(MarketVersion.V1, 6);
        List<String> entries = new ArrayList<>(BAD);
        for (String id : v2) {
            entries.add(entry(id, "v2"));
        }
        for (String id : v1) {
            entries.add(1, entry(id, "v1"));
        }
        assertThat(v2)
                .allMatch(id -> sim.universe()
                                .marketOfToken(id)
                                .orElseThrow()
                                .def()
                                .conditionId()
                                .length()
                        == 64);
        List<String> ids = new ArrayList<>(v2);
        ids.addAll(v1);
        Thread.sleep(20); // a new modification time
        writeTokens(entries);
        await("12 assets subscribed", Duration.ofSeconds(30), () -> subscribedOnOpenConnections() == 12);
        awaitReadiness(port, 200, "tokens_skipped", Duration.ofSeconds(30));
        await("metric and status line", Duration.ofSeconds(30), () -> {
            HttpResponse<String> m = get(port, "/q/metrics");
            return m != null && m.body().contains("collector_tokens_skipped 3.0") && logHas("tokens=12 skipped=3");
        });

        // Every websocket silent while REST books keep coming: not ready (REST alone records only part of the market).
        sim.faults().apply("silence", Map.of("seconds", "12"));
        awaitReadiness(port, 503, "no websocket data for longer than stale-after", Duration.ofSeconds(30));
        awaitReadiness(port, 200, "UP", Duration.ofSeconds(40));

        assertThat(collector.terminate()).isIn(0, 143);
        List<JsonNode> events = new DataDirReader(dir)
                .records(StreamName.WS_MARKET).stream()
                        .filter(r -> "tokens_skipped".equals(r.path("event").asText()))
                        .toList();
        assertThat(events).hasSize(2);
        assertThat(events).extracting(r -> r.get("skipped").asInt()).containsExactly(3, 3);
        assertThat(events).extracting(r -> r.get("kept").asInt()).containsExactly(0, 12);
        Predicate<JsonNode> listsReasons =
                r -> r.get("first").toString().contains("tokens[0] (12ab): token_id is not a decimal string")
                        && r.get("first").toString().contains("condition_id is not 0x + 62 or 64 hex digits")
                        && r.get("first").toString().contains("protocol is \\\"v9\\\"");
        assertThat(events).allMatch(listsReasons);

        // Books and frames are stored under the position ids of the V2 markets, as under the token ids of v1 ones.
        DataDirReader reader = new DataDirReader(dir);
        java.util.Set<String> booksFor = new java.util.HashSet<>();
        for (JsonNode r : reader.records(StreamName.REST_BOOKS)) {
            if (r.has("item")) {
                booksFor.add(r.get("item").get("asset_id").asText());
                assertThat(PublishedBookHash.of(r.get("item")))
                        .isEqualTo(r.get("item").get("hash").asText());
            }
        }
        assertThat(booksFor).containsAll(ids);
        String frames = reader.records(StreamName.WS_MARKET).stream()
                .filter(r -> r.has("frame"))
                .map(r -> r.get("frame").toString())
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(ids).allMatch(id -> frames.contains("\"asset_id\":\"" + id + "\""));
    }

    private boolean logHas(String text) {
        try {
            return Files.readString(collector.log).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
