package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Drives the simulator the way the services will, using only the JDK HttpClient and WebSocket and the public URLs:
 * discover tokens through Gamma keyset paging, snapshot them with {@code POST /books}, stream them over two websocket
 * connections, then prove with the admin oracle that every frame received is every frame sent.
 */
class BlackBoxTest {

    @Test
    void discoverSnapshotStreamAndReconcileWithTheOracle() {
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                .markets(300)
                .eventLoops(2)
                .eventsPerSecondPerAsset(5)
                .build())) {
            // 1. Discovery: every page with after_cursor, tokens paired with outcomes by index.
            List<String> tokens = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonObject page = new JsonObject(SimClient.get(sim.gammaUrl() + "/markets/keyset?closed=false&limit=100"
                                + (cursor == null ? "" : "&after_cursor=" + cursor))
                        .body());
                for (Object o : page.getJsonArray("markets")) {
                    JsonObject m = (JsonObject) o;
                    // The id field is chosen by version (v1 clobTokenIds, v2 positionIds; others rejected).
                    List<String> ids = SimClient.tokenIdsByVersion(m);
                    JsonArray outcomes = new JsonArray(m.getString("outcomes"));
                    assertThat(ids.isEmpty() || ids.size() == outcomes.size()).isTrue();
                    if (m.getBoolean("enableOrderBook") && m.getBoolean("acceptingOrders") && !m.getBoolean("closed")) {
                        tokens.addAll(ids);
                    }
                }
                cursor = page.getString("next_cursor");
                pages++;
            } while (cursor != null && pages < 50);
            assertThat(pages).isGreaterThan(1);
            assertThat(new HashSet<>(tokens))
                    .isEqualTo(new HashSet<>(sim.universe().openTokenIds()));

            // 2. REST snapshots in batches of at most 500; every hash verifies independently.
            int verified = 0;
            for (int i = 0; i < tokens.size(); i += 500) {
                JsonArray body = new JsonArray();
                tokens.subList(i, Math.min(tokens.size(), i + 500))
                        .forEach(t -> body.add(new JsonObject().put("token_id", t)));
                JsonArray books = new JsonArray(
                        SimClient.post(sim.clobUrl() + "/books", body.encode()).body());
                for (Object o : books) {
                    JsonObject b = (JsonObject) o;
                    assertThat(ClientBook.independentHash(
                                    b.getString("market"),
                                    b.getString("asset_id"),
                                    b.getString("timestamp"),
                                    b.getJsonArray("bids"),
                                    b.getJsonArray("asks"),
                                    b.getString("min_order_size"),
                                    b.getString("tick_size"),
                                    b.getBoolean("neg_risk"),
                                    b.getString("last_trade_price")))
                            .isEqualTo(b.getString("hash"));
                    verified++;
                }
            }
            assertThat(verified).isEqualTo(tokens.size());

            // 3. Stream: two connections of up to 250 assets, subscribe frames of 100 ids.
            List<SimClient.Ws> conns = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                SimClient.Ws ws = SimClient.connect(sim.wsUrl());
                List<String> mine = tokens.subList(c * 250, Math.min(tokens.size(), c * 250 + 250));
                for (int i = 0; i < mine.size(); i += 100) {
                    JsonObject sub = new JsonObject()
                            .put("assets_ids", new JsonArray(mine.subList(i, Math.min(mine.size(), i + 100))));
                    ws.sendText((i == 0 ? sub.put("type", "market") : sub.put("operation", "subscribe")).encode());
                }
                ws.sendText("PING");
                conns.add(ws);
            }
            SimClient.await(
                    "streams",
                    SimClient.TIMEOUT,
                    () -> conns.stream().allMatch(w -> w.dataFrames().size() > 100));
            conns.forEach(SimClient.Ws::close);
            SimClient.await(
                    "closed on the server side",
                    SimClient.TIMEOUT,
                    () -> sim.oracle().connections().stream().noneMatch(Oracle.ConnectionRecord::open));

            // 4. The oracle over HTTP: per connection, the count and rolling digest of exactly what was received.
            JsonObject oracle =
                    new JsonObject(SimClient.get(sim.adminUrl() + "/oracle").body());
            JsonArray records = oracle.getJsonArray("connections");
            assertThat(records).hasSize(2);
            Set<String> serverDigests = new HashSet<>();
            records.forEach(r -> serverDigests.add(((JsonObject) r).getString("sha256")));
            for (SimClient.Ws ws : conns) {
                assertThat(ws.messages()).contains("PONG");
                assertThat(serverDigests).contains(FrameDigest.of(ws.dataFrames()));
                assertThat(records.stream().map(r -> (JsonObject) r))
                        .anyMatch(r -> r.getLong("frames") == ws.dataFrames().size() && r.getLong("pongs") == 1);
            }
            JsonObject state =
                    new JsonObject(SimClient.get(sim.adminUrl() + "/state").body());
            assertThat(state.getString("ws_url")).isEqualTo(sim.wsUrl());
            assertThat(state.getLong("rest_books_served")).isEqualTo(tokens.size());
            assertThat(SimClient.get(sim.gammaUrl() + "/q/health/ready").body()).contains("UP");
        }
    }
}
