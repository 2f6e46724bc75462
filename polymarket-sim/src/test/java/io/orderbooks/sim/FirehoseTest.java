package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Firehose mode: precomputed frames as fast as each connection drains, still exactly accounted by the oracle. */
class FirehoseTest {

    @Test
    void firehoseFramesAreCountedExactlyAndKeepHashesValid() {
        try (PolymarketSim sim = PolymarketSim.start(
                SimTestConfigs.small().eventLoops(2).firehose(true).build())) {
            List<SimClient.Ws> clients = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                SimClient.Ws ws = SimClient.connect(sim.wsUrl());
                ws.countOnly = true;
                ws.sendText(MarketWebSocketTest.subscribe(
                        sim.universe().openTokenIds().subList(c * 20, c * 20 + 20)));
                clients.add(ws);
            }
            long start = System.nanoTime();
            SimClient.await(
                    "firehose volume", SimClient.TIMEOUT, () -> clients.stream().allMatch(w -> w.count() > 20_000));
            double seconds = (System.nanoTime() - start) / 1e9;
            long received = clients.stream().mapToLong(SimClient.Ws::count).sum();
            System.out.printf(
                    "firehose smoke: %d frames in %.2f s = %.0f frames/s (client-limited)%n",
                    received, seconds, received / seconds);
            // The first frames: the snapshot array, then the two-state cycle whose hashes match the book.
            SimClient.Ws first = clients.getFirst();
            JsonObject snapshot = new JsonArray(first.messages().getFirst()).getJsonObject(0);
            JsonObject rest =
                    new JsonObject(SimClient.get(sim.clobUrl() + "/book?token_id=" + snapshot.getString("asset_id"))
                            .body());
            ClientBook book =
                    new ClientBook(snapshot, rest.getString("min_order_size"), rest.getBoolean("neg_risk"), null);
            for (String f : first.messages().subList(1, first.messages().size())) {
                JsonObject e = new JsonObject(f);
                JsonObject pc = e.getJsonArray("price_changes").getJsonObject(0);
                if (pc.getString("asset_id").equals(book.assetId)) {
                    book.apply(pc, e.getString("timestamp"));
                    assertThat(book.hash()).isEqualTo(pc.getString("hash"));
                }
            }
            clients.forEach(SimClient.Ws::close);
            SimClient.await(
                    "closed",
                    SimClient.TIMEOUT,
                    () -> sim.oracle().connections().stream().noneMatch(Oracle.ConnectionRecord::open));
            long sent = sim.oracle().connections().stream()
                    .mapToLong(Oracle.ConnectionRecord::frames)
                    .sum();
            long got = clients.stream().mapToLong(SimClient.Ws::count).sum();
            assertThat(got).isEqualTo(sent);
        }
    }

    private static JsonObject firehose(PolymarketSim sim) {
        HttpResponse<String> r = SimClient.get(sim.adminUrl() + "/firehose");
        assertThat(r.statusCode()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    /** Frames per second over about one second, as the simulator counts them (frames pumped) and as the client got them. */
    private static double[] rates(PolymarketSim sim, SimClient.Ws client) throws InterruptedException {
        long pumped0 = firehose(sim).getLong("frames_pumped");
        long got0 = client.count();
        long t0 = System.nanoTime();
        Thread.sleep(1000);
        long pumped1 = firehose(sim).getLong("frames_pumped");
        long got1 = client.count();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new double[] {(pumped1 - pumped0) / seconds, (got1 - got0) / seconds};
    }

    @Test
    void theRateChangesOnALiveFirehoseThroughTheAdminApi() throws InterruptedException {
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                .eventLoops(2)
                .firehose(true)
                .firehoseFramesPerSecond(500)
                .build())) {
            SimClient.Ws ws = SimClient.connect(sim.wsUrl());
            ws.countOnly = true;
            ws.sendText(
                    MarketWebSocketTest.subscribe(sim.universe().openTokenIds().subList(0, 20)));
            SimClient.await("firehose flowing", SimClient.TIMEOUT, () -> ws.count() > 50);
            assertThat(firehose(sim).getInteger("rate_per_connection")).isEqualTo(500);
            assertThat(firehose(sim).getInteger("connections")).isEqualTo(1);
            double[] slow = rates(sim, ws);

            HttpResponse<String> set = SimClient.post(sim.adminUrl() + "/firehose", "{\"rate_per_connection\":5000}");
            assertThat(set.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(set.body()).getInteger("rate_per_connection"))
                    .isEqualTo(5000);
            assertThat(sim.firehoseRate()).isEqualTo(5000);
            double[] fast = rates(sim, ws);
            System.out.printf(
                    "firehose rate change: capped 500/s -> pumped %.0f/s, client %.0f/s; capped 5000/s -> pumped"
                            + " %.0f/s, client %.0f/s%n",
                    slow[0], slow[1], fast[0], fast[1]);
            // Loose bounds: the pacing is exact over time, but this machine is shared. The upper bounds hold regardless
            // of load (the cap never lets more through); the lower ones only need the pump to get some CPU.
            assertThat(slow[0]).isBetween(250.0, 750.0);
            assertThat(fast[0]).isBetween(2_500.0, 7_500.0);
            assertThat(fast[1])
                    .as("the client sees the change")
                    .isGreaterThan(3 * slow[1])
                    .isGreaterThan(1_000.0);

            // Query-parameter form, and back down: the rate follows again.
            assertThat(SimClient.post(sim.adminUrl() + "/firehose?rate_per_connection=1000", "")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(rates(sim, ws)[0]).isBetween(500.0, 1_500.0);
            assertThat(SimClient.get(sim.adminUrl() + "/state").body())
                    .contains("\"firehose_rate_per_connection\":1000");

            // Bad requests change nothing.
            assertThat(SimClient.post(sim.adminUrl() + "/firehose", "{\"rate_per_connection\":-1}")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(SimClient.post(sim.adminUrl() + "/firehose", "{\"rate_per_connection\":\"fast\"}")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(SimClient.post(sim.adminUrl() + "/firehose", "{\"rate_per_connection\":1.5}")
                            .statusCode())
                    .isEqualTo(400);
            assertThat(SimClient.post(sim.adminUrl() + "/firehose", "{}").statusCode())
                    .isEqualTo(400);
            assertThat(SimClient.post(sim.adminUrl() + "/firehose", "not json").statusCode())
                    .isEqualTo(400);
            assertThat(sim.firehoseRate()).isEqualTo(1000);

            ws.close();
            SimClient.await(
                    "closed",
                    SimClient.TIMEOUT,
                    () -> sim.oracle().connections().stream().noneMatch(Oracle.ConnectionRecord::open));
            assertThat(ws.count()).isEqualTo(sim.oracle().totalFrames());
        }
    }

    @Test
    void theFirehoseRateCannotBeSetOutsideFirehoseMode() {
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small().build())) {
            assertThat(SimClient.post(sim.adminUrl() + "/firehose", "{\"rate_per_connection\":1000}")
                            .statusCode())
                    .isEqualTo(409);
            assertThat(new JsonObject(
                                    SimClient.get(sim.adminUrl() + "/firehose").body())
                            .getBoolean("firehose"))
                    .isFalse();
            assertThat(sim.firehoseRunning()).isFalse();
        }
    }
}
