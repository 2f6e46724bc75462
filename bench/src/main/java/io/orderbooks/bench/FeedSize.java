package io.orderbooks.bench;

import io.orderbooks.shared.DataDir;
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
    /** One run; {@code wireBytes} are the server's bytes to the collector over all websocket connections. */
    record Run(boolean compressionAsked, int tokens, int connections, double seconds, double framesPerSec,
               double peakFramesPerSec, long wireBytes, long negotiatedConnections, Recorded.Totals ws, Recorded.Totals rest) {
        double perDay(double bytes) {
            return bytes / seconds * 86_400 / 1e9;
        }

        double wireGbPerDay() {
            return perDay(wireBytes);
        }

        double diskGbPerDay() {
            return perDay(ws.bytes() + rest.bytes());
        }

        double wireBytesPerFrame() {
            return (double) wireBytes / Math.max(1, ws.frames());
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
        SimConfig config = Feed.universe(tokens).rateProfile(SimConfig.RateProfile.REALISTIC).eventsPerSecondPerAsset(0.1)
                .eventLoops(2).build();
        try (PolymarketSim sim = PolymarketSim.start(config); WireCounter relay = new WireCounter(sim.port())) {
            Feed.publishTokens(sim, DataDir.of(data), tokens);
            Map<String, String> env = Feed.collectorEnv("ws://127.0.0.1:" + relay.port() + "/ws/market", sim.clobUrl(), data,
                    Duration.ofSeconds(60), Map.of("COLLECTOR_WS_COMPRESSION", String.valueOf(compression)));
            try (Service c = Service.start(repo, "collector-svc", "512m", cpu, env, data.resolveSibling(data.getFileName() + ".log"))) {
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
                int conns = (int) sim.oracle().connections().stream().filter(Oracle.ConnectionRecord::open).count();
                c.terminate();
                long negotiated = Recorded.count(data, "ws_market", l -> l.contains("\"event\":\"connected\"")
                        && l.contains("permessage-deflate"));
                // Disk per second of the whole run (snapshots and the subscribe burst included, as in production).
                double allSecs = (System.nanoTime() - c.startedNanos) / 1e9;
                Recorded.Totals ws = Recorded.totals(data, "ws_market");
                Recorded.Totals rest = Recorded.totals(data, "rest_books");
                return new Run(compression, tokens, conns, secs, fps, peak, (long) (wire * (allSecs / secs)), negotiated,
                        ws, rest);
            }
        }
    }

    private static int subscribed(PolymarketSim sim) {
        return sim.oracle().connections().stream().filter(Oracle.ConnectionRecord::open)
                .mapToInt(Oracle.ConnectionRecord::subscribedAssets).sum();
    }

    static void print(PrintStream o, List<Run> runs) {
        o.println("9. Feed size: the collector's defaults vs the simulator's realistic profile (heavy-tailed, bursty), per day");
        o.println("   compression  tokens  conns  frames/s  peak 1 s  deflate conns  wire B/frame  wire GB/day  disk GB/day (ws+rest)  ws B/line  ratio");
        for (Run r : runs) {
            o.printf("   %-11s  %6d  %5d  %8.0f  %8.0f  %13d  %12.0f  %11.1f  %21.1f  %9.0f  %5.2f%n", r.compressionAsked() ? "asked" : "off",
                    r.tokens(), r.connections(), r.framesPerSec(), r.peakFramesPerSec(), r.negotiatedConnections(), r.wireBytesPerFrame(),
                    r.wireGbPerDay(), r.diskGbPerDay(), r.ws().bytesPerRecord(), r.ws().ratio());
        }
    }
}
