package io.orderbooks.collector;

import static io.orderbooks.collector.PoolRun.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Connections are filled in the token list's order. Discovery lists a market's tokens next to each other, so they
 * share a connection: a price_change names both tokens of a market and reaches every connection subscribed to either
 * (cross-asset delivery, docs/COLLECTOR.md), so siblings on two connections would record each such frame twice.
 */
class WsAssignmentOrderTest {
    @Test
    void aMarketsTokensListedTogetherShareAConnection() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (StallingServer server = new StallingServer(vertx, Integer.MAX_VALUE);
                PoolRun run = new PoolRun(
                        vertx, server.url(), TestWsConfig.production().withAssetsPerConnection(10, 5))) {
            // 20 markets of two tokens, in market order; the ids themselves are in no useful order.
            Set<String> tokens = new LinkedHashSet<>();
            List<List<String>> markets = new ArrayList<>();
            for (int m = 0; m < 20; m++) {
                List<String> pair = List.of(String.valueOf(900_000 - m * 7919), String.valueOf(100 + m * 104_729));
                markets.add(pair);
                tokens.addAll(pair);
            }
            run.pool.apply(tokens);
            await(
                    "40 assets subscribed on 4 connections",
                    Duration.ofSeconds(20),
                    () -> server.subscribed.values().stream()
                                    .mapToInt(Set::size)
                                    .sum()
                            == 40);
            assertThat(server.subscribed).hasSize(4);
            for (List<String> pair : markets) {
                assertThat(server.subscribed.values())
                        .as("market %s on one connection", pair)
                        .anyMatch(s -> s.containsAll(pair));
            }
            run.finish();
        } finally {
            vertx.close();
        }
    }
}
