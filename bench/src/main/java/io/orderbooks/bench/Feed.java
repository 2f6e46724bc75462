package io.orderbooks.bench;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensJson;
import io.orderbooks.sim.MarketDef;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The simulator side of an end-to-end run, the tokens.json the collector follows, and the collector's settings. */
final class Feed {
    private Feed() {}

    /** A simulator whose every market is open and has a book, so every token carries data. */
    static SimConfig.Builder universe(int tokens) {
        // Unknown-version markets have no book (docs/SIMULATOR.md), so none here; v1 and V2 markets both stream.
        return SimConfig.builder()
                .seed(11)
                .markets(tokens / 2 + 1)
                .closedShare(0)
                .noOrderBookShare(0)
                .unknownVersionShare(0)
                .eventLoops(1);
    }

    /** Publishes the first {@code count} open tokens (sorted) as discovery would. */
    static List<String> publishTokens(PolymarketSim sim, DataDir dir, int count) throws IOException {
        List<String> ids =
                sim.universe().openTokenIds().stream().sorted().limit(count).toList();
        if (ids.size() < count) {
            throw new IllegalStateException(
                    "the simulator has only " + ids.size() + " open tokens, " + count + " wanted");
        }
        List<TokenEntry> entries = new ArrayList<>(ids.size());
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
                    m.version() == io.orderbooks.sim.MarketVersion.V2 ? Protocol.V2 : Protocol.V1));
        }
        // Discovery's order: by market, then outcome (docs/DISCOVERY.md), so a market's tokens share a connection.
        entries.sort(
                java.util.Comparator.comparing((TokenEntry t) -> t.marketId().length())
                        .thenComparing(TokenEntry::marketId)
                        .thenComparingInt(TokenEntry::outcomeIndex));
        TokensJson.publish(dir, TokensFile.of(Instant.now(), "bench", "bench", null, entries));
        return ids;
    }

    /**
     * The collector's environment for a run: production defaults (flush interval 1 s, readable-within 50 ms,
     * backpressure on, level 6) except the snapshot interval, a quick reconnect (none is expected; if one happens
     * it costs a step little), no disk-free threshold, and {@code overrides} (what the run is about, e.g.
     * {@code COLLECTOR_WS_BACKPRESSURE=false}). An environment variable the collector does not know is ignored.
     */
    static Map<String, String> collectorEnv(
            String wsUrl, String clobUrl, Path dataDir, Duration snapshotInterval, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dataDir.toString());
        env.put("QUARKUS_REST_CLIENT_CLOB_API_URL", clobUrl);
        env.put("COLLECTOR_WS_URL", wsUrl);
        env.put("COLLECTOR_INSTANCE", "bench");
        env.put("COLLECTOR_SHARD", "0/1");
        env.put("COLLECTOR_TOKENS_POLL_INTERVAL", "200ms");
        env.put("COLLECTOR_SNAPSHOT_INTERVAL", snapshotInterval.toSeconds() + "s");
        env.put("COLLECTOR_WS_RECONNECT_MIN_BACKOFF", "100ms");
        env.put("COLLECTOR_WS_RECONNECT_MAX_BACKOFF", "500ms");
        env.put("COLLECTOR_STATUS_INTERVAL", "5s");
        env.put("COLLECTOR_DISK_MIN_FREE", "1");
        env.putAll(overrides);
        return env;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /**
     * Changes the simulator's firehose cap per connection while it runs, through its admin API
     * ({@code POST /admin/firehose}, docs/SIMULATOR.md); 0 = unlimited.
     */
    static void firehoseRate(PolymarketSim sim, int perConnection) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(sim.adminUrl() + "/firehose"))
                        .timeout(Duration.ofSeconds(5))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"rate_per_connection\":" + perConnection + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200
                || io.orderbooks.shared.records.Json.parse(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                .path("rate_per_connection")
                                .asInt(-1)
                        != perConnection) {
            throw new IllegalStateException("POST /admin/firehose answered " + r.statusCode() + " " + r.body());
        }
    }
}
