package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MarketWebSocketTest {
    static PolymarketSim sim;

    @BeforeAll
    static void start() {
        sim = PolymarketSim.start(SimTestConfigs.small()
                .markets(400)
                .closedShare(0.05)
                .noOrderBookShare(0.02)
                .eventsPerSecondPerAsset(40)
                .idleEventsPerSecondPerAsset(0)
                .fullBookEvery(15)
                .tradeShare(0.15)
                .tickSizeChangeShare(0.03)
                .tick(Duration.ofMillis(20))
                .build());
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    static String subscribe(List<String> ids) {
        return new JsonObject()
                .put("assets_ids", new JsonArray(ids))
                .put("type", "market")
                .encode();
    }

    static List<JsonObject> events(String frame) {
        List<JsonObject> out = new ArrayList<>();
        if (frame.startsWith("[")) {
            new JsonArray(frame).forEach(o -> out.add((JsonObject) o));
        } else {
            out.add(new JsonObject(frame));
        }
        return out;
    }

    @Test
    void subscribeAnswersAnArrayOfBooksThenAStreamWhoseHashesVerify() {
        List<String> tokens = sim.universe().openTokenIds().subList(0, 6);
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        ws.sendText(subscribe(tokens));
        SimClient.await("initial books", SimClient.TIMEOUT, () -> ws.size() >= 1);
        String first = ws.messages().getFirst();
        assertThat(first).startsWith("[");
        JsonArray snapshot = new JsonArray(first);
        assertThat(snapshot).hasSize(6);
        Map<String, ClientBook> books = new HashMap<>();
        for (Object o : snapshot) {
            JsonObject b = (JsonObject) o;
            assertThat(b.getString("event_type")).isEqualTo("book");
            assertThat(b.getString("timestamp")).matches("\\d{13}");
            assertThat(b.getString("tick_size")).isNotBlank();
            assertThat(b.getString("last_trade_price"))
                    .as("initial snapshot carries last_trade_price")
                    .isNotBlank();
            // min_order_size and neg_risk are not in ws books; fill them from REST, as a collector must.
            JsonObject rest = new JsonObject(SimClient.get(sim.clobUrl() + "/book?token_id=" + b.getString("asset_id"))
                    .body());
            ClientBook book = new ClientBook(b, rest.getString("min_order_size"), rest.getBoolean("neg_risk"), null);
            assertThat(book.hash()).isEqualTo(b.getString("hash"));
            books.put(book.assetId, book);
        }
        assertThat(books.keySet()).containsExactlyInAnyOrderElementsOf(tokens);

        SimClient.await("a stream of events", SimClient.TIMEOUT, () -> ws.size() > 150);
        Map<String, Integer> kinds = new LinkedHashMap<>();
        int verified = 0;
        boolean sawArray = false;
        boolean sawObject = false;
        boolean sawZero = false;
        boolean sawSibling = false;
        for (String frame : ws.messages().subList(1, ws.size())) {
            sawArray |= frame.startsWith("[");
            sawObject |= frame.startsWith("{");
            for (JsonObject e : events(frame)) {
                String type = e.getString("event_type");
                kinds.merge(type, 1, Integer::sum);
                switch (type) {
                    case "price_change" -> {
                        assertThat(e.fieldNames()).contains("market", "price_changes", "timestamp");
                        Map<String, List<JsonObject>> byAsset = new LinkedHashMap<>();
                        for (Object o : e.getJsonArray("price_changes")) {
                            JsonObject pc = (JsonObject) o;
                            byAsset.computeIfAbsent(pc.getString("asset_id"), k -> new ArrayList<>())
                                    .add(pc);
                            sawZero |= "0".equals(pc.getString("size"));
                        }
                        for (Map.Entry<String, List<JsonObject>> a : byAsset.entrySet()) {
                            ClientBook book = books.get(a.getKey());
                            if (book == null) {
                                sawSibling = true; // cross-asset delivery: the sibling token of a subscribed one
                                continue;
                            }
                            a.getValue().forEach(pc -> book.apply(pc, e.getString("timestamp")));
                            for (JsonObject pc : a.getValue()) {
                                assertThat(pc.getString("hash"))
                                        .as("price_change hash = hash of the resulting book")
                                        .isEqualTo(book.hash());
                                verified++;
                            }
                        }
                    }
                    case "book" -> {
                        ClientBook book = books.get(e.getString("asset_id"));
                        if (book != null) {
                            book.replace(e);
                            assertThat(book.hash()).isEqualTo(e.getString("hash"));
                            verified++;
                        }
                    }
                    case "last_trade_price" -> {
                        ClientBook book = books.get(e.getString("asset_id"));
                        if (book != null) {
                            book.lastTradePrice = e.getString("price");
                        }
                        assertThat(e.getString("side")).isIn("BUY", "SELL");
                    }
                    case "tick_size_change" -> {
                        ClientBook book = books.get(e.getString("asset_id"));
                        if (book != null) {
                            assertThat(e.getString("old_tick_size")).isEqualTo(book.tickSize);
                            book.tickSize = e.getString("new_tick_size");
                        }
                    }
                    default -> throw new AssertionError("unexpected event without custom features: " + e);
                }
            }
        }
        assertThat(verified).isGreaterThan(50);
        assertThat(kinds).containsKeys("price_change", "last_trade_price", "book");
        assertThat(sawArray && sawObject).as("both single objects and arrays").isTrue();
        assertThat(sawZero).as("a level removed with size 0").isTrue();
        assertThat(sawSibling || tokens.size() % 2 == 0).isTrue();
        ws.close();
        // The oracle saw exactly what the client received.
        Oracle.ConnectionRecord rec = sim.oracle().connections().stream()
                .filter(c -> c.frames() == ws.dataFrames().size() && !c.open())
                .findFirst()
                .orElseThrow();
        assertThat(rec.sha256()).isEqualTo(FrameDigest.of(ws.dataFrames()));
    }

    @Test
    void pingIsAnsweredWithPongTextAndPongIsNotInTheOracleDigest() {
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        ws.sendText("PING");
        SimClient.await("PONG", SimClient.TIMEOUT, () -> ws.messages().contains("PONG"));
        ws.close();
        Oracle.ConnectionRecord rec = latestClosedWithPongs();
        assertThat(rec.frames()).isZero();
        assertThat(rec.sha256()).isEqualTo(FrameDigest.EMPTY);
    }

    private static Oracle.ConnectionRecord latestClosedWithPongs() {
        return sim.oracle().connections().stream()
                .filter(c -> c.pongs() > 0 && !c.open())
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    void moreThan100IdsInOneFrameClosesTheConnection() throws Exception {
        List<String> ids = new ArrayList<>(sim.universe().openTokenIds().subList(0, 101));
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        ws.sendText(subscribe(ids));
        assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo((int) WsSession.TOO_MANY_IDS);
        assertThat(ws.dataFrames()).isEmpty();
        SimClient.Ws ok = SimClient.connect(sim.wsUrl());
        ok.sendText(subscribe(ids.subList(0, 100)));
        SimClient.await("100 ids accepted", SimClient.TIMEOUT, () -> ok.size() >= 1);
        assertThat(new JsonArray(ok.messages().getFirst())).hasSize(100);
        ok.close();
    }

    @Test
    void assetsBeyond500OnOneConnectionSilentlyGetNoData() {
        List<String> open = sim.universe().openTokenIds();
        assertThat(open.size()).isGreaterThan(520);
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        Set<String> booked = new HashSet<>();
        for (int i = 0; i < 520; i += 100) {
            List<String> chunk = open.subList(i, Math.min(520, i + 100));
            ws.sendText(
                    i == 0
                            ? subscribe(chunk)
                            : new JsonObject()
                                    .put("assets_ids", new JsonArray(chunk))
                                    .put("operation", "subscribe")
                                    .encode());
        }
        SimClient.await("500 books", SimClient.TIMEOUT, () -> {
            booked.clear();
            for (String f : ws.dataFrames()) {
                for (JsonObject e : events(f)) {
                    if ("book".equals(e.getString("event_type"))) {
                        booked.add(e.getString("asset_id"));
                    }
                }
            }
            return booked.size() >= 500;
        });
        SimClient.await("some stream", SimClient.TIMEOUT, () -> ws.size() > 400);
        Set<String> excess = new HashSet<>(open.subList(500, 520));
        Set<String> excessSiblings = new HashSet<>();
        for (String t : excess) {
            excessSiblings.addAll(
                    sim.universe().marketOfToken(t).orElseThrow().def().tokenIds());
        }
        for (String f : ws.dataFrames()) {
            for (JsonObject e : events(f)) {
                assertThat(excess).doesNotContain(e.getString("asset_id", ""));
                if (e.containsKey("price_changes")) {
                    // Only sibling deliveries of served tokens may mention an excess token.
                    for (Object o : e.getJsonArray("price_changes")) {
                        String a = ((JsonObject) o).getString("asset_id");
                        if (excess.contains(a)) {
                            assertThat(excessSiblings).contains(a);
                        }
                    }
                }
            }
        }
        assertThat(booked).hasSize(500).doesNotContainAnyElementsOf(excess);
        ws.close();
        assertThat(sim.oracle().connections()).anyMatch(c -> c.subscribedAssets() == 520 && c.servedAssets() == 500);
    }

    @Test
    void malformedSubscribeFramesAreIgnoredAndCounted() {
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        ws.sendText("{not json");
        ws.sendText("{\"type\":\"market\"}");
        ws.sendText("{\"assets_ids\":\"123\",\"type\":\"market\"}");
        ws.sendText("{\"assets_ids\":[],\"type\":\"user\"}");
        ws.sendText("{\"assets_ids\":[],\"operation\":\"frobnicate\"}");
        ws.sendText("PING");
        SimClient.await(
                "PONG after bad frames", SimClient.TIMEOUT, () -> ws.messages().contains("PONG"));
        ws.sendText(subscribe(List.of(sim.universe().openTokenIds().get(3), "999")));
        SimClient.await("book", SimClient.TIMEOUT, () -> ws.dataFrames().size() >= 1);
        assertThat(new JsonArray(ws.dataFrames().getFirst()))
                .as("no book for the unknown token")
                .hasSize(1);
        ws.close();
        assertThat(latestClosedWithPongs().invalidClientFrames()).isEqualTo(5);
    }

    @Test
    void unsubscribeStopsDataAndDynamicSubscribeSendsBooks() {
        String a = sim.universe().openTokenIds().get(40);
        String b = sim.universe().openTokenIds().get(42);
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        ws.sendText(subscribe(List.of(a)));
        SimClient.await("book a", SimClient.TIMEOUT, () -> ws.size() >= 1);
        ws.sendText(new JsonObject()
                .put("assets_ids", new JsonArray().add(b))
                .put("operation", "subscribe")
                .encode());
        SimClient.await(
                "book b",
                SimClient.TIMEOUT,
                () -> ws.dataFrames().stream()
                        .anyMatch(f -> f.startsWith("[{\"event_type\":\"book\",\"asset_id\":\"" + b)));
        ws.sendText(new JsonObject()
                .put("assets_ids", new JsonArray().add(a).add(b))
                .put("operation", "unsubscribe")
                .encode());
        ws.sendText("PING");
        SimClient.await("PONG", SimClient.TIMEOUT, () -> ws.messages().contains("PONG"));
        int afterUnsubscribe = ws.size();
        sleep(400);
        assertThat(ws.size()).isEqualTo(afterUnsubscribe);
        ws.close();
    }

    @Test
    void customFeatureAddsBestBidAskAndNewMarket() {
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        ws.sendText(new JsonObject()
                .put("assets_ids", new JsonArray(sim.universe().openTokenIds().subList(60, 70)))
                .put("type", "market")
                .put("custom_feature_enabled", true)
                .encode());
        SimClient.await(
                "best_bid_ask",
                SimClient.TIMEOUT,
                () -> ws.messages().stream().anyMatch(m -> m.contains("\"event_type\":\"best_bid_ask\"")));
        SimMarket added = sim.universe().addMarket();
        SimClient.await(
                "new_market",
                SimClient.TIMEOUT,
                () -> ws.messages().stream().anyMatch(m -> m.contains("\"event_type\":\"new_market\"")));
        JsonObject nm = ws.messages().stream()
                .flatMap(m -> events(m).stream())
                .filter(e -> "new_market".equals(e.getString("event_type")))
                .findFirst()
                .orElseThrow();
        assertThat(nm.getJsonArray("assets_ids"))
                .containsExactlyElementsOf(added.def().tokenIds());
        assertThat(nm.getJsonArray("outcomes"))
                .containsExactlyElementsOf(added.def().outcomes());
        ws.close();
    }

    @Test
    void closedMarketStopsStreamingAndItsBookIs404() {
        String token = sim.universe().openTokenIds().get(80);
        SimMarket market = sim.universe().marketOfToken(token).orElseThrow();
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        ws.sendText(subscribe(market.def().tokenIds()));
        SimClient.await("stream", SimClient.TIMEOUT, () -> ws.size() >= 5);
        sim.universe().close(market.id());
        sleep(100);
        ws.sendText("PING");
        SimClient.await("PONG", SimClient.TIMEOUT, () -> ws.messages().contains("PONG"));
        int n = ws.size();
        sleep(300);
        assertThat(ws.size()).isEqualTo(n);
        assertThat(SimClient.get(sim.clobUrl() + "/book?token_id=" + token).statusCode())
                .isEqualTo(404);
        ws.close();
        sim.universe().reopen(market.id());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
