package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Protocol V2 markets, v1 rows with positionIds, and rows of unknown or missing version (docs.polymarket.com/migrate/polymarket-v2/api-integrations). */
class ProtocolV2Test {
    static PolymarketSim sim;

    @BeforeAll
    static void start() {
        sim = PolymarketSim.start(SimTestConfigs.small()
                .markets(300)
                .closedShare(0)
                .noOrderBookShare(0)
                .unknownVersionShare(0.06)
                .eventsPerSecondPerAsset(20)
                .build());
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    static List<JsonObject> gammaRows() {
        List<JsonObject> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonObject page = new JsonObject(SimClient.get(sim.gammaUrl() + "/markets/keyset?limit=100"
                            + (cursor == null ? "" : "&after_cursor=" + cursor))
                    .body());
            page.getJsonArray("markets").forEach(m -> out.add((JsonObject) m));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        return out;
    }

    /** What a correct client does: choose the id field by version, accept both positionIds forms, reject the rest. */
    static List<String> idsByVersion(JsonObject row) {
        return SimClient.tokenIdsByVersion(row);
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(o -> out.add((String) o));
        return out;
    }

    @Test
    void gammaRowsCarryVersionAndTheRightIdFields() {
        List<JsonObject> rows = gammaRows();
        int v2 = 0, v2String = 0, v2Array = 0, v1WithPositions = 0, v3 = 0, absent = 0;
        for (JsonObject row : rows) {
            Object version = row.getValue("version");
            if ("v2".equals(version)) {
                v2++;
                assertThat(row.containsKey("clobTokenIds"))
                        .as("V2 rows have no clobTokenIds")
                        .isFalse();
                assertThat(row.getString("conditionId")).matches("0x[0-9a-f]{62}");
                Object p = row.getValue("positionIds");
                if (p instanceof String s) {
                    v2String++;
                    assertThat(s).startsWith("[\"");
                } else {
                    v2Array++;
                    assertThat(p).isInstanceOf(JsonArray.class);
                }
                List<String> ids = idsByVersion(row);
                BigInteger condition =
                        new BigInteger(row.getString("conditionId").substring(2), 16);
                for (int i = 0; i < ids.size(); i++) {
                    // A position id is the 31-byte condition followed by one outcome byte, as a decimal uint256.
                    assertThat(ids.get(i)).matches("\\d{75,76}");
                    assertThat(new BigInteger(ids.get(i)))
                            .isEqualTo(condition.shiftLeft(8).add(BigInteger.valueOf(i)));
                }
            } else if ("v1".equals(version)) {
                assertThat(row.getString("conditionId")).matches("0x[0-9a-f]{64}");
                assertThat(row.getValue("clobTokenIds")).isInstanceOf(String.class);
                if (row.containsKey("positionIds")) {
                    v1WithPositions++;
                    assertThat(row.getValue("positionIds")).isInstanceOf(JsonArray.class);
                }
            } else if ("v3".equals(version)) {
                v3++;
            } else {
                assertThat(row.containsKey("version")).isFalse();
                absent++;
            }
        }
        assertThat(v2).isBetween(rows.size() / 8, rows.size() / 2);
        assertThat(v2String).isPositive();
        assertThat(v2Array).isPositive();
        assertThat(v1WithPositions).isPositive();
        assertThat(v3).isPositive();
        assertThat(absent).isPositive();
    }

    @Test
    void aClientThatChoosesByVersionGetsEveryBookAndOnlyThose() {
        List<JsonObject> rows = gammaRows();
        Set<String> expected = new HashSet<>();
        Map<String, String> conditionOf = new java.util.HashMap<>();
        for (JsonObject row : rows) {
            for (String id : idsByVersion(row)) {
                expected.add(id);
                conditionOf.put(id, row.getString("conditionId"));
            }
        }
        assertThat(expected).containsExactlyInAnyOrderElementsOf(sim.universe().openTokenIds());
        // The admin listing says the same: version and the ids a correct client must use.
        JsonArray admin = new JsonObject(
                        SimClient.get(sim.adminUrl() + "/markets?status=OPEN").body())
                .getJsonArray("markets");
        Set<String> adminIds = new HashSet<>();
        for (Object o : admin) {
            JsonObject m = (JsonObject) o;
            assertThat(m.fieldNames())
                    .contains("version", "token_ids", "clob_token_ids", "position_ids", "condition_id");
            strings(m.getJsonArray("token_ids")).forEach(adminIds::add);
            if (m.getValue("version") == null || "v3".equals(m.getValue("version"))) {
                assertThat(m.getJsonArray("token_ids")).isEmpty();
            }
        }
        assertThat(adminIds).isEqualTo(expected);

        List<String> ids = new ArrayList<>(expected);
        JsonArray books = new JsonArray();
        for (int i = 0; i < ids.size(); i += 500) {
            JsonArray body = new JsonArray();
            ids.subList(i, Math.min(ids.size(), i + 500)).forEach(id -> body.add(new JsonObject().put("token_id", id)));
            books.addAll(new JsonArray(
                    SimClient.post(sim.clobUrl() + "/books", body.encode()).body()));
        }
        assertThat(books).hasSize(ids.size());
        for (Object o : books) {
            JsonObject b = (JsonObject) o;
            assertThat(b.getString("market")).isEqualTo(conditionOf.get(b.getString("asset_id")));
            assertThat(BookHash.sha1Hex(b.copy().put("hash", "").encode())).isEqualTo(b.getString("hash"));
        }
    }

    @Test
    void v2BooksStreamUnderPositionIdsWithTheShortConditionAsMarket() {
        SimMarket v2 = sim.universe().markets().stream()
                .filter(m -> m.hasBook() && m.def().version() == MarketVersion.V2)
                .findFirst()
                .orElseThrow();
        assertThat(v2.def().conditionId()).hasSize(64);
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        ws.sendText(MarketWebSocketTest.subscribe(v2.def().tokenIds()));
        SimClient.await("book and stream", SimClient.TIMEOUT, () -> ws.size() >= 5);
        JsonArray snapshot = new JsonArray(ws.messages().getFirst());
        assertThat(snapshot).hasSize(2);
        for (Object o : snapshot) {
            assertThat(((JsonObject) o).getString("market")).isEqualTo(v2.def().conditionId());
            assertThat(v2.def().tokenIds()).contains(((JsonObject) o).getString("asset_id"));
        }
        for (String f : ws.dataFrames().subList(1, ws.dataFrames().size())) {
            for (JsonObject e : MarketWebSocketTest.events(f)) {
                assertThat(e.getString("market")).isEqualTo(v2.def().conditionId());
            }
        }
        ws.close();
    }

    @Test
    void idsChosenByFieldPresenceInsteadOfVersionGetNothing() {
        List<String> wrong = new ArrayList<>(sim.universe().v1PositionIds());
        wrong.addAll(sim.universe().unknownVersionIds());
        assertThat(sim.universe().v1PositionIds()).isNotEmpty();
        assertThat(sim.universe().unknownVersionIds()).isNotEmpty();
        for (String id : wrong.subList(0, 10)) {
            assertThat(SimClient.get(sim.clobUrl() + "/book?token_id=" + id).statusCode())
                    .isEqualTo(404);
        }
        SimClient.Ws ws = SimClient.connect(sim.wsUrl());
        ws.sendText(MarketWebSocketTest.subscribe(wrong.subList(0, Math.min(100, wrong.size()))));
        MarketWebSocketTest.sleep(500);
        ws.sendText("PING");
        SimClient.await("PONG", SimClient.TIMEOUT, () -> ws.messages().contains("PONG"));
        assertThat(ws.dataFrames())
                .as("no book, no stream for ids without a book")
                .isEmpty();
        ws.close();
    }

    @Test
    void sameSeedSameRowsAndTypeChangeFlipsThePositionIdsForm() {
        try (PolymarketSim twin = PolymarketSim.start(SimTestConfigs.small()
                .markets(300)
                .closedShare(0)
                .noOrderBookShare(0)
                .unknownVersionShare(0.06)
                .build())) {
            for (int i = 0; i < 300; i += 17) {
                MarketDef a = sim.universe().markets().get(i).def();
                MarketDef b = twin.universe().markets().get(i).def();
                assertThat(b.version()).isEqualTo(a.version());
                assertThat(b.tokenIds()).isEqualTo(a.tokenIds());
                assertThat(b.positionIds()).isEqualTo(a.positionIds());
                assertThat(b.conditionId()).isEqualTo(a.conditionId());
            }
            SimMarket v2 = twin.universe().markets().stream()
                    .filter(m -> m.def().version() == MarketVersion.V2)
                    .findFirst()
                    .orElseThrow();
            String url = twin.gammaUrl() + "/markets/" + v2.id();
            Object before = new JsonObject(SimClient.get(url).body()).getValue("positionIds");
            twin.faults().apply("type-change", Map.of("enabled", "true"));
            Object after = new JsonObject(SimClient.get(url).body()).getValue("positionIds");
            assertThat(after.getClass()).isNotEqualTo(before.getClass());
        }
    }
}
