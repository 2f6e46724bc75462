package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClobApiTest {
    static PolymarketSim sim;

    @BeforeAll
    static void start() {
        // 340 markets: enough open tokens for a 501-item /books even with unknown-version rows (no book) among them.
        sim = PolymarketSim.start(SimTestConfigs.small()
                .markets(340)
                .closedShare(0.1)
                .noOrderBookShare(0.1)
                .eventsPerSecondPerAsset(0)
                .idleEventsPerSecondPerAsset(0)
                .build());
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    private static String booksBody(List<String> ids) {
        JsonArray a = new JsonArray();
        ids.forEach(id -> a.add(new JsonObject().put("token_id", id)));
        return a.encode();
    }

    @Test
    void bookHasStringPricesMsTimestampSortedLevelsAndAVerifiableHash() {
        List<String> open = sim.universe().openTokenIds();
        String token = open.get(open.size() - 1); // no other test of this class asks for it
        HttpResponse<String> r = SimClient.get(sim.clobUrl() + "/book?token_id=" + token);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject b = new JsonObject(r.body());
        assertThat(b.fieldNames())
                .containsExactly(
                        "market",
                        "asset_id",
                        "timestamp",
                        "hash",
                        "bids",
                        "asks",
                        "min_order_size",
                        "tick_size",
                        "neg_risk",
                        "last_trade_price");
        assertThat(b.getString("asset_id")).isEqualTo(token);
        assertThat(b.getString("timestamp")).matches("\\d{13}");
        assertThat(b.getString("hash")).matches("[0-9a-f]{40}");
        assertThat(b.getValue("min_order_size")).isInstanceOf(String.class);
        assertThat(b.getValue("tick_size")).isInstanceOf(String.class);
        assertThat(b.getValue("neg_risk")).isInstanceOf(Boolean.class);
        JsonArray bids = b.getJsonArray("bids");
        JsonArray asks = b.getJsonArray("asks");
        assertThat(bids).isNotEmpty();
        assertThat(asks).isNotEmpty();
        for (int i = 1; i < bids.size(); i++) {
            assertThat(price(bids, i)).as("bids ascending").isGreaterThan(price(bids, i - 1));
        }
        for (int i = 1; i < asks.size(); i++) {
            assertThat(price(asks, i)).as("asks descending").isLessThan(price(asks, i - 1));
        }
        assertThat(price(bids, bids.size() - 1))
                .as("best bid (last) below best ask (last)")
                .isLessThan(price(asks, asks.size() - 1));
        assertThat(bids.getJsonObject(0).getValue("size")).isInstanceOf(String.class);
        assertThat(ClientBook.independentHash(
                        b.getString("market"),
                        token,
                        b.getString("timestamp"),
                        bids,
                        asks,
                        b.getString("min_order_size"),
                        b.getString("tick_size"),
                        b.getBoolean("neg_risk"),
                        b.getString("last_trade_price")))
                .isEqualTo(b.getString("hash"));
        assertThat(sim.oracle().restBook(token)).hasValueSatisfying(o -> {
            assertThat(o.count()).isEqualTo(1);
            assertThat(o.lastHash()).isEqualTo(b.getString("hash"));
            assertThat(o.sha256()).isEqualTo(FrameDigest.of(List.of(r.body())));
        });
    }

    private static BigDecimal price(JsonArray levels, int i) {
        return new BigDecimal(levels.getJsonObject(i).getString("price"));
    }

    @Test
    void missingTokenIs400AndUnknownClosedOrBooklessTokensAre404() {
        HttpResponse<String> missing = SimClient.get(sim.clobUrl() + "/book");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"error\":\"Invalid token id\"}");
        assertThat(SimClient.get(sim.clobUrl() + "/book?token_id=").statusCode())
                .isEqualTo(400);
        for (String token : List.of(
                "0",
                "not-a-real-token",
                "1234567890123456789012345678901234567890",
                sim.universe().closedTokenIds().getFirst(),
                sim.universe().noOrderBookTokenIds().getFirst())) {
            HttpResponse<String> r = SimClient.get(sim.clobUrl() + "/book?token_id=" + token);
            assertThat(r.statusCode()).as(token).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"error\":\"No orderbook exists for the requested token id\"}");
        }
    }

    @Test
    void booksTakesUpTo500AndRejectsMore() {
        List<String> open = sim.universe().openTokenIds();
        assertThat(open.size()).isGreaterThanOrEqualTo(501);
        HttpResponse<String> ok = SimClient.post(sim.clobUrl() + "/books", booksBody(open.subList(0, 500)));
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonArray books = new JsonArray(ok.body());
        assertThat(books).hasSize(500);
        assertThat(books.getJsonObject(499).getString("asset_id")).isEqualTo(open.get(499));
        HttpResponse<String> tooMany = SimClient.post(sim.clobUrl() + "/books", booksBody(open.subList(0, 501)));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(tooMany.body()).getString("error")).contains("500");
    }

    @Test
    void booksOmitsUnknownTokensByDefaultAndRejectsBadBodies() {
        List<String> open = sim.universe().openTokenIds();
        String closed = sim.universe().closedTokenIds().getFirst();
        HttpResponse<String> r =
                SimClient.post(sim.clobUrl() + "/books", booksBody(List.of(open.get(0), "999", closed, open.get(1))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonArray(r.body()).stream().map(o -> ((JsonObject) o).getString("asset_id")))
                .containsExactly(open.get(0), open.get(1));
        assertThat(SimClient.post(sim.clobUrl() + "/books", "{\"token_id\":\"1\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(SimClient.post(sim.clobUrl() + "/books", "[{\"token_id\":").statusCode())
                .isEqualTo(400);
        assertThat(SimClient.post(sim.clobUrl() + "/books", "[{\"side\":\"BUY\"}]")
                        .statusCode())
                .isEqualTo(400);
        assertThat(SimClient.post(sim.clobUrl() + "/books", "[{\"token_id\":\"" + open.get(2) + "\",\"side\":\"BUY\"}]")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void booksCanFailTheWholeBatchOnUnknownTokens() {
        try (PolymarketSim s = PolymarketSim.start(SimTestConfigs.small()
                .booksUnknownTokens(SimConfig.UnknownTokensInBatch.NOT_FOUND)
                .build())) {
            String open = s.universe().openTokenIds().getFirst();
            assertThat(SimClient.post(s.clobUrl() + "/books", booksBody(List.of(open, "999")))
                            .statusCode())
                    .isEqualTo(404);
            assertThat(SimClient.post(s.clobUrl() + "/books", booksBody(List.of(open)))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void restAndSnapshotAgreeAfterTheBookMoves() {
        String token = sim.universe().openTokenIds().get(9);
        OrderBook book = sim.universe().book(token).orElseThrow();
        JsonObject before = new JsonObject(
                SimClient.get(sim.clobUrl() + "/book?token_id=" + token).body());
        book.setLevel(Side.BUY, 100, 77_700, System.currentTimeMillis() + 5);
        JsonObject after = new JsonObject(
                SimClient.get(sim.clobUrl() + "/book?token_id=" + token).body());
        assertThat(after.getString("hash"))
                .isNotEqualTo(before.getString("hash"))
                .isEqualTo(book.hash());
        assertThat(after.getJsonArray("bids").getJsonObject(0).encode())
                .isEqualTo("{\"price\":\"0.01\",\"size\":\"777\"}");
    }

    @Test
    void rateLimitAnswers429WithRetryAfterOnceTheWindowIsFull() {
        try (PolymarketSim s = PolymarketSim.start(SimTestConfigs.small()
                .rateLimits(RateLimits.documented().withBook(5).withWindow(Duration.ofSeconds(30)))
                .build())) {
            String url = s.clobUrl() + "/book?token_id="
                    + s.universe().openTokenIds().getFirst();
            for (int i = 0; i < 5; i++) {
                assertThat(SimClient.get(url).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> limited = SimClient.get(url);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("retry-after")).isPresent();
            // /books has its own bucket.
            assertThat(SimClient.post(
                                    s.clobUrl() + "/books",
                                    booksBody(
                                            List.of(s.universe().openTokenIds().getFirst())))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void gammaMarketsLimitIsSeparateFromClob() {
        try (PolymarketSim s = PolymarketSim.start(SimTestConfigs.small()
                .rateLimits(RateLimits.documented().withGammaMarkets(2).withWindow(Duration.ofSeconds(30)))
                .build())) {
            assertThat(SimClient.get(s.gammaUrl() + "/markets/keyset").statusCode())
                    .isEqualTo(200);
            assertThat(SimClient.get(s.gammaUrl() + "/markets").statusCode()).isEqualTo(200);
            assertThat(SimClient.get(s.gammaUrl() + "/markets/keyset").statusCode())
                    .isEqualTo(429);
            assertThat(SimClient.get(s.clobUrl() + "/book?token_id="
                                    + s.universe().openTokenIds().getFirst())
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void delayModeQueuesInsteadOfRejecting() {
        try (PolymarketSim s = PolymarketSim.start(SimTestConfigs.small()
                .rateLimitMode(SimConfig.RateLimitMode.DELAY)
                .rateLimits(RateLimits.documented().withBook(2).withWindow(Duration.ofMillis(400)))
                .build())) {
            String url = s.clobUrl() + "/book?token_id="
                    + s.universe().openTokenIds().getFirst();
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                assertThat(SimClient.get(url).statusCode()).isEqualTo(200);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms)
                    .as("5 requests at 2 per 400 ms take at least two windows")
                    .isGreaterThanOrEqualTo(700);
        }
    }
}
