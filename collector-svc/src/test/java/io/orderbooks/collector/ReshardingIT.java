package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.TempDataDir;
import io.orderbooks.sim.Oracle;
import io.orderbooks.sim.PolymarketSim;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes replicas as local processes (docs/SCALING.md): collector processes with shards {@code i/N} against
 * polymarket-sim, switched from 2 to 3 shards in the order a StatefulSet rollout applies the documented procedure
 * (step 1, counts "3,2": pod 2 created, then pods 1 and 0 replaced; step 2, count "3": pods 2, 1, 0 replaced; a pod
 * keeps its instance id across its replacement). In every steady state between two replacements, every token gets a
 * REST book from some collector; at the end, from exactly one; only index 0 records the global events. The same for a
 * change of key, from two shards by token to two by market (counts "2,2" with keys "market,token", then "2" by market).
 * <p>
 * Windows are judged by the books' {@code recv_us}, so how long a start takes on a loaded machine does not matter: a
 * window opens only once the simulator serves every process's shard on open connections, and lasts three snapshot
 * intervals.
 */
class ReshardingIT {
    private static final int TOKENS = 60;
    private static final Duration WINDOW = Duration.ofSeconds(9); // 3 x COLLECTOR_SNAPSHOT_INTERVAL (3s)

    private SimCollector fx;
    private PolymarketSim sim;
    private TempDataDir temp;
    private DataDir dir;
    private List<String> tokens;
    /** The running "pods": ordinal -> process, and the shard each runs with. */
    private final Map<Integer, CollectorProcess> pods = new TreeMap<>();

    private final Map<Integer, Shard> shards = new TreeMap<>();
    private final List<CollectorProcess> all = new ArrayList<>();

    /** One steady state: the shards that ran and the receive-time window in which they all did. */
    record Window(String state, long fromUs, long toUs) {}

    @BeforeEach
    void start() throws Exception {
        fx = SimCollector.start(16, 40, 1);
        sim = fx.sim;
        temp = fx.temp;
        dir = fx.dir;
        tokens = fx.publishTokens(TOKENS);
    }

    @AfterEach
    void stop() {
        all.forEach(CollectorProcess::close);
        fx.close();
    }

    @Test
    void fromTwoToThreeShardsEveryTokenIsRecordedInEveryStateAndAtTheEndExactlyOnce() throws Exception {
        List<Window> windows = new ArrayList<>();
        run(0, "0/2");
        run(1, "1/2");
        windows.add(steady());
        // Step 1: COLLECTOR_SHARD_COUNT=3,2 with replicas 3. The new ordinal first, then the rollout, highest first.
        run(2, "2/3,2");
        windows.add(steady());
        replace(1, "1/3,2");
        windows.add(steady());
        replace(0, "0/3,2");
        windows.add(steady());
        // Step 2: COLLECTOR_SHARD_COUNT=3.
        replace(2, "2/3");
        windows.add(steady());
        replace(1, "1/3");
        windows.add(steady());
        replace(0, "0/3");
        awaitSubscribed();
        long lastFromUs = nowUs();
        for (int i = 0; i < 3; i++) {
            sim.universe().addMarket(); // a new_market event each, sent to connections that asked for custom features
        }
        windows.add(steady());
        for (CollectorProcess p : pods.values()) {
            assertThat(p.terminate()).isIn(0, 143);
        }

        assertEveryTokenInEveryWindowAndOnceAtTheEnd(windows, lastFromUs, 3);

        Map<String, Integer> newMarkets = globalEventsByInstance("new_market");
        assertThat(newMarkets.getOrDefault("pod-0", 0))
                .as("pod-0 records new_market")
                .isGreaterThanOrEqualTo(3);
        assertThat(newMarkets.getOrDefault("pod-1", 0)).isZero();
        assertThat(newMarkets.getOrDefault("pod-2", 0)).isZero();
    }

    /**
     * A change of key is a re-shard with equal counts (docs/COLLECTOR.md, "Sharding"): from two shards by token to
     * two by market through {@code i/2,2} with the keys {@code market,token}, one pod at a time, highest first.
     */
    @Test
    void fromTokenToMarketKeyEveryTokenIsRecordedInEveryStateAndAtTheEndExactlyOnce() throws Exception {
        List<Window> windows = new ArrayList<>();
        run(0, "0/2");
        run(1, "1/2");
        windows.add(steady());
        // Step 1: COLLECTOR_SHARD_COUNT=2,2 and COLLECTOR_SHARD_KEY=market,token.
        replace(1, "1/2,2", "market,token");
        windows.add(steady());
        replace(0, "0/2,2", "market,token");
        windows.add(steady());
        // Step 2: COLLECTOR_SHARD_COUNT=2 and COLLECTOR_SHARD_KEY=market.
        replace(1, "1/2", "market");
        windows.add(steady());
        replace(0, "0/2", "market");
        awaitSubscribed();
        long lastFromUs = nowUs();
        windows.add(steady());
        for (CollectorProcess p : pods.values()) {
            assertThat(p.terminate()).isIn(0, 143);
        }

        assertEveryTokenInEveryWindowAndOnceAtTheEnd(windows, lastFromUs, 2);
    }

    /**
     * In every window some collector recorded a REST book of every token; in the last one, exactly one did, the
     * owner under the shards that ran last ({@code count} of them).
     */
    private void assertEveryTokenInEveryWindowAndOnceAtTheEnd(List<Window> windows, long lastFromUs, int count) {
        Map<String, Map<String, List<Long>>> books = restBooksByTokenAndInstance();
        for (Window w : windows) {
            List<String> missing = tokens.stream()
                    .filter(t -> books.getOrDefault(t, Map.of()).values().stream()
                            .flatMap(List::stream)
                            .noneMatch(us -> us >= w.fromUs() && us <= w.toUs()))
                    .toList();
            assertThat(missing)
                    .as("tokens no collector recorded in state " + w.state())
                    .isEmpty();
        }
        Window last = windows.getLast();
        assertThat(last.fromUs()).isGreaterThanOrEqualTo(lastFromUs);
        Map<String, Set<String>> recordedBy = new HashMap<>();
        books.forEach((token, byInstance) -> byInstance.forEach((instance, times) -> {
            if (times.stream().anyMatch(us -> us >= last.fromUs() && us <= last.toUs())) {
                recordedBy.computeIfAbsent(token, k -> new HashSet<>()).add(instance);
            }
        }));
        assertThat(recordedBy.keySet()).containsExactlyInAnyOrderElementsOf(tokens);
        assertThat(shards).hasSize(count);
        recordedBy.forEach((token, instances) -> {
            assertThat(instances).as(token + " in " + shards.values()).hasSize(1);
            int owner = Integer.parseInt(instances.iterator().next().substring("pod-".length()));
            assertThat(shards.get(owner).contains(token, fx.conditionOf(token))).isTrue();
        });
    }

    private void run(int ordinal, String shard) throws Exception {
        run(ordinal, shard, "token");
    }

    private void run(int ordinal, String shard, String key) throws Exception {
        Path log = temp.root().resolve("collector-pod-" + ordinal + "-" + all.size() + ".log");
        Map<String, String> env = CollectorProcess.fastSettings(sim, dir.root(), "pod-" + ordinal, shard);
        env.put("COLLECTOR_SHARD_KEY", key);
        CollectorProcess p = CollectorProcess.start(env, log);
        all.add(p);
        pods.put(ordinal, p);
        shards.put(ordinal, Shard.parse(shard, key));
    }

    /** A pod replaced by the rollout: SIGTERM (its files closed), then the same instance with the new shard. */
    private void replace(int ordinal, String shard) throws Exception {
        replace(ordinal, shard, "token");
    }

    private void replace(int ordinal, String shard, String key) throws Exception {
        assertThat(pods.get(ordinal).terminate()).isIn(0, 143);
        run(ordinal, shard, key);
    }

    /**
     * Waits until the simulator serves exactly what the running shards ask for on open connections (every process
     * has subscribed its shard), then lets a window of snapshot rounds pass.
     */
    private Window steady() throws InterruptedException {
        awaitSubscribed();
        long from = nowUs();
        Thread.sleep(WINDOW.toMillis());
        long to = nowUs();
        // The same processes still run (a watchdog reconnect on a loaded machine may be under way: wait it out).
        awaitSubscribed();
        return new Window(shards.values().toString(), from, to);
    }

    /**
     * Until the open connections are exactly the running shards' (as many connections of at most 30 assets as each
     * needs, and as many assets in all): a terminated process's connections are gone, the new one's are subscribed.
     */
    private void awaitSubscribed() throws InterruptedException {
        List<Integer> want = expected();
        PoolRun.await(
                "collectors " + shards.values() + " on " + want.get(0) + " connections with " + want.get(1) + " assets",
                Duration.ofSeconds(120),
                () -> pods.values().stream().allMatch(CollectorProcess::alive) && served().equals(want));
    }

    /** [connections, assets] the running shards need (COLLECTOR_WS_MAX_ASSETS_PER_CONNECTION=30 in fastSettings). */
    private List<Integer> expected() {
        int connections = 0;
        int assets = 0;
        for (Shard s : shards.values()) {
            int n = (int) tokens.stream()
                    .filter(t -> s.contains(t, fx.conditionOf(t)))
                    .count();
            connections += (n + 29) / 30;
            assets += n;
        }
        return List.of(connections, assets);
    }

    /** [connections, assets] open at the simulator. */
    private List<Integer> served() {
        List<Oracle.ConnectionRecord> open = sim.oracle().connections().stream()
                .filter(Oracle.ConnectionRecord::open)
                .toList();
        return List.of(
                open.size(),
                open.stream()
                        .mapToInt(Oracle.ConnectionRecord::subscribedAssets)
                        .sum());
    }

    private static long nowUs() {
        return System.currentTimeMillis() * 1000;
    }

    /** token -> instance -> recv_us of every REST book recorded for it. */
    private Map<String, Map<String, List<Long>>> restBooksByTokenAndInstance() {
        DataDirReader reader = new DataDirReader(dir);
        assertThat(reader.openFiles(StreamName.REST_BOOKS))
                .as("every file closed")
                .isEmpty();
        Map<String, Map<String, List<Long>>> out = new LinkedHashMap<>();
        for (Path f : reader.closedFiles(StreamName.REST_BOOKS)) {
            String instance = reader.manifest(f).writer().instance().value();
            for (JsonNode r : DataDirReader.records(f)) {
                if (r.has("item")) {
                    out.computeIfAbsent(r.get("item").get("asset_id").asText(), k -> new HashMap<>())
                            .computeIfAbsent(instance, k -> new ArrayList<>())
                            .add(r.get("recv_us").asLong());
                }
            }
        }
        return out;
    }

    private Map<String, Integer> globalEventsByInstance(String eventType) {
        DataDirReader reader = new DataDirReader(dir);
        Map<String, Integer> out = new HashMap<>();
        for (Path f : reader.closedFiles(StreamName.WS_MARKET)) {
            String instance = reader.manifest(f).writer().instance().value();
            for (JsonNode r : DataDirReader.records(f)) {
                JsonNode frame = r.path("frame");
                // The server sends some frames as a JSON array of events (docs/DATA-FORMAT.md keeps them verbatim).
                for (JsonNode event : frame.isArray() ? frame : List.of(frame)) {
                    if (eventType.equals(event.path("event_type").asText())) {
                        out.merge(instance, 1, Integer::sum);
                    }
                }
            }
        }
        return out;
    }
}
