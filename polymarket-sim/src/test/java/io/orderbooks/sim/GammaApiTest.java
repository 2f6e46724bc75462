package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GammaApiTest {
    static PolymarketSim sim;

    @BeforeAll
    static void start() {
        sim = PolymarketSim.start(SimTestConfigs.small()
                .markets(250)
                .closedShare(0.2)
                .noOrderBookShare(0.1)
                .negRiskShare(0.3)
                .noYesOrderShare(0.3)
                .legacyMaxOffset(2000)
                .build());
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    private static JsonObject keyset(String query) {
        HttpResponse<String> r = SimClient.get(sim.gammaUrl() + "/markets/keyset?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private static List<JsonObject> all(String filters) {
        List<JsonObject> out = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            JsonObject body = keyset(filters + "&limit=100" + (cursor == null ? "" : "&after_cursor=" + cursor));
            body.getJsonArray("markets").forEach(m -> out.add((JsonObject) m));
            cursor = body.getString("next_cursor");
            if (cursor == null) {
                return out;
            }
        }
        throw new AssertionError("keyset paging did not end");
    }

    @Test
    void keysetPagesEndWithoutNextCursorAndCoverEveryOpenMarketOnce() {
        List<JsonObject> open = all("closed=false");
        Set<String> ids = new HashSet<>();
        open.forEach(m -> assertThat(ids.add(m.getString("id")))
                .as("duplicate " + m.getString("id"))
                .isTrue());
        long expected = sim.universe().markets().stream()
                .filter(m -> m.status() == MarketStatus.OPEN)
                .count();
        assertThat(ids).hasSize((int) expected);
        assertThat(open).allMatch(m -> !m.getBoolean("closed"));
        JsonObject first = keyset("closed=false&limit=100");
        assertThat(first.getString("next_cursor")).isNotBlank();
        assertThat(first.fieldNames()).containsExactly("markets", "next_cursor");
    }

    @Test
    void closedDefaultsToFalseAndClosedTrueListsOnlyClosedMarkets() {
        JsonArray defaults = keyset("limit=100").getJsonArray("markets");
        assertThat(defaults).allMatch(m -> !((JsonObject) m).getBoolean("closed"));
        List<JsonObject> closed = all("closed=true");
        assertThat(closed).isNotEmpty().allMatch(m -> m.getBoolean("closed") && m.getBoolean("active"));
        assertThat(closed)
                .allMatch(m -> m.getString("closedTime").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\+00"));
    }

    @Test
    void cursorParameterIsIgnoredSoPageOneComesBackForever() {
        JsonObject page1 = keyset("limit=10");
        String cursor = page1.getString("next_cursor");
        assertThat(keyset("limit=10&cursor=" + cursor).getJsonArray("markets"))
                .isEqualTo(page1.getJsonArray("markets"));
        assertThat(keyset("limit=10&next_cursor=" + cursor).getJsonArray("markets"))
                .isEqualTo(page1.getJsonArray("markets"));
        assertThat(keyset("limit=10&after_cursor=" + cursor)
                        .getJsonArray("markets")
                        .getJsonObject(0)
                        .getString("id"))
                .isNotEqualTo(page1.getJsonArray("markets").getJsonObject(0).getString("id"));
    }

    @Test
    void limitIsClampedTo100AndOffsetAndBadCursorAreRejected() {
        assertThat(keyset("limit=5000").getJsonArray("markets")).hasSize(100);
        assertThat(keyset("").getJsonArray("markets")).hasSize(20);
        HttpResponse<String> offset = SimClient.get(sim.gammaUrl() + "/markets/keyset?offset=100");
        assertThat(offset.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(offset.body()).getString("type")).isEqualTo("validation error");
        assertThat(SimClient.get(sim.gammaUrl() + "/markets/keyset?after_cursor=garbage!")
                        .statusCode())
                .isEqualTo(422);
        assertThat(SimClient.get(sim.gammaUrl() + "/markets/keyset?closed=maybe")
                        .statusCode())
                .isEqualTo(422);
    }

    @Test
    void marketObjectsHaveTheRealFieldSetAndTypes() {
        // A v1 row (the V2 row's id fields are covered by ProtocolV2Test).
        JsonObject m = keyset("limit=100").getJsonArray("markets").stream()
                .map(o -> (JsonObject) o)
                .filter(o -> "v1".equals(o.getValue("version")))
                .findFirst()
                .orElseThrow();
        assertThat(m.getValue("id")).isInstanceOf(String.class);
        assertThat(m.getString("conditionId")).matches("0x[0-9a-f]{64}");
        assertThat(m.getString("questionID")).matches("0x[0-9a-f]{64}");
        assertThat(m.containsKey("questionId")).isFalse();
        assertThat(m.getValue("outcomes")).isInstanceOf(String.class);
        assertThat(m.getValue("outcomePrices")).isInstanceOf(String.class);
        assertThat(m.getValue("clobTokenIds")).isInstanceOf(String.class);
        JsonArray outcomes = new JsonArray(m.getString("outcomes"));
        JsonArray tokens = new JsonArray(m.getString("clobTokenIds"));
        assertThat(tokens).hasSameSizeAs(outcomes);
        assertThat(tokens).allMatch(t -> ((String) t).matches("\\d{76,78}"));
        assertThat(m.getString("clobTokenIds")).contains("\", \"");
        assertThat(m.getValue("enableOrderBook")).isInstanceOf(Boolean.class);
        assertThat(m.getValue("acceptingOrders")).isInstanceOf(Boolean.class);
        assertThat(m.getValue("negRisk")).isInstanceOf(Boolean.class);
        assertThat(m.getValue("orderPriceMinTickSize")).isInstanceOf(Number.class);
        assertThat(m.getValue("orderMinSize")).isInstanceOf(Number.class);
        assertThat(m.getValue("liquidity")).isInstanceOf(String.class);
        assertThat(m.getValue("liquidityNum")).isInstanceOf(Number.class);
        assertThat(m.getValue("volume24hr")).isInstanceOf(Number.class);
        assertThat(m.getString("endDate")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(m.getJsonArray("events").getJsonObject(0).getString("slug")).isNotBlank();
        assertThat(m.getString("slug")).isNotBlank();
        assertThat(m.getString("question")).isNotBlank();
        assertThat(m.containsKey("tags")).isFalse();
        JsonObject tagged =
                keyset("limit=1&include_tag=true").getJsonArray("markets").getJsonObject(0);
        assertThat(tagged.getJsonArray("tags")).isNotEmpty();
    }

    @Test
    void universeHasTheConfiguredQuirks() {
        List<JsonObject> open = all("closed=false");
        assertThat(open).anyMatch(m -> m.getString("outcomes").equals("[\"No\", \"Yes\"]"));
        assertThat(open).anyMatch(m -> m.getString("outcomes").equals("[\"Yes\", \"No\"]"));
        assertThat(open).anyMatch(m -> !m.getBoolean("enableOrderBook") && !m.getBoolean("acceptingOrders"));
        assertThat(open)
                .anyMatch(m -> m.getBoolean("negRisk")
                        && m.getString("negRiskMarketID").startsWith("0x"));
        assertThat(open).anyMatch(m -> m.getDouble("orderPriceMinTickSize") == 0.001);
    }

    @Test
    void filtersOnTagsLiquidityVolumeEndDateIdsAndTokens() {
        List<JsonObject> open = all("closed=false&include_tag=true");
        List<JsonObject> politics = all("closed=false&tag_id=2&include_tag=true");
        assertThat(politics)
                .isNotEmpty()
                .allMatch(m -> m.getJsonArray("tags").stream()
                        .anyMatch(t -> ((JsonObject) t).getString("id").equals("2")));
        assertThat(politics.size()).isLessThan(open.size());
        assertThat(all("closed=false&liquidity_num_min=10000"))
                .isNotEmpty()
                .allMatch(m -> m.getDouble("liquidityNum") >= 10000);
        assertThat(all("closed=false&volume_num_min=100000")).allMatch(m -> m.getDouble("volumeNum") >= 100000);
        String cut = open.get(open.size() / 2).getString("endDate").substring(0, 10);
        assertThat(all("closed=false&end_date_min=" + cut))
                .isNotEmpty()
                .allMatch(m -> m.getString("endDate").compareTo(cut) >= 0);
        List<JsonObject> v1 =
                open.stream().filter(o -> "v1".equals(o.getValue("version"))).toList();
        JsonObject one = v1.get(3);
        String token = new JsonArray(one.getString("clobTokenIds")).getString(1);
        assertThat(all("closed=false&clob_token_ids=" + token))
                .extracting(m -> m.getString("id"))
                .containsExactly(one.getString("id"));
        String other = new JsonArray(v1.get(4).getString("clobTokenIds")).getString(0);
        assertThat(all("closed=false&clob_token_ids=" + token + "," + other))
                .as("comma-joined token ids match nothing")
                .isEmpty();
        assertThat(all("closed=false&id=" + one.getString("id") + ","
                        + v1.get(4).getString("id")))
                .hasSize(2);
    }

    @Test
    void legacyListAnswers422PastOffset2000WithDeprecationHeaders() {
        HttpResponse<String> ok = SimClient.get(sim.gammaUrl() + "/markets?offset=2000&limit=5");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(new JsonArray(ok.body())).isEmpty();
        assertThat(ok.headers().firstValue("deprecation")).contains("true");
        assertThat(ok.headers().firstValue("sunset")).contains("Fri, 01 May 2026 00:00:00 GMT");
        HttpResponse<String> tooFar = SimClient.get(sim.gammaUrl() + "/markets?offset=2001");
        assertThat(tooFar.statusCode()).isEqualTo(422);
        assertThat(new JsonObject(tooFar.body()).getString("error"))
                .isEqualTo("offset too large, use /markets/keyset for deeper pagination");
        JsonArray page = new JsonArray(
                SimClient.get(sim.gammaUrl() + "/markets?offset=10&limit=500").body());
        assertThat(page).hasSize(100);
        JsonArray sorted =
                new JsonArray(SimClient.get(sim.gammaUrl() + "/markets?order=volume24hr&ascending=false&limit=50")
                        .body());
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.getJsonObject(i - 1).getDouble("volume24hr"))
                    .isGreaterThanOrEqualTo(sorted.getJsonObject(i).getDouble("volume24hr"));
        }
        assertThat(SimClient.get(sim.gammaUrl() + "/markets?order=nonsense").statusCode())
                .isEqualTo(422);
    }

    @Test
    void singleMarketCarriesSchemaAndUnknownIdIs404() {
        String id = sim.universe().markets().get(7).id();
        JsonObject m =
                new JsonObject(SimClient.get(sim.gammaUrl() + "/markets/" + id).body());
        assertThat(m.getString("$schema")).isEqualTo("https://gamma-api.polymarket.com/schemas/Market.json");
        assertThat(m.getString("id")).isEqualTo(id);
        assertThat(SimClient.get(sim.gammaUrl() + "/markets/999").statusCode()).isEqualTo(404);
    }

    @Test
    void sameSeedGivesTheSameUniverseAndAnotherSeedDoesNot() {
        SimConfig base = SimTestConfigs.small().markets(30).build();
        Universe a = new Universe(base);
        Universe b = new Universe(base);
        Universe c = new Universe(base.toBuilder().seed(7).build());
        assertThat(a.markets())
                .extracting(SimMarket::def)
                .isEqualTo(b.markets().stream().map(SimMarket::def).toList());
        assertThat(a.openTokenIds()).isEqualTo(b.openTokenIds()).isNotEqualTo(c.openTokenIds());
        assertThat(a.closedTokenIds()).isEqualTo(b.closedTokenIds());
    }

    @Test
    void marketsOpenCloseAndDisappearAsDiscoverySeesThem() {
        try (PolymarketSim s = PolymarketSim.start(
                SimTestConfigs.small().markets(10).closedShare(0).build())) {
            SimMarket m = s.universe().markets().get(2);
            String listing = s.gammaUrl() + "/markets/keyset?limit=100";
            assertThat(SimClient.get(listing).body()).contains("\"id\":\"" + m.id() + "\"");
            s.universe().close(m.id());
            assertThat(SimClient.get(listing).body()).doesNotContain("\"id\":\"" + m.id() + "\"");
            assertThat(SimClient.get(listing + "&closed=true").body()).contains("\"id\":\"" + m.id() + "\"");
            s.universe().reopen(m.id());
            assertThat(SimClient.get(listing).body()).contains("\"id\":\"" + m.id() + "\"");
            s.universe().remove(m.id());
            assertThat(SimClient.get(listing).body()).doesNotContain("\"id\":\"" + m.id() + "\"");
            assertThat(SimClient.get(listing + "&closed=true").body()).doesNotContain("\"id\":\"" + m.id() + "\"");
            assertThat(SimClient.get(s.gammaUrl() + "/markets/" + m.id()).statusCode())
                    .isEqualTo(404);
            SimMarket added = s.universe().addMarket();
            assertThat(SimClient.get(listing).body()).contains("\"id\":\"" + added.id() + "\"");
        }
    }

    @Test
    void churnClosesAndListsMarketsOverTime() {
        try (PolymarketSim s = PolymarketSim.start(SimTestConfigs.small()
                .markets(10)
                .closedShare(0)
                .marketChurn(java.time.Duration.ofMillis(50))
                .build())) {
            SimClient.await(
                    "churn", SimClient.TIMEOUT, () -> s.universe().markets().size() >= 13);
            assertThat(s.universe().closedTokenIds()).isNotEmpty();
        }
    }
}
