package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The market channel as of 2026 (docs/SIMULATOR.md "Market websocket"). */
class WebSocket2026Test {

    static String op(String op, List<String> ids) {
        return new JsonObject()
                .put("assets_ids", new JsonArray(ids))
                .put("operation", op)
                .encode();
    }

    static Oracle.ConnectionRecord closedRecord(PolymarketSim sim, SimClient.Ws ws) {
        SimClient.await(
                "connection closed in the oracle",
                SimClient.TIMEOUT,
                () -> sim.oracle().connections().stream()
                        .anyMatch(
                                c -> !c.open() && c.frames() == ws.dataFrames().size()));
        return sim.oracle().connections().stream()
                .filter(c -> !c.open() && c.frames() == ws.dataFrames().size())
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    void duplicateSubscribeIsRejectedWholeWithOneErrorFrame() {
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                .eventsPerSecondPerAsset(0)
                .idleEventsPerSecondPerAsset(0)
                .build())) {
            List<String> open = sim.universe().openTokenIds();
            String a = open.get(0), b = open.get(2), c = open.get(4);
            SimClient.Ws ws = SimClient.connect(sim.wsUrl());
            ws.sendText(MarketWebSocketTest.subscribe(List.of(a, b)));
            SimClient.await("snapshot", SimClient.TIMEOUT, () -> ws.dataFrames().size() == 1);
            ws.sendText(op("subscribe", List.of(c, b)));
            SimClient.await(
                    "error reply", SimClient.TIMEOUT, () -> ws.dataFrames().size() == 2);
            assertThat(ws.dataFrames().get(1))
                    .isEqualTo("{\"event_type\":\"error\",\"error\":\"asset already subscribed\",\"assets_ids\":[\"" + b
                            + "\"]}");
            // A second initial frame naming a subscribed asset is a duplicate too.
            ws.sendText(MarketWebSocketTest.subscribe(List.of(a)));
            SimClient.await(
                    "second error reply",
                    SimClient.TIMEOUT,
                    () -> ws.dataFrames().size() == 3);
            // Nothing of the rejected frame was subscribed: c alone now gets its book.
            ws.sendText(op("subscribe", List.of(c)));
            SimClient.await(
                    "book of c", SimClient.TIMEOUT, () -> ws.dataFrames().size() == 4);
            JsonArray books = new JsonArray(ws.dataFrames().get(3));
            assertThat(books).hasSize(1);
            assertThat(books.getJsonObject(0).getString("asset_id")).isEqualTo(c);
            ws.close();
            Oracle.ConnectionRecord rec = closedRecord(sim, ws);
            assertThat(rec.sha256())
                    .as("the error frames are in the oracle")
                    .isEqualTo(FrameDigest.of(ws.dataFrames()));
            assertThat(rec.subscribedAssets()).isEqualTo(3);
        }
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                .eventsPerSecondPerAsset(0)
                .idleEventsPerSecondPerAsset(0)
                .wsRejectDuplicateSubscribe(false)
                .build())) {
            List<String> open = sim.universe().openTokenIds();
            SimClient.Ws ws = SimClient.connect(sim.wsUrl());
            ws.sendText(MarketWebSocketTest.subscribe(List.of(open.get(0))));
            SimClient.await("snapshot", SimClient.TIMEOUT, () -> ws.dataFrames().size() == 1);
            ws.sendText(op("subscribe", List.of(open.get(0), open.get(2))));
            SimClient.await(
                    "book of the new asset only",
                    SimClient.TIMEOUT,
                    () -> ws.dataFrames().size() == 2);
            assertThat(new JsonArray(ws.dataFrames().get(1))).hasSize(1);
            ws.close();
        }
    }

    @Test
    void aConnectionAboveTheStallLimitGetsNoDataButPongs() {
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                .eventsPerSecondPerAsset(30)
                .tick(Duration.ofMillis(20))
                .wsStallAboveAssets(10)
                .build())) {
            List<String> open = sim.universe().openTokenIds();
            SimClient.Ws stalled = SimClient.connect(sim.wsUrl());
            stalled.sendText(MarketWebSocketTest.subscribe(open.subList(0, 11)));
            SimClient.Ws fine = SimClient.connect(sim.wsUrl());
            fine.sendText(MarketWebSocketTest.subscribe(open.subList(20, 30)));
            SimClient.await(
                    "stream at the limit",
                    SimClient.TIMEOUT,
                    () -> fine.dataFrames().size() > 20);
            assertThat(new JsonArray(fine.dataFrames().getFirst())).hasSize(10);
            stalled.sendText("PING");
            SimClient.await(
                    "PONG while stalled",
                    SimClient.TIMEOUT,
                    () -> stalled.messages().contains("PONG"));
            assertThat(stalled.dataFrames())
                    .as("no snapshot, no updates above the limit")
                    .isEmpty();
            // Back at the limit, updates flow again (the snapshot is not re-sent).
            stalled.sendText(op("unsubscribe", open.subList(0, 1)));
            SimClient.await(
                    "updates after dropping below",
                    SimClient.TIMEOUT,
                    () -> stalled.dataFrames().size() > 5);
            assertThat(stalled.dataFrames())
                    .noneMatch(f -> f.contains("\"event_type\":\"book\",\"asset_id\":\"" + open.get(0)));
            stalled.close();
            fine.close();
            assertThat(closedRecord(sim, stalled).sha256()).isEqualTo(FrameDigest.of(stalled.dataFrames()));
        }
    }

    @Test
    void aSilentClientIsClosedAfterTheIdleTimeoutAndAPingingOneIsNot() throws Exception {
        try (PolymarketSim sim = PolymarketSim.start(
                SimTestConfigs.small().wsIdleTimeout(Duration.ofMillis(600)).build())) {
            SimClient.Ws silent = SimClient.connect(sim.wsUrl());
            SimClient.Ws pinging = SimClient.connect(sim.wsUrl());
            pinging.sendText(
                    MarketWebSocketTest.subscribe(sim.universe().openTokenIds().subList(0, 2)));
            for (int i = 0; i < 8; i++) {
                MarketWebSocketTest.sleep(200);
                pinging.sendText("PING");
            }
            assertThat(silent.closed.get(5, TimeUnit.SECONDS)).isEqualTo((int) WsSession.IDLE);
            assertThat(pinging.closed).isNotDone();
            pinging.close();
            assertThat(sim.oracle().connections())
                    .anyMatch(c -> c.closeReason() != null && c.closeReason().startsWith("idle timeout"));
        }
    }

    @Test
    void permessageDeflateIsNegotiatedWhenOfferedAndCanBeDeclined() throws Exception {
        for (boolean compression : new boolean[] {true, false}) {
            try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                    .eventsPerSecondPerAsset(20)
                    .wsCompression(compression)
                    .build())) {
                Vertx vertx = Vertx.vertx();
                try {
                    WebSocketClient client = vertx.createWebSocketClient(
                            new WebSocketClientOptions().setTryUsePerMessageCompression(true));
                    URI uri = URI.create(sim.wsUrl());
                    // The handshake headers are readable only in the connect callback (Vert.x drops them afterwards).
                    String[] extensionsHolder = new String[1];
                    WebSocket ws = client.connect(new WebSocketConnectOptions()
                                    .setHost(uri.getHost())
                                    .setPort(uri.getPort())
                                    .setURI(uri.getPath()))
                            .onSuccess(w -> extensionsHolder[0] = w.headers().get("Sec-WebSocket-Extensions"))
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                    String extensions = extensionsHolder[0];
                    if (compression) {
                        assertThat(extensions).as("server accepted the offer").contains("permessage-deflate");
                    } else {
                        assertThat(extensions).as("server declined the offer").isNull();
                    }
                    List<String> frames = new CopyOnWriteArrayList<>();
                    List<String> pongs = new CopyOnWriteArrayList<>();
                    ws.textMessageHandler(t -> ("PONG".equals(t) ? pongs : frames).add(t));
                    List<String> ids = sim.universe().openTokenIds().subList(0, 10);
                    ws.writeTextMessage(MarketWebSocketTest.subscribe(ids));
                    SimClient.await("frames", SimClient.TIMEOUT, () -> frames.size() > 30);
                    // Quiesce before comparing: after the unsubscribe the PONG is the last frame of the connection (a
                    // client that closes first drops frames already in flight, which the oracle rightly counts).
                    ws.writeTextMessage(op("unsubscribe", ids));
                    ws.writeTextMessage("PING");
                    SimClient.await("PONG", SimClient.TIMEOUT, () -> !pongs.isEmpty());
                    Oracle.ConnectionRecord rec = sim.oracle().connections().getFirst();
                    ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    assertThat(new JsonArray(frames.getFirst())).hasSize(10);
                    assertThat(rec.frames()).isEqualTo(frames.size());
                    assertThat(rec.sha256())
                            .as("identical frames, compressed or not")
                            .isEqualTo(FrameDigest.of(new ArrayList<>(frames)));
                } finally {
                    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void marketResolvedGoesToEveryCustomFeatureConnectionAndNoOther() {
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                .eventsPerSecondPerAsset(0)
                .idleEventsPerSecondPerAsset(0)
                .build())) {
            SimMarket market = sim.universe().markets().stream()
                    .filter(SimMarket::hasBook)
                    .findFirst()
                    .orElseThrow();
            String other = sim.universe().openTokenIds().getLast();
            SimClient.Ws customUnrelated = SimClient.connect(sim.wsUrl());
            customUnrelated.sendText(new JsonObject()
                    .put("assets_ids", new JsonArray().add(other))
                    .put("type", "market")
                    .put("custom_feature_enabled", true)
                    .encode());
            SimClient.Ws customNothing = SimClient.connect(sim.wsUrl());
            customNothing.sendText(new JsonObject()
                    .put("assets_ids", new JsonArray())
                    .put("type", "market")
                    .put("custom_feature_enabled", true)
                    .encode());
            SimClient.Ws plainSubscriber = SimClient.connect(sim.wsUrl());
            plainSubscriber.sendText(MarketWebSocketTest.subscribe(market.def().tokenIds()));
            SimClient.await(
                    "snapshots",
                    SimClient.TIMEOUT,
                    () -> customUnrelated.dataFrames().size() == 1
                            && plainSubscriber.dataFrames().size() == 1);
            customNothing.sendText("PING");
            SimClient.await(
                    "PONG", SimClient.TIMEOUT, () -> customNothing.messages().contains("PONG"));
            sim.universe().close(market.id());
            sim.universe().close(market.id()); // already closed: no second event
            for (SimClient.Ws ws : List.of(customUnrelated, customNothing)) {
                SimClient.await(
                        "market_resolved",
                        SimClient.TIMEOUT,
                        () -> ws.dataFrames().stream().anyMatch(f -> f.contains("\"market_resolved\"")));
            }
            MarketWebSocketTest.sleep(300);
            plainSubscriber.sendText("PING");
            SimClient.await(
                    "PONG", SimClient.TIMEOUT, () -> plainSubscriber.messages().contains("PONG"));
            assertThat(plainSubscriber.dataFrames()).noneMatch(f -> f.contains("market_resolved"));
            List<JsonObject> resolved = customNothing.dataFrames().stream()
                    .flatMap(f -> MarketWebSocketTest.events(f).stream())
                    .filter(e -> "market_resolved".equals(e.getString("event_type")))
                    .toList();
            assertThat(resolved).hasSize(1);
            JsonObject e = resolved.getFirst();
            assertThat(e.getString("id")).isEqualTo(market.id());
            assertThat(e.getString("market")).isEqualTo(market.def().conditionId());
            assertThat(e.getJsonArray("assets_ids"))
                    .containsExactlyElementsOf(market.def().tokenIds());
            int w = market.def().tokenIds().indexOf(e.getString("winning_asset_id"));
            assertThat(w).isNotNegative();
            assertThat(e.getString("winning_outcome"))
                    .isEqualTo(market.def().outcomes().get(w));
            assertThat(e.getString("timestamp")).matches("\\d{13}");
            for (SimClient.Ws ws : List.of(customUnrelated, customNothing, plainSubscriber)) {
                ws.close();
            }
            SimClient.await(
                    "all closed",
                    SimClient.TIMEOUT,
                    () -> sim.oracle().connections().stream().noneMatch(Oracle.ConnectionRecord::open));
            List<Oracle.ConnectionRecord> recs = sim.oracle().connections();
            assertThat(recs.get(0).sha256()).isEqualTo(FrameDigest.of(customUnrelated.dataFrames()));
            assertThat(recs.get(1).sha256()).isEqualTo(FrameDigest.of(customNothing.dataFrames()));
            assertThat(recs.get(2).sha256()).isEqualTo(FrameDigest.of(plainSubscriber.dataFrames()));
        }
    }
}
