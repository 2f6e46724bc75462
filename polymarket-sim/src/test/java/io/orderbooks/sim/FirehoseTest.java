package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Firehose mode: precomputed frames as fast as each connection drains, still exactly accounted by the oracle. */
class FirehoseTest {

    @Test
    void firehoseFramesAreCountedExactlyAndKeepHashesValid() {
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small().eventLoops(2).firehose(true).build())) {
            List<SimClient.Ws> clients = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                SimClient.Ws ws = SimClient.connect(sim.wsUrl());
                ws.countOnly = true;
                ws.sendText(MarketWebSocketTest.subscribe(sim.universe().openTokenIds().subList(c * 20, c * 20 + 20)));
                clients.add(ws);
            }
            long start = System.nanoTime();
            SimClient.await("firehose volume", SimClient.TIMEOUT, () -> clients.stream().allMatch(w -> w.count() > 20_000));
            double seconds = (System.nanoTime() - start) / 1e9;
            long received = clients.stream().mapToLong(SimClient.Ws::count).sum();
            System.out.printf("firehose smoke: %d frames in %.2f s = %.0f frames/s (client-limited)%n",
                    received, seconds, received / seconds);
            // The first frames: the snapshot array, then the two-state cycle whose hashes match the book.
            SimClient.Ws first = clients.getFirst();
            JsonObject snapshot = new JsonArray(first.messages().getFirst()).getJsonObject(0);
            JsonObject rest = new JsonObject(SimClient.get(sim.clobUrl() + "/book?token_id="
                    + snapshot.getString("asset_id")).body());
            ClientBook book = new ClientBook(snapshot, rest.getString("min_order_size"), rest.getBoolean("neg_risk"), null);
            for (String f : first.messages().subList(1, first.messages().size())) {
                JsonObject e = new JsonObject(f);
                JsonObject pc = e.getJsonArray("price_changes").getJsonObject(0);
                if (pc.getString("asset_id").equals(book.assetId)) {
                    book.apply(pc, e.getString("timestamp"));
                    assertThat(book.hash()).isEqualTo(pc.getString("hash"));
                }
            }
            clients.forEach(SimClient.Ws::close);
            SimClient.await("closed", SimClient.TIMEOUT,
                    () -> sim.oracle().connections().stream().noneMatch(Oracle.ConnectionRecord::open));
            long sent = sim.oracle().connections().stream().mapToLong(Oracle.ConnectionRecord::frames).sum();
            long got = clients.stream().mapToLong(SimClient.Ws::count).sum();
            assertThat(got).isEqualTo(sent);
        }
    }
}
