package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultsTest {
    static PolymarketSim sim;

    @BeforeAll
    static void start() {
        sim = PolymarketSim.start(SimTestConfigs.small()
                .eventsPerSecondPerAsset(50)
                .tick(Duration.ofMillis(20))
                .idleEventsPerSecondPerAsset(0)
                .closedShare(0)
                .build());
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @AfterEach
    void clear() {
        sim.faults().clear();
    }

    private static SimClient.Ws subscribed(int tokenIndex) {
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        ws.sendText(MarketWebSocketTest.subscribe(
                List.of(sim.universe().openTokenIds().get(tokenIndex))));
        SimClient.await("first frame", SimClient.TIMEOUT, () -> ws.size() >= 1);
        return ws;
    }

    private static String lastConnectionId() {
        return sim.oracle().connections().getLast().id();
    }

    private static HttpResponse<String> admin(String path) {
        return SimClient.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.adminUrl() + path))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
    }

    @Test
    void dropClosesConnectionsThroughTheAdminEndpoint() throws Exception {
        SimClient.Ws ws = subscribed(0);
        HttpResponse<String> r = admin("/faults/drop");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1011);
        SimClient.await(
                "oracle sees the close",
                SimClient.TIMEOUT,
                () -> sim.oracle().connections().stream().noneMatch(Oracle.ConnectionRecord::open));
        Oracle.ConnectionRecord rec = sim.oracle().connections().getLast();
        assertThat(rec.closeReason()).contains("drop");
        assertThat(rec.sha256()).isEqualTo(FrameDigest.of(ws.dataFrames()));
        assertThat(rec.frames()).isEqualTo(ws.dataFrames().size());
    }

    @Test
    void silenceStopsDataButPongStillComes() {
        SimClient.Ws ws = subscribed(2);
        sim.faults().apply("silence", Map.of("seconds", "30", "conn", lastConnectionId()));
        MarketWebSocketTest.sleep(100);
        int before = ws.dataFrames().size();
        ws.sendText("PING");
        SimClient.await(
                "PONG while silent", SimClient.TIMEOUT, () -> ws.messages().contains("PONG"));
        MarketWebSocketTest.sleep(300);
        assertThat(ws.dataFrames()).hasSize(before);
        sim.faults().clear();
        SimClient.await("data again", SimClient.TIMEOUT, () -> ws.dataFrames().size() > before);
        ws.close();
    }

    @Test
    void refuseRejectsHandshakesForAWhile() {
        sim.faults().apply("refuse", Map.of("seconds", "30"));
        assertThatThrownBy(() -> SimClient.connect(sim.wsUrl())).hasMessageContaining("cannot connect");
        sim.faults().clear();
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        ws.close();
    }

    @Test
    void httpStatusFaultsAnswerTheNextRequestsThenRecover() {
        String url = sim.clobUrl() + "/book?token_id="
                + sim.universe().openTokenIds().getFirst();
        assertThat(admin("/faults/http?status=503&count=2&scope=clob").statusCode())
                .isEqualTo(200);
        assertThat(SimClient.get(sim.gammaUrl() + "/markets/keyset").statusCode())
                .as("gamma not in scope")
                .isEqualTo(200);
        assertThat(SimClient.get(url).statusCode()).isEqualTo(503);
        assertThat(SimClient.get(url).statusCode()).isEqualTo(503);
        assertThat(SimClient.get(url).statusCode()).isEqualTo(200);
        sim.faults().apply("http", Map.of("status", "429", "count", "1"));
        assertThat(SimClient.get(sim.gammaUrl() + "/markets/keyset").statusCode())
                .isEqualTo(429);
        sim.faults().apply("http", Map.of("status", "500", "count", "1", "scope", "gamma"));
        assertThat(SimClient.get(sim.gammaUrl() + "/markets/keyset").statusCode())
                .isEqualTo(500);
    }

    @Test
    void slowResponsesAreDelayed() {
        String url = sim.clobUrl() + "/book?token_id="
                + sim.universe().openTokenIds().getFirst();
        sim.faults().apply("slow", Map.of("ms", "400", "count", "1"));
        long start = System.nanoTime();
        assertThat(SimClient.get(url).statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(380);
    }

    @Test
    void malformedAndTruncatedFramesAreSentAndRecordedAsSent() {
        SimClient.Ws ws = subscribed(4);
        // One kind at a time: a second `malformed` replaces the first, so applying both at once raced with the feed
        // (1 or 2 bad frames, depending on whether a frame went out between the two calls).
        sim.faults().apply("malformed", Map.of("count", "1", "kind", "truncated"));
        SimClient.await(
                "a truncated frame",
                SimClient.TIMEOUT,
                () -> ws.dataFrames().stream().anyMatch(f -> !parses(f)));
        sim.faults().apply("malformed", Map.of("count", "1", "kind", "garbage"));
        SimClient.await(
                "a garbage frame",
                SimClient.TIMEOUT,
                () -> ws.dataFrames().stream().filter(f -> !parses(f)).count() == 2);
        ws.close();
        assertThat(ws.dataFrames().stream().filter(f -> !parses(f)).count()).isEqualTo(2);
        assertThat(sim.oracle().connections().getLast().sha256()).isEqualTo(FrameDigest.of(ws.dataFrames()));
    }

    @Test
    void restResponsesCanBeTruncated() {
        String url = sim.clobUrl() + "/book?token_id="
                + sim.universe().openTokenIds().get(1);
        long corrupted = sim.oracle().restResponsesCorrupted();
        sim.faults().apply("malformed", Map.of("count", "1", "kind", "truncated", "target", "rest"));
        HttpResponse<String> r = SimClient.get(url);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(parses(r.body())).isFalse();
        assertThat(sim.oracle().restResponsesCorrupted()).isEqualTo(corrupted + 1);
        assertThat(parses(SimClient.get(url).body())).isTrue();
    }

    @Test
    void unknownFieldAndTypeChangeAltersPayloads() {
        sim.faults().apply("unknown-field", Map.of("enabled", "true"));
        sim.faults().apply("type-change", Map.of("enabled", "true"));
        JsonObject book = new JsonObject(SimClient.get(sim.clobUrl() + "/book?token_id="
                        + sim.universe().openTokenIds().get(1))
                .body());
        assertThat(book.containsKey("sim_unknown_field")).isTrue();
        assertThat(book.getValue("timestamp")).isInstanceOf(Number.class);
        JsonObject market = new JsonObject(SimClient.get(sim.gammaUrl() + "/markets/keyset?limit=100")
                        .body())
                .getJsonArray("markets").stream()
                        .map(o -> (JsonObject) o)
                        .filter(o -> "v1".equals(o.getValue("version")))
                        .findFirst()
                        .orElseThrow();
        assertThat(market.getValue("clobTokenIds")).isInstanceOf(JsonArray.class);
        assertThat(market.getValue("orderPriceMinTickSize")).isInstanceOf(String.class);
        assertThat(market.containsKey("simUnknownField")).isTrue();
        SimClient.Ws ws = subscribed(6);
        JsonObject first = new JsonArray(ws.dataFrames().getFirst()).getJsonObject(0);
        assertThat(first.containsKey("sim_unknown_field")).isTrue();
        assertThat(first.getValue("timestamp")).isInstanceOf(Number.class);
        ws.close();
    }

    @Test
    void aMarketCanDisappear() {
        SimMarket m = sim.universe()
                .marketOfToken(sim.universe().openTokenIds().get(10))
                .orElseThrow();
        assertThat(admin("/faults/disappear?market=" + m.id()).statusCode()).isEqualTo(200);
        assertThat(m.status()).isEqualTo(MarketStatus.GONE);
        assertThat(SimClient.get(sim.gammaUrl() + "/markets/" + m.id()).statusCode())
                .isEqualTo(404);
        assertThat(SimClient.get(sim.clobUrl() + "/book?token_id="
                                + m.def().tokenIds().getFirst())
                        .statusCode())
                .isEqualTo(404);
        sim.universe().reopen(m.id());
        HttpResponse<String> random = admin("/faults/disappear?market=random");
        assertThat(new JsonObject(random.body()).getString("applied")).startsWith("disappear market ");
        String id = new JsonObject(random.body()).getString("applied").substring("disappear market ".length());
        sim.universe().reopen(id);
    }

    @Test
    void unknownFaultsAndBadParametersAreRejected() {
        assertThat(admin("/faults/explode").statusCode()).isEqualTo(400);
        assertThat(admin("/faults/http?count=many").statusCode()).isEqualTo(400);
        assertThatThrownBy(() -> sim.faults().apply("malformed", Map.of("kind", "weird")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void faultScriptAppliesFaultsAtOffsetsAfterStart() {
        assertThat(FaultScript.parse(
                                "5s silence seconds=10; 1m http status=503 count=3 scope=clob\n# comment\n500ms drop")
                        .entries())
                .extracting(FaultScript.Entry::fault)
                .containsExactly("silence", "http", "drop");
        assertThatThrownBy(() -> FaultScript.parse("soon drop")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultScript.parse("5s http status")).isInstanceOf(IllegalArgumentException.class);
        try (PolymarketSim s = PolymarketSim.start(SimTestConfigs.small()
                .faultScript("100ms http status=502 count=1; 150ms type-change enabled=true")
                .build())) {
            String url = s.clobUrl() + "/book?token_id="
                    + s.universe().openTokenIds().getFirst();
            SimClient.await(
                    "scripted type change",
                    SimClient.TIMEOUT,
                    () -> Boolean.TRUE.equals(s.faults().state().get("type_change")));
            assertThat(SimClient.get(url).statusCode()).isEqualTo(502);
            assertThat(SimClient.get(url).statusCode()).isEqualTo(200);
        }
    }

    private static boolean parses(String text) {
        try {
            if (text.startsWith("[")) {
                new JsonArray(text);
            } else {
                new JsonObject(text);
            }
            return true;
        } catch (DecodeException | ClassCastException e) {
            return false;
        }
    }
}
