package io.orderbooks.bench;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.sim.Oracle;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector jar as a process (pinned to one CPU) against an in-process simulator, measured from outside:
 * frames received from {@code /q/metrics}, frames durably written from the closed files, CPU time and RSS from
 * {@code /proc}. Every run uses 400 assets per connection (the production setting), so the firehose cycles through
 * 800 distinct frames per connection, more than gzip's 32 KiB window holds.
 */
final class EndToEnd {
    static final int ASSETS_PER_CONNECTION = 400;

    /**
     * One saturation run: the simulator sends as fast as each connection drains. {@code lost} is from the
     * queue-full gap records, {@code pausedShare} the share of the window the connections spent not reading
     * (backpressure), from the resumed events.
     */
    record Throughput(
            int connections,
            boolean backpressure,
            double seconds,
            double receivedPerSec,
            double writtenPerSec,
            long lost,
            long pauses,
            double pausedShare,
            double cpuSecondsPerMillion,
            double cpuUtilisation,
            long maxDepth,
            double ratio) {}

    /** One step of the rate ramp ({@code offered} is the total over {@code connections}). */
    record Step(
            int connections,
            int offered,
            double receivedPerSec,
            long maxDepth,
            long endDepth,
            double cpuSecondsPerMillion,
            double cpuUtilisation,
            boolean keptUp,
            String threads) {}

    /** Latency percentiles in microseconds at a fixed offered rate, with the collector settings of the row. */
    record Latency(
            int offered,
            int connections,
            String settings,
            int samples,
            long p50,
            long p99,
            long p999,
            long max,
            double cpuSecondsPerMillion) {}

    /** Resident memory with a number of tracked tokens. */
    record Memory(
            int tokens,
            int connections,
            int subscribed,
            double rssMiB,
            double maxRssMiB,
            double framesPerSec,
            long restBooks) {}

    private static int subscribed(PolymarketSim sim) {
        return sim.oracle().connections().stream()
                .filter(Oracle.ConnectionRecord::open)
                .mapToInt(Oracle.ConnectionRecord::subscribedAssets)
                .sum();
    }

    /** Disk use of a realistic run. */
    record Disk(Recorded.Totals rest, Recorded.Totals ws, int tokens, double seconds, double snapshotSeconds) {}

    private final Path repo;
    private final Path work;
    private final int collectorCpu;

    EndToEnd(Path repo, Path work, int collectorCpu) {
        this.repo = repo;
        this.work = work;
        this.collectorCpu = collectorCpu;
    }

    private Path freshDir(String name) throws IOException {
        Files.createDirectories(work);
        return Files.createTempDirectory(work, name);
    }

    private static SimConfig firehose(int connections, int perConnection, int port) {
        return Feed.universe(connections * ASSETS_PER_CONNECTION)
                .firehose(true)
                .firehoseFramesPerSecond(perConnection)
                .port(port)
                .build();
    }

    private Service collector(
            Path data, String wsUrl, String clobUrl, Duration snapshots, Map<String, String> overrides)
            throws Exception {
        Service c = Service.start(
                repo,
                "collector-svc",
                "512m",
                collectorCpu,
                Feed.collectorEnv(wsUrl, clobUrl, data, snapshots, overrides),
                data.resolve("../" + data.getFileName() + ".log"));
        c.awaitLive(Duration.ofSeconds(60));
        return c;
    }

    private static double frames(Service c) throws Exception {
        return c.metric("collector_frames_total", null);
    }

    private static long depth(Service c) throws Exception {
        return (long) c.metric("collector_queue_depth", "ws_market");
    }

    static void await(String what, Duration max, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void awaitFlow(Service c, Duration max) throws InterruptedException {
        await("frames to flow", max, () -> {
            try {
                return frames(c) > 1000;
            } catch (Exception e) {
                return false;
            }
        });
    }

    static long nowUs() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * Unlimited firehose over {@code connections} connections: what the collector receives and writes, with its
     * backpressure on (the default: a backlogged queue pauses reading) or off (a full queue drops, as gap records).
     */
    Throughput saturation(int connections, boolean backpressure, int warmupSeconds, int measureSeconds)
            throws Exception {
        Path data = freshDir("sat" + connections + (backpressure ? "" : "-nobp") + "-");
        Map<String, String> overrides = backpressure ? Map.of() : Map.of("COLLECTOR_WS_BACKPRESSURE", "false");
        try (PolymarketSim sim = PolymarketSim.start(firehose(connections, 0, 0))) {
            Feed.publishTokens(sim, DataDir.of(data), connections * ASSETS_PER_CONNECTION);
            try (Service c = collector(data, sim.wsUrl(), sim.clobUrl(), Duration.ofHours(1), overrides)) {
                awaitFlow(c, Duration.ofSeconds(30));
                Thread.sleep(warmupSeconds * 1000L);
                // The window is [us1, us2) on this machine's clock, and the frames in it are counted by the
                // collector's own recv_us in the closed files: received = written + lost there. A metrics scrape
                // can take tens of ms from a collector at 100 % of its core, so the metric is only a cross-check.
                double f1 = frames(c);
                double cpu1 = c.cpuSeconds();
                long us1 = nowUs();
                long maxDepth = 0;
                while (nowUs() - us1 < measureSeconds * 1_000_000L) {
                    Thread.sleep(250);
                    maxDepth = Math.max(maxDepth, depth(c));
                }
                long us2 = nowUs();
                double cpu2 = c.cpuSeconds();
                double f2 = frames(c);
                double secs = (us2 - us1) / 1e6;
                c.terminate();
                Recorded.Window w = Recorded.window(data, us1, us2);
                double received = w.frames() + w.lost();
                System.out.printf(
                        "saturation %d conn, backpressure %s: received %,.0f/s by the files, %,.0f/s by collector_frames_total%n",
                        connections, backpressure ? "on" : "off", received / secs, (f2 - f1) / secs);
                Recorded.Totals ws = Recorded.totals(data, "ws_market");
                return new Throughput(
                        connections,
                        backpressure,
                        secs,
                        received / secs,
                        w.frames() / secs,
                        w.lost(),
                        w.pauses(),
                        w.pausedMs() / 1e3 / secs / connections,
                        (cpu2 - cpu1) / w.frames() * 1e6,
                        (cpu2 - cpu1) / secs,
                        maxDepth,
                        ws.ratio());
            }
        } finally {
            cleanup(data);
        }
    }

    /**
     * Offered rates rising step by step over {@code connections} connections (each carries rate / connections),
     * changed on the running simulator through its admin API, so the collector stays connected and warm. A step
     * is kept up with when the collector received at least 97 % of the offered rate and its queue stayed under
     * 5,000 lines; the ramp stops at the first step that is not.
     */
    List<Step> ramp(int connections, int[] rates, int settleSeconds, int measureSeconds) throws Exception {
        Path data = freshDir("ramp" + connections + "-");
        List<Step> steps = new ArrayList<>();
        try (PolymarketSim sim = PolymarketSim.start(firehose(connections, rates[0] / connections, 0))) {
            Feed.publishTokens(sim, DataDir.of(data), connections * ASSETS_PER_CONNECTION);
            try (Service c = collector(data, sim.wsUrl(), sim.clobUrl(), Duration.ofHours(1), Map.of())) {
                awaitFlow(c, Duration.ofSeconds(30));
                Thread.sleep(3000); // JIT warm-up before the first step
                for (int rate : rates) {
                    Feed.firehoseRate(sim, rate / connections);
                    int offered = rate / connections * connections;
                    Thread.sleep(settleSeconds * 1000L);
                    double f1 = frames(c);
                    double cpu1 = c.cpuSeconds();
                    Map<String, Double> threads1 = c.threadCpu();
                    long t1 = System.nanoTime();
                    long maxDepth = 0;
                    long d = 0;
                    while (System.nanoTime() - t1 < measureSeconds * 1_000_000_000L) {
                        Thread.sleep(200);
                        d = depth(c);
                        maxDepth = Math.max(maxDepth, d);
                    }
                    double secs = (System.nanoTime() - t1) / 1e9;
                    double received = frames(c) - f1;
                    double cpu = c.cpuSeconds() - cpu1;
                    boolean ok = received / secs >= 0.97 * offered && maxDepth < 5000;
                    String threads = Service.threadShare(threads1, c.threadCpu(), secs);
                    steps.add(new Step(
                            connections,
                            offered,
                            received / secs,
                            maxDepth,
                            d,
                            cpu / received * 1e6,
                            cpu / secs,
                            ok,
                            threads));
                    System.out.printf(
                            "ramp %d conn: offered %,d/s received %,.0f/s max queue %,d cpu %.2f -> %s; threads: %s%n",
                            connections,
                            offered,
                            received / secs,
                            maxDepth,
                            cpu / secs,
                            ok ? "kept up" : "fell behind",
                            threads);
                    if (!ok) {
                        break;
                    }
                }
                c.terminate();
            }
        } finally {
            cleanup(data);
        }
        return steps;
    }

    /**
     * Fixed offered rate over 4 connections; receive-to-readable-on-disk latency by the {@link Tailer}, with the
     * collector's defaults plus {@code overrides} ({@code settings} names them in the summary).
     */
    Latency latency(int rate, String settings, Map<String, String> overrides, int warmupSeconds, int measureSeconds)
            throws Exception {
        int connections = 4;
        Path data = freshDir("lat-");
        try (PolymarketSim sim = PolymarketSim.start(firehose(connections, rate / connections, 0))) {
            Feed.publishTokens(sim, DataDir.of(data), connections * ASSETS_PER_CONNECTION);
            try (Service c = collector(data, sim.wsUrl(), sim.clobUrl(), Duration.ofHours(1), overrides);
                    Tailer tailer = new Tailer(data, 2_000_000)) {
                awaitFlow(c, Duration.ofSeconds(30));
                Thread.sleep(warmupSeconds * 1000L);
                double f1 = frames(c);
                double cpu1 = c.cpuSeconds();
                tailer.startSampling();
                Thread.sleep(measureSeconds * 1000L);
                long[] s = tailer.stop();
                double cpuPerM = (c.cpuSeconds() - cpu1) / (frames(c) - f1) * 1e6;
                c.terminate();
                return new Latency(
                        rate / connections * connections,
                        connections,
                        settings,
                        s.length,
                        Tailer.percentile(s, 50),
                        Tailer.percentile(s, 99),
                        Tailer.percentile(s, 99.9),
                        s.length == 0 ? -1 : s[s.length - 1],
                        cpuPerM);
            }
        } finally {
            cleanup(data);
        }
    }

    /**
     * A realistic feed (the simulator's normal mode, {@code eventsPerAsset} events per second per asset) over
     * {@code tokens} tokens: websocket at 400 assets per connection plus REST rounds; steady RSS after every
     * connection is subscribed and at least one full REST round. With {@code disk} set, also the bytes on disk.
     */
    Memory memory(int tokens, double eventsPerAsset, Duration snapshots, int observeSeconds, Disk[] disk)
            throws Exception {
        Path data = freshDir("mem" + tokens + "-");
        try (PolymarketSim sim = PolymarketSim.start(Feed.universe(tokens)
                .eventsPerSecondPerAsset(eventsPerAsset)
                .eventLoops(2)
                .build())) {
            Feed.publishTokens(sim, DataDir.of(data), tokens);
            try (Service c = collector(data, sim.wsUrl(), sim.clobUrl(), snapshots, Map.of())) {
                // Every token subscribed, or (if the collector cannot open that many connections) a count that
                // has stopped growing for 10 s: the row then says how many were served.
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                int served = 0;
                long stableSince = System.nanoTime();
                while (System.nanoTime() < deadline) {
                    int now = subscribed(sim);
                    if (now != served) {
                        served = now;
                        stableSince = System.nanoTime();
                    }
                    if (served >= tokens || (served > 0 && System.nanoTime() - stableSince > 10_000_000_000L)) {
                        break;
                    }
                    Thread.sleep(200);
                }
                int conns = (int) sim.oracle().connections().stream()
                        .filter(Oracle.ConnectionRecord::open)
                        .count();
                double f1 = frames(c);
                long t1 = System.nanoTime();
                double max = 0;
                double rss = 0;
                for (int i = 0; i < observeSeconds; i++) {
                    Thread.sleep(1000);
                    rss = c.rssMiB();
                    max = Math.max(max, rss);
                }
                double secs = (System.nanoTime() - t1) / 1e9;
                double fps = (frames(c) - f1) / secs;
                double allSecs = (System.nanoTime() - c.startedNanos) / 1e9;
                c.terminate();
                Recorded.Totals rest = Recorded.totals(data, "rest_books");
                if (disk != null) {
                    disk[0] =
                            new Disk(rest, Recorded.totals(data, "ws_market"), tokens, allSecs, snapshots.toSeconds());
                }
                return new Memory(tokens, conns, served, rss, max, fps, rest.records());
            }
        } finally {
            cleanup(data);
        }
    }

    /**
     * A recording for the replay phase ({@link ReplayBench}): the collector over {@code tokens} tokens of a realistic
     * feed for {@code seconds} seconds after every token is subscribed, with REST rounds every {@code snapshots}; the
     * caller reads the data dir and removes it.
     */
    Path record(int tokens, double eventsPerAsset, Duration snapshots, int seconds) throws Exception {
        Path data = freshDir("replay" + tokens + "-");
        try (PolymarketSim sim = PolymarketSim.start(Feed.universe(tokens)
                .eventsPerSecondPerAsset(eventsPerAsset)
                .eventLoops(1)
                .build())) {
            Feed.publishTokens(sim, DataDir.of(data), tokens);
            try (Service c = collector(data, sim.wsUrl(), sim.clobUrl(), snapshots, Map.of())) {
                await("every token subscribed", Duration.ofSeconds(120), () -> subscribed(sim) >= tokens);
                Thread.sleep(seconds * 1000L);
                c.terminate();
            }
        }
        return data;
    }

    /** Start-up time (process start to /q/health/live = 200) and RSS after {@code idleSeconds} idle. */
    record Startup(String service, double liveSeconds, double quarkusSeconds, double idleRssMiB) {}

    Startup startup(String module, String xmx, PolymarketSim sim, int idleSeconds) throws Exception {
        Path data = freshDir("start-" + module + "-");
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "DATA_DIR",
                data.toString(),
                "QUARKUS_REST_CLIENT_GAMMA_API_URL",
                sim.gammaUrl(),
                "QUARKUS_REST_CLIENT_CLOB_API_URL",
                sim.clobUrl(),
                "COLLECTOR_WS_URL",
                sim.wsUrl(),
                "COLLECTOR_INSTANCE",
                "bench",
                "DISCOVERY_INSTANCE",
                "bench",
                "OFFLOAD_INSTANCE",
                "bench",
                "OFFLOAD_RCLONE_URL",
                "http://127.0.0.1:9",
                "OFFLOAD_REMOTE",
                ":local:" + data.resolve("remote"),
                "COLLECTOR_DISK_MIN_FREE",
                "1"));
        // offload-svc refuses to start without rc credentials; nothing listens on its rclone URL, so it idles.
        env.put("OFFLOAD_RCLONE_USER", "bench");
        env.put("OFFLOAD_RCLONE_PASS", "bench");
        Path log = data.resolve("../" + data.getFileName() + ".log");
        try (Service s = Service.start(repo, module, xmx, -1, env, log)) {
            double live = s.awaitLive(Duration.ofSeconds(60));
            Thread.sleep(idleSeconds * 1000L);
            double rss = s.rssMiB();
            s.terminate();
            return new Startup(module, live, quarkusStarted(log), rss);
        } finally {
            cleanup(data);
        }
    }

    private static double quarkusStarted(Path log) throws IOException {
        Matcher m = Pattern.compile("started in ([0-9.]+)s").matcher(Files.readString(log));
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static void cleanup(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is under target/
        }
    }
}
