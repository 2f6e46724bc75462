package io.orderbooks.bench;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.sim.Oracle;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Phase {@code feed}: how big the whole market channel is for a collector with production defaults, against the
 * simulator's realistic rate profile (heavy-tailed per market, bursty; sized from reference figures in
 * docs/SIMULATOR.md), once asking for websocket compression and once not. Counted from outside: frames/s from the
 * collector's metric, bytes on the wire by a relay in front of the simulator, bytes on disk from the manifests.
 * docs/COLLECTOR.md (Feed size) scales these to a day and to Polymarket's public figures.
 */
final class FeedSize {
    /**
     * One run. {@code framesPerSec} and {@code wireBytes} (the server's bytes to the collector over all websocket
     * connections) are from the same steady window of {@code seconds}; the bytes per line on disk are from the whole
     * run's closed files, and REST is scaled from one snapshot of every token per {@code snapshotSeconds}.
     */
    record Run(
            boolean compressionAsked,
            int tokens,
            int connections,
            double seconds,
            double framesPerSec,
            double peakFramesPerSec,
            long wireBytes,
            long negotiatedConnections,
            long duplicateFrames,
            Recorded.Totals ws,
            Recorded.Totals rest,
            double snapshotSeconds) {
        double wireGbPerDay() {
            return wireBytes / seconds * 86_400 / 1e9;
        }

        double wsDiskGbPerDay() {
            return framesPerSec * 86_400 * ws.bytesPerRecord() / 1e9;
        }

        double restDiskGbPerDay() {
            return tokens * (86_400 / snapshotSeconds) * rest.bytesPerRecord() / 1e9;
        }

        double wireBytesPerFrame() {
            return wireBytes / (framesPerSec * seconds);
        }

        double duplicateShare() {
            return (double) duplicateFrames / Math.max(1, ws.frames());
        }
    }

    private final Path repo;
    private final Path work;
    private final int cpu;

    FeedSize(Path repo, Path work, int cpu) {
        this.repo = repo;
        this.work = work;
        this.cpu = cpu;
    }

    Run run(int tokens, boolean compression, int seconds) throws Exception {
        Files.createDirectories(work);
        Path data = Files.createTempDirectory(work, "feed" + (compression ? "-deflate-" : "-plain-"));
        // 0.1 events/s per asset on average: 40,000 tokens give about 4,000 events/s (docs/SIMULATOR.md, rate profile).
        SimConfig config = Feed.universe(tokens)
                .rateProfile(SimConfig.RateProfile.REALISTIC)
                .eventsPerSecondPerAsset(0.1)
                .eventLoops(2)
                .build();
        try (PolymarketSim sim = PolymarketSim.start(config);
                WireCounter relay = new WireCounter(sim.port())) {
            Feed.publishTokens(sim, DataDir.of(data), tokens);
            Map<String, String> env = Feed.collectorEnv(
                    "ws://127.0.0.1:" + relay.port() + "/ws/market",
                    sim.clobUrl(),
                    data,
                    Duration.ofSeconds(60),
                    Map.of("COLLECTOR_WS_COMPRESSION", String.valueOf(compression)));
            try (Service c = Service.start(
                    repo, "collector-svc", "512m", cpu, env, data.resolveSibling(data.getFileName() + ".log"))) {
                c.awaitLive(Duration.ofSeconds(60));
                EndToEnd.await("every token subscribed", Duration.ofSeconds(180), () -> subscribed(sim) >= tokens);
                Thread.sleep(5_000); // past the subscribe snapshots: they are once per connection, not the steady feed
                double f0 = c.metric("collector_frames_total", null);
                long w0 = relay.downstreamBytes();
                long t0 = System.nanoTime();
                double prev = f0;
                double peak = 0;
                for (int i = 0; i < seconds; i++) {
                    Thread.sleep(1000);
                    double now = c.metric("collector_frames_total", null);
                    peak = Math.max(peak, now - prev);
                    prev = now;
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                double fps = (prev - f0) / secs;
                long wire = relay.downstreamBytes() - w0;
                int conns = (int) sim.oracle().connections().stream()
                        .filter(Oracle.ConnectionRecord::open)
                        .count();
                c.terminate();
                long negotiated = Recorded.count(
                        data,
                        "ws_market",
                        l -> l.contains("\"event\":\"connected\"") && l.contains("permessage-deflate"));
                Recorded.Totals ws = Recorded.totals(data, "ws_market");
                Recorded.Totals rest = Recorded.totals(data, "rest_books");
                return new Run(
                        compression, tokens, conns, secs, fps, peak, wire, negotiated, duplicates(data), ws, rest, 60);
            }
        }
    }

    /**
     * Frames whose text another connection also received: a market whose tokens sit on two connections sends each
     * price_change naming both to both (cross-asset delivery, docs/COLLECTOR.md).
     */
    private static long duplicates(Path data) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        long[] dup = new long[1];
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        Recorded.forEachLine(data, "ws_market", line -> {
            int at = line.indexOf(",\"frame\":");
            if (at < 0) {
                return;
            }
            String frame = line.substring(at);
            crc.reset();
            crc.update(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // 64 bits of two independent hashes: collisions among a million frames are negligible (32 would give ~100).
            if (!seen.add(((long) frame.hashCode() << 32) ^ crc.getValue())) {
                dup[0]++;
            }
        });
        return dup[0];
    }

    private static int subscribed(PolymarketSim sim) {
        return sim.oracle().connections().stream()
                .filter(Oracle.ConnectionRecord::open)
                .mapToInt(Oracle.ConnectionRecord::subscribedAssets)
                .sum();
    }

    static void print(PrintStream o, List<Run> runs) {
        o.println(
                "9. Feed size: the collector's defaults vs the simulator's realistic profile (heavy-tailed, bursty), per day");
        o.println(
                "   compression  tokens  conns  frames/s  peak 1 s  dup frames  deflate conns  wire B/frame  ws wire GB/day"
                        + "  ws B/line  ratio  ws disk GB/day  rest B/book  rest disk GB/day (1/min)");
        for (Run r : runs) {
            o.printf(
                    "   %-11s  %6d  %5d  %8.0f  %8.0f  %9.1f%%  %13d  %12.0f  %14.1f  %9.0f  %5.2f  %14.1f  %11.0f  %24.1f%n",
                    r.compressionAsked() ? "asked" : "off",
                    r.tokens(),
                    r.connections(),
                    r.framesPerSec(),
                    r.peakFramesPerSec(),
                    100 * r.duplicateShare(),
                    r.negotiatedConnections(),
                    r.wireBytesPerFrame(),
                    r.wireGbPerDay(),
                    r.ws().bytesPerRecord(),
                    r.ws().ratio(),
                    r.wsDiskGbPerDay(),
                    r.rest().bytesPerRecord(),
                    r.restDiskGbPerDay());
        }
    }
}
