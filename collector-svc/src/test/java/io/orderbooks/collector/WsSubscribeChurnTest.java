package io.orderbooks.collector;

import static io.orderbooks.collector.PoolRun.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server rejects a subscribe naming an asset already subscribed on that connection (the market
 * protocol as Polymarket's Python SDK implements it). Token lists that change (assets removed and added back),
 * interleaved with reconnects,
 * never make the collector name an asset twice on one connection, and end with every token on exactly one.
 */
class WsSubscribeChurnTest {
    @Test
    void churnAndReconnectsNeverSubscribeAnAssetTwiceOnAConnection() throws Exception {
        Vertx vertx = Vertx.vertx();
        Random random = new Random(7);
        try (StallingServer server = new StallingServer(vertx, Integer.MAX_VALUE);
                PoolRun run = new PoolRun(
                        vertx, server.url(), TestWsConfig.production().withAssetsPerConnection(40, 10))) {
            Set<String> tokens = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                tokens.add(String.valueOf(5000 + i));
            }
            run.pool.apply(Set.copyOf(tokens));
            int next = 6000;
            for (int round = 0; round < 12; round++) {
                List<String> all = new ArrayList<>(tokens);
                List<String> out = new ArrayList<>();
                for (int k = 0; k < 15; k++) {
                    out.add(all.get(random.nextInt(all.size())));
                }
                out.forEach(tokens::remove);
                run.pool.apply(Set.copyOf(tokens));
                Thread.sleep(30); // let some of the change reach the server before the next one (pacing, not a check)
                tokens.addAll(out.subList(0, 10));
                for (int k = 0; k < 5; k++) {
                    tokens.add(String.valueOf(next++));
                }
                run.pool.apply(Set.copyOf(tokens));
                if (round % 4 == 1) {
                    server.dropAll();
                }
                Thread.sleep(30);
            }
            Set<String> expected = Set.copyOf(tokens);
            await("the server holds exactly the final tokens, each on one connection", Duration.ofSeconds(30), () -> {
                List<String> held =
                        server.subscribed.values().stream().flatMap(Set::stream).toList();
                return held.size() == expected.size() && Set.copyOf(held).equals(expected);
            });
            run.finish();
            assertThat(server.duplicateSubscribes.get())
                    .as("subscribes naming an asset already subscribed")
                    .isZero();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
