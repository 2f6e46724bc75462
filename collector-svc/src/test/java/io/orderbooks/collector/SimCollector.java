package io.orderbooks.collector;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensJson;
import io.orderbooks.shared.testing.TempDataDir;
import io.orderbooks.sim.MarketDef;
import io.orderbooks.sim.MarketVersion;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every process test of the collector sets up: a simulator whose markets are all open with books, a temp data
 * dir, a {@code tokens.json} of simulator tokens as discovery writes it, and collector processes (the packaged jar)
 * that are all killed at {@link #close()}, with the simulator and the data dir.
 */
final class SimCollector implements AutoCloseable {
    final PolymarketSim sim;
    final TempDataDir temp;
    final DataDir dir;
    private final List<CollectorProcess> processes = new ArrayList<>();

    private SimCollector(PolymarketSim sim) {
        this.sim = sim;
        this.temp = TempDataDir.create();
        this.dir = temp.dataDir();
    }

    /** A simulator of {@code markets} open markets with books, 3 events per second per asset, one event loop. */
    static SimCollector start(long seed, int markets) {
        return start(seed, markets, 3);
    }

    /** The same with {@code eventsPerSecondPerAsset} events per second per asset. */
    static SimCollector start(long seed, int markets, double eventsPerSecondPerAsset) {
        return new SimCollector(PolymarketSim.start(SimConfig.builder()
                .seed(seed)
                .markets(markets)
                .closedShare(0)
                .noOrderBookShare(0)
                .eventsPerSecondPerAsset(eventsPerSecondPerAsset)
                .eventLoops(1)
                .build()));
    }

    /** Publishes the first {@code count} open tokens (sorted) and returns them. */
    List<String> publishTokens(int count) throws IOException {
        List<String> ids =
                sim.universe().openTokenIds().stream().sorted().limit(count).toList();
        publish(ids);
        return ids;
    }

    /**
     * Publishes every token of the first {@code markets} markets with a book (by market id), in discovery's order
     * (by market, then outcome: docs/DISCOVERY.md), and returns them: unlike {@link #publishTokens}, no market is
     * left with one of its tokens only.
     */
    List<String> publishMarkets(int markets) throws IOException {
        List<String> ids = sim.universe().markets().stream()
                .filter(m -> m.hasBook())
                .map(m -> m.def())
                .sorted(java.util.Comparator.comparing((MarketDef d) -> d.id().length())
                        .thenComparing(MarketDef::id))
                .limit(markets)
                .flatMap(d -> d.tokenIds().stream())
                .toList();
        publish(ids);
        return ids;
    }

    /** The condition id of a simulator token's market. */
    String conditionOf(String tokenId) {
        return sim.universe().marketOfToken(tokenId).orElseThrow().def().conditionId();
    }

    /** {@code tokens.json} with these simulator tokens, each entry as discovery writes it. */
    void publish(List<String> ids) throws IOException {
        List<TokenEntry> entries = new ArrayList<>();
        for (String id : ids) {
            MarketDef m = sim.universe().marketOfToken(id).orElseThrow().def();
            int idx = m.tokenIds().indexOf(id);
            entries.add(new TokenEntry(
                    id,
                    m.outcomes().get(idx),
                    idx,
                    m.conditionId(),
                    m.id(),
                    m.slug(),
                    m.question(),
                    m.eventSlug(),
                    m.negRisk(),
                    null,
                    "0.01",
                    "5",
                    m.version() == MarketVersion.V2 ? Protocol.V2 : Protocol.V1));
        }
        TokensJson.publish(dir, TokensFile.of(Instant.now(), "it", "test", null, entries));
    }

    /** The fast test settings (CollectorProcess#fastSettings) for this simulator and data dir; a mutable map. */
    Map<String, String> env(String instance, String shard) {
        return CollectorProcess.fastSettings(sim, dir.root(), instance, shard);
    }

    /** A collector with the fast settings, its output in {@code collector-<instance>.log} beside the data dir. */
    CollectorProcess start(String instance, String shard) throws IOException {
        return start(env(instance, shard), instance);
    }

    CollectorProcess start(Map<String, String> env, String instance) throws IOException {
        CollectorProcess p = CollectorProcess.start(env, log(instance));
        processes.add(p);
        return p;
    }

    Path log(String instance) {
        return temp.root().resolve("collector-" + instance + ".log");
    }

    @Override
    public void close() {
        processes.forEach(CollectorProcess::close);
        sim.close();
        temp.close();
    }
}
