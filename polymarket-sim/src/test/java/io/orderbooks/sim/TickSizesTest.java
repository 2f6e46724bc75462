package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tick sizes 0.1 … 0.0001 (docs/SIMULATOR.md "Gamma") and "" for empty optional decimals, as the websocket sends them. */
class TickSizesTest {

    static void assertOnGrid(String price, String tick) {
        BigDecimal p = new BigDecimal(price);
        assertThat(p.signum()).as(price).isPositive();
        assertThat(p).as(price).isLessThan(BigDecimal.ONE);
        assertThat(p.remainder(new BigDecimal(tick)).signum())
                .as(price + " on the " + tick + " grid")
                .isZero();
    }

    @Test
    void everyTickOccursAndEveryRestBookIsOnItsGrid() {
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                .markets(400)
                .eventsPerSecondPerAsset(0)
                .idleEventsPerSecondPerAsset(0)
                .build())) {
            Set<String> ticks = new HashSet<>();
            for (String token : sim.universe().openTokenIds()) {
                JsonObject b =
                        new JsonObject(sim.universe().book(token).orElseThrow().summaryJson());
                String tick = b.getString("tick_size");
                ticks.add(tick);
                for (String side : List.of("bids", "asks")) {
                    for (Object o : b.getJsonArray(side)) {
                        assertOnGrid(((JsonObject) o).getString("price"), tick);
                    }
                }
                assertOnGrid(b.getString("last_trade_price"), tick);
            }
            assertThat(ticks).containsExactlyInAnyOrder("0.1", "0.01", "0.005", "0.0025", "0.001", "0.0001");
            JsonObject row = new JsonObject(SimClient.get(sim.gammaUrl() + "/markets/keyset?limit=1")
                            .body())
                    .getJsonArray("markets")
                    .getJsonObject(0);
            assertThat(row.getValue("orderPriceMinTickSize")).isInstanceOf(Number.class);
        }
        assertThat(TickSizes.parse("0.1:1").pick(0.99)).isEqualTo("0.1");
    }

    @Test
    void streamStaysOnTheGridThroughTickChangesAndOneSidedBooksAndEveryHashVerifies() {
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                .markets(300)
                .eventsPerSecondPerAsset(40)
                .idleEventsPerSecondPerAsset(0)
                .tick(Duration.ofMillis(20))
                .tickSizeChangeShare(0.05)
                .oneSidedBookShare(1.0)
                .feesEnabledShare(0.5)
                .tradeShare(0.15)
                .fullBookEvery(40)
                .build())) {
            // A few markets of every tick, both tokens.
            Map<String, Integer> perTick = new HashMap<>();
            List<String> tokens = new ArrayList<>();
            for (SimMarket m : sim.universe().markets()) {
                if (m.hasBook() && perTick.merge(m.def().tickSize(), 1, Integer::sum) <= 4) {
                    tokens.addAll(m.def().tokenIds());
                }
            }
            assertThat(perTick.keySet()).hasSize(6);
            Map<String, ClientBook> books = new HashMap<>();
            SimClient.Ws ws = SimClient.connect(sim.wsUrl());
            ws.sendText(MarketWebSocketTest.subscribe(tokens));
            SimClient.await("snapshot", SimClient.TIMEOUT, () -> ws.size() >= 1);
            for (Object o : new JsonArray(ws.messages().getFirst())) {
                JsonObject b = (JsonObject) o;
                JsonObject rest =
                        new JsonObject(SimClient.get(sim.clobUrl() + "/book?token_id=" + b.getString("asset_id"))
                                .body());
                books.put(
                        b.getString("asset_id"),
                        new ClientBook(b, rest.getString("min_order_size"), rest.getBoolean("neg_risk"), null));
            }
            SimClient.await("a long stream", Duration.ofSeconds(20), () -> ws.size() > 2500);
            int verified = 0;
            boolean emptyBest = false, finer = false, coarser = false, noFee = false, fee = false;
            for (String frame : ws.messages().subList(1, ws.size())) {
                for (JsonObject e : MarketWebSocketTest.events(frame)) {
                    switch (e.getString("event_type")) {
                        case "price_change" -> {
                            Map<String, List<JsonObject>> byAsset = new LinkedHashMap<>();
                            for (Object o : e.getJsonArray("price_changes")) {
                                JsonObject pc = (JsonObject) o;
                                byAsset.computeIfAbsent(pc.getString("asset_id"), k -> new ArrayList<>())
                                        .add(pc);
                                emptyBest |= "".equals(pc.getString("best_bid")) || "".equals(pc.getString("best_ask"));
                            }
                            for (Map.Entry<String, List<JsonObject>> a : byAsset.entrySet()) {
                                ClientBook book = books.get(a.getKey());
                                for (JsonObject pc : a.getValue()) {
                                    assertOnGrid(pc.getString("price"), book.tickSize);
                                    book.apply(pc, e.getString("timestamp"));
                                }
                                for (JsonObject pc : a.getValue()) {
                                    assertThat(pc.getString("hash")).isEqualTo(book.hash());
                                    String bid = pc.getString("best_bid");
                                    String ask = pc.getString("best_ask");
                                    assertThat(bid.isEmpty()).isEqualTo(book.bids.isEmpty());
                                    assertThat(ask.isEmpty()).isEqualTo(book.asks.isEmpty());
                                    verified++;
                                }
                            }
                        }
                        case "book" -> {
                            ClientBook book = books.get(e.getString("asset_id"));
                            book.replace(e);
                            assertThat(book.hash()).isEqualTo(e.getString("hash"));
                            verified++;
                        }
                        case "last_trade_price" -> {
                            ClientBook book = books.get(e.getString("asset_id"));
                            assertOnGrid(e.getString("price"), book.tickSize);
                            book.lastTradePrice = e.getString("price");
                            noFee |= "".equals(e.getString("fee_rate_bps"));
                            fee |= e.getString("fee_rate_bps").matches("\\d+");
                        }
                        case "tick_size_change" -> {
                            ClientBook book = books.get(e.getString("asset_id"));
                            assertThat(e.getString("old_tick_size")).isEqualTo(book.tickSize);
                            String neu = e.getString("new_tick_size");
                            int cmp = new BigDecimal(neu).compareTo(new BigDecimal(book.tickSize));
                            finer |= cmp < 0;
                            coarser |= cmp > 0;
                            book.tickSize = neu;
                            // Existing prices must be valid under the new tick.
                            for (BigDecimal p : book.bids.keySet()) {
                                assertOnGrid(p.toPlainString(), neu);
                            }
                            for (BigDecimal p : book.asks.keySet()) {
                                assertOnGrid(p.toPlainString(), neu);
                            }
                        }
                        default -> throw new AssertionError("unexpected " + e);
                    }
                }
            }
            ws.close();
            assertThat(verified).isGreaterThan(1000);
            assertThat(emptyBest)
                    .as("a one-sided book sends \"\" for the missing best price")
                    .isTrue();
            assertThat(finer && coarser).as("tick changes both ways").isTrue();
            assertThat(noFee && fee)
                    .as("fee_rate_bps \"\" without fee, digits with")
                    .isTrue();
        }
    }
}
