package io.orderbooks.bench;

import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Entry point of {@code make bench}: captures a realistic frame corpus, runs the JMH benchmarks, the end-to-end
 * runs against the simulator, memory, disk and start-up measurements, and prints one summary.
 * <pre>
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) io.orderbooks.bench.Bench [phase ...]
 * </pre>
 * Phases: {@code micro e2e ramp latency memory startup} (default: all). System properties: {@code bench.repo}
 * (repository root, default .), {@code bench.out} (default bench/target/bench), {@code bench.cpu} (CPU the
 * collector is pinned to, default 1; -1 = not pinned).
 */
public final class Bench {
    private static final Set<String> ALL = Set.of("micro", "e2e", "ramp", "latency", "memory", "startup");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        Path out = Path.of(System.getProperty("bench.out", repo.resolve("bench/target/bench").toString()));
        int cpu = Integer.getInteger("bench.cpu", 1);
        Set<String> phases = new LinkedHashSet<>(args.length == 0 ? List.of("micro", "e2e", "ramp", "latency", "memory", "startup") : List.of(args));
        for (String p : phases) {
            if (!ALL.contains(p)) {
                throw new IllegalArgumentException("unknown phase " + p + "; phases: " + ALL);
            }
        }
        long t0 = System.nanoTime();
        Path corpus = out.resolve("corpus");
        Path work = out.resolve("work");
        Files.createDirectories(work);
        Summary summary = new Summary(repo, cpu);

        Corpus.capture(corpus, 2000, 20);
        summary.corpus(Corpus.meanBytes(Corpus.load(corpus, Corpus.PRICE_CHANGE)), Corpus.meanBytes(Corpus.load(corpus, Corpus.BOOK)));
        if (phases.contains("micro")) {
            summary.micro = Micro.run(corpus, work, "io.orderbooks.*Bench.*", 2, 3, 3);
        }
        EndToEnd e2e = new EndToEnd(repo, work, cpu);
        if (!Files.exists(Service.jar(repo, "collector-svc"))) {
            throw new IllegalStateException("no collector jar: build it first (make bench does)");
        }
        if (phases.contains("e2e")) {
            for (int run = 0; run < 3; run++) {
                summary.throughput.add(progress(e2e.saturation(1, 5, 8)));
            }
            summary.throughput.add(progress(e2e.saturation(4, 5, 8)));
            summary.throughput.add(progress(e2e.saturation(16, 5, 8)));
        }
        if (phases.contains("ramp")) {
            summary.ramp = e2e.ramp(new int[] {10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 100_000}, 2, 5);
        }
        if (phases.contains("latency")) {
            summary.latency.add(progress(e2e.latency(5_000, Duration.ofMillis(20), 3, 10)));
            summary.latency.add(progress(e2e.latency(5_000, Duration.ofMillis(20), 3, 10)));
            summary.latency.add(progress(e2e.latency(5_000, Duration.ofSeconds(1), 3, 10)));
        }
        if (phases.contains("memory")) {
            EndToEnd.Disk[] disk = new EndToEnd.Disk[1];
            summary.memory.add(progress(e2e.memory(1_000, 1.0, Duration.ofSeconds(15), 35, disk)));
            summary.disk = disk[0];
            summary.memory.add(progress(e2e.memory(10_000, 0.1, Duration.ofSeconds(30), 35, null)));
            summary.memory.add(progress(e2e.memory(40_000, 0.05, Duration.ofSeconds(30), 40, null)));
        }
        if (phases.contains("startup")) {
            try (PolymarketSim sim = PolymarketSim.start(SimConfig.builder().markets(50).eventLoops(1).build())) {
                for (String[] svc : new String[][] {{"discovery-svc", "256m"}, {"collector-svc", "512m"}, {"offload-svc", "256m"}}) {
                    if (!Files.exists(Service.jar(repo, svc[0]))) {
                        summary.notes.add(svc[0] + ": no jar (build failed or skipped), start-up not measured");
                        continue;
                    }
                    for (int run = 0; run < 2; run++) {
                        try {
                            summary.startup.add(progress(e2e.startup(svc[0], svc[1], sim, 15)));
                        } catch (RuntimeException e) {
                            summary.notes.add(svc[0] + ": start-up failed: " + e.getMessage());
                            break;
                        }
                    }
                }
            }
        }
        summary.totalSeconds = (System.nanoTime() - t0) / 1e9;
        summary.print(System.out);
        try (PrintStream f = new PrintStream(Files.newOutputStream(out.resolve("summary.txt")))) {
            summary.print(f);
        }
    }

    private static <T> T progress(T result) {
        System.out.println("bench: " + result);
        return result;
    }

    /** Everything measured, printed as one table. */
    static final class Summary {
        final Path repo;
        final int cpu;
        double pcBytes;
        double bookBytes;
        List<Micro.Score> micro = List.of();
        final List<EndToEnd.Throughput> throughput = new ArrayList<>();
        List<EndToEnd.Step> ramp = List.of();
        final List<EndToEnd.Latency> latency = new ArrayList<>();
        final List<EndToEnd.Memory> memory = new ArrayList<>();
        EndToEnd.Disk disk;
        final List<EndToEnd.Startup> startup = new ArrayList<>();
        final Set<String> notes = new LinkedHashSet<>();
        double totalSeconds;

        Summary(Path repo, int cpu) {
            this.repo = repo;
            this.cpu = cpu;
        }

        void corpus(double pc, double book) {
            pcBytes = pc;
            bookBytes = book;
        }

        private Micro.Score score(String bench, String kind, String level) {
            return micro.stream().filter(s -> s.benchmark().equals(bench) && s.kind().equals(kind)
                    && (level == null || level.equals(s.level()))).findFirst().orElse(null);
        }

        void print(PrintStream o) {
            o.println();
            o.println("================================ make bench: summary ================================");
            o.printf("machine: %s, %d CPUs (shared with other builds), %s; JVM %s; collector pinned to CPU %d%n", Machine.cpuModel(),
                    Machine.cpus(), Machine.memory(), Runtime.version(), cpu);
            o.printf("corpus: simulator frames, price_change mean %.0f B, book mean %.0f B (envelope adds ~70 B)%n", pcBytes, bookBytes);
            if (!micro.isEmpty()) {
                o.println();
                o.println("1. Writer path (envelope + Line + append: lock, gzip, digests, stats, flusher) vs bare GZIPOutputStream, one thread");
                o.println("   frame         level  writer frames/s   MB/s   bare gzip frames/s   MB/s   writer/bare");
                for (String kind : List.of(Corpus.PRICE_CHANGE, Corpus.BOOK)) {
                    for (String level : List.of("6", "1")) {
                        Micro.Score w = score("WriterBench.writerPath", kind, level);
                        Micro.Score b = score("WriterBench.bareGzip", kind, level);
                        if (w == null || b == null) {
                            continue;
                        }
                        double lineBytes = (kind.equals(Corpus.BOOK) ? bookBytes : pcBytes) + 70;
                        o.printf("   %-13s %5s  %8.0f ±%-6.0f %6.1f   %8.0f ±%-6.0f   %6.1f   %5.0f %%%n", kind, level, w.score(), w.error(),
                                w.score() * lineBytes / 1e6, b.score(), b.error(), b.score() * lineBytes / 1e6, 100 * w.score() / b.score());
                    }
                }
                o.println("   per-frame work on the event loop (ns/frame):");
                for (String kind : List.of(Corpus.PRICE_CHANGE, Corpus.BOOK)) {
                    Micro.Score i = score("HotPathBench.inspect", kind, null);
                    Micro.Score e = score("HotPathBench.envelope", kind, null);
                    Micro.Score r = score("HotPathBench.receive", kind, null);
                    if (i != null && e != null && r != null) {
                        o.printf("   %-13s inspect %5.0f ±%-4.0f envelope %5.0f ±%-4.0f inspect+envelope+Line %5.0f ±%-4.0f%n", kind,
                                i.score(), i.error(), e.score(), e.error(), r.score(), r.error());
                    }
                }
            }
            if (!throughput.isEmpty()) {
                o.println();
                o.println("2. End to end, unlimited firehose, collector on one core, gzip level 6 (price_change frames, 400 assets/connection)");
                o.println("   conns  received/s  written/s  lost     CPU s/M frames  CPU used  max queue  file ratio");
                for (EndToEnd.Throughput t : throughput) {
                    o.printf("   %5d  %10.0f  %9.0f  %-7d  %14.1f  %7.0f %%  %9d  %9.1f%n", t.connections(), t.receivedPerSec(),
                            t.writtenPerSec(), t.lost(), t.cpuSecondsPerMillion(), 100 * t.cpuUtilisation(), t.maxDepth(), t.ratio());
                }
            }
            if (!ramp.isEmpty()) {
                o.println();
                o.println("3. Rate ramp, 1 connection: where the collector starts to queue");
                o.println("   offered/s  received/s  max queue  CPU s/M frames  CPU used  result");
                for (EndToEnd.Step s : ramp) {
                    o.printf("   %9d  %10.0f  %9d  %14.1f  %7.0f %%  %s%n", s.offered(), s.receivedPerSec(), s.maxDepth(),
                            s.cpuSecondsPerMillion(), 100 * s.cpuUtilisation(), s.keptUp() ? "kept up" : "FELL BEHIND (queues)");
                }
                EndToEnd.Step last = ramp.stream().filter(EndToEnd.Step::keptUp).reduce((a, b) -> b).orElse(null);
                EndToEnd.Step first = ramp.stream().filter(s -> !s.keptUp()).findFirst().orElse(null);
                o.printf("   sustained: %s; starts to queue at: %s%n", last == null ? "none" : String.format("%,d frames/s", last.offered()),
                        first == null ? "not reached (above the highest step)" : String.format("%,d frames/s", first.offered()));
            }
            if (!latency.isEmpty()) {
                o.println();
                o.println("4. Receive-to-readable-on-disk latency (recv_us -> line decodable in the .open file), 4 connections");
                o.println("   offered/s  flush interval  samples   p50 ms   p99 ms  p99.9 ms   max ms  CPU s/M frames");
                for (EndToEnd.Latency l : latency) {
                    o.printf("   %9d  %14s  %7d  %7.1f  %7.1f  %8.1f  %7.1f  %14.1f%n", l.offered(), l.flushInterval().toMillis() + " ms",
                            l.samples(), l.p50() / 1e3, l.p99() / 1e3, l.p999() / 1e3, l.max() / 1e3, l.cpuSecondsPerMillion());
                }
            }
            if (!memory.isEmpty()) {
                o.println();
                o.println("5. Collector resident memory (-Xmx512m as in compose), REST rounds + websocket, realistic rates");
                o.println("   tokens  ws connections  ws-subscribed  frames/s  REST books  RSS MiB  max RSS MiB");
                for (EndToEnd.Memory m : memory) {
                    o.printf("   %6d  %14d  %13d  %8.0f  %10d  %7.0f  %11.0f%n", m.tokens(), m.connections(), m.subscribed(),
                            m.framesPerSec(), m.restBooks(), m.rssMiB(), m.maxRssMiB());
                    if (m.subscribed() < m.tokens()) {
                        notes.add(m.tokens() + " tokens: only " + m.connections() + " websocket connections opened, "
                                + (m.tokens() - m.subscribed()) + " tokens without websocket data (Vert.x WebSocketClientOptions "
                                + "maxConnections defaults to 50 per host; see docs/PERFORMANCE.md)");
                    }
                }
            }
            if (disk != null) {
                o.println();
                o.printf("6. Bytes on disk (%d tokens, %.0f s, simulator books of ~10 levels/side)%n", disk.tokens(), disk.seconds());
                double perBook = disk.rest().bytesPerRecord();
                double framesPerTokenSec = disk.ws().frames() / (double) disk.tokens() / disk.seconds();
                double wsLine = disk.ws().bytesPerRecord();
                o.printf("   rest_books: %.0f B/book on disk, ratio %.1f -> %.2f MB/token/day at one snapshot per 60 s%n", perBook,
                        disk.rest().ratio(), perBook * 1440 / 1e6);
                o.printf("   ws_market:  %.0f B/line on disk, ratio %.1f -> %.1f MB/token/day at 1 frame/s/token (%.2f frames/s/token here: %.1f MB)%n",
                        wsLine, disk.ws().ratio(), wsLine * 86400 / 1e6, framesPerTokenSec, wsLine * framesPerTokenSec * 86400 / 1e6);
            }
            if (!startup.isEmpty()) {
                o.println();
                o.println("7. Start-up and idle RSS, JVM mode (native: no GraalVM/Mandrel on this machine, not measured)");
                o.println("   service         start->live s  Quarkus 'started in' s  idle RSS MiB (15 s)");
                for (EndToEnd.Startup s : startup) {
                    o.printf("   %-15s %13.2f  %22.2f  %19.0f%n", s.service(), s.liveSeconds(), s.quarkusSeconds(), s.idleRssMiB());
                }
            }
            notes.forEach(n -> o.println("note: " + n));
            o.printf("%nmake bench: phases took %.0f s%n", totalSeconds);
        }
    }
}
