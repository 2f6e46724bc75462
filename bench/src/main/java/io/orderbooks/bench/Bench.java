package io.orderbooks.bench;

import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Entry point of {@code make bench}: captures a realistic frame corpus, runs the JMH benchmarks, the end-to-end
 * runs against the simulator, memory, disk and start-up measurements, and prints one summary.
 * <pre>
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) io.orderbooks.bench.Bench [phase ...]
 * </pre>
 * Phases: {@code micro compression e2e ramp latency memory startup feed replay shards} (default: all). System properties: {@code bench.repo}
 * (repository root, default .), {@code bench.out} (default bench/target/bench), {@code bench.cpu} (CPU the
 * collector is pinned to, default 1; -1 = not pinned), {@code bench.feed.tokens} and {@code bench.feed.seconds} (phase
 * feed: 40,000 tokens, 240 s per run), {@code bench.replay.tokens}, {@code bench.replay.seconds} and
 * {@code bench.replay.books} (phase replay: a 1,000-token recording of 60 s, 40,000 books open), {@code
 * bench.replay.data} (phase replay: keep the recording in this dir, or replay the one already there),
 * {@code bench.shards.tokens} and {@code bench.shards.seconds} (phase shards: 1,000 tokens, 60 s per run).
 */
public final class Bench {
    private static final List<String> ALL =
            List.of("micro", "compression", "e2e", "ramp", "latency", "memory", "startup", "feed", "replay", "shards");
    /** Phases that run the collector jar. */
    private static final Set<String> COLLECTOR_PHASES =
            Set.of("e2e", "ramp", "latency", "memory", "startup", "feed", "replay", "shards");
    /** Ramp steps (total frames/s over all connections); each connection count stops at its first failing step. */
    static final int[] RAMP_RATES = {30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 100_000, 110_000};

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Path repo =
                Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        Path out = Path.of(System.getProperty(
                "bench.out", repo.resolve("bench/target/bench").toString()));
        int cpu = Integer.getInteger("bench.cpu", 1);
        Set<String> phases = new LinkedHashSet<>(args.length == 0 ? ALL : List.of(args));
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
        summary.corpus(
                Corpus.meanBytes(Corpus.load(corpus, Corpus.PRICE_CHANGE)),
                Corpus.meanBytes(Corpus.load(corpus, Corpus.BOOK)));
        if (phases.contains("micro")) {
            long t = System.nanoTime();
            summary.micro = Micro.run(corpus, work, "io.orderbooks.*Bench.*", 2, 3, 3);
            summary.phaseSeconds.put("micro", (System.nanoTime() - t) / 1e9);
        }
        if (phases.contains("compression")) {
            long t = System.nanoTime();
            summary.compression = Compression.run(corpus, 0.4);
            summary.compression.forEach(Bench::progress);
            summary.phaseSeconds.put("compression", (System.nanoTime() - t) / 1e9);
        }
        EndToEnd e2e = new EndToEnd(repo, work, cpu);
        if (phases.stream().anyMatch(COLLECTOR_PHASES::contains) && !Files.exists(Service.jar(repo, "collector-svc"))) {
            throw new IllegalStateException("no collector jar: build it first (make bench does)");
        }
        if (phases.contains("e2e")) {
            long t = System.nanoTime();
            summary.throughput.add(progress(e2e.saturation(1, true, 5, 8)));
            summary.throughput.add(progress(e2e.saturation(1, false, 5, 8)));
            summary.throughput.add(progress(e2e.saturation(4, true, 5, 8)));
            summary.throughput.add(progress(e2e.saturation(16, true, 5, 8)));
            summary.phaseSeconds.put("e2e", (System.nanoTime() - t) / 1e9);
        }
        if (phases.contains("ramp")) {
            long t = System.nanoTime();
            for (int conns : new int[] {1, 4, 16}) {
                summary.ramp.put(conns, e2e.ramp(conns, RAMP_RATES, 2, 5));
            }
            summary.phaseSeconds.put("ramp", (System.nanoTime() - t) / 1e9);
        }
        if (phases.contains("latency")) {
            long t = System.nanoTime();
            summary.latency.add(
                    progress(e2e.latency(5_000, "defaults (readable-within 50 ms, flush 1 s)", Map.of(), 3, 10)));
            summary.latency.add(progress(e2e.latency(
                    5_000,
                    "COLLECTOR_FILES_READABLE_WITHIN=1s (SYNC_FLUSH at each 1 s fsync, as before)",
                    Map.of("COLLECTOR_FILES_READABLE_WITHIN", "1s"),
                    3,
                    10)));
            summary.latency.add(progress(e2e.latency(
                    5_000,
                    "COLLECTOR_FILES_FLUSH_INTERVAL=20ms (fsync and SYNC_FLUSH every 20 ms)",
                    Map.of("COLLECTOR_FILES_FLUSH_INTERVAL", "20ms"),
                    3,
                    10)));
            summary.phaseSeconds.put("latency", (System.nanoTime() - t) / 1e9);
        }
        if (phases.contains("memory")) {
            long t = System.nanoTime();
            EndToEnd.Disk[] disk = new EndToEnd.Disk[1];
            summary.memory.add(progress(e2e.memory(1_000, 1.0, Duration.ofSeconds(15), 35, disk)));
            summary.disk = disk[0];
            summary.memory.add(progress(e2e.memory(10_000, 0.1, Duration.ofSeconds(30), 35, null)));
            summary.memory.add(progress(e2e.memory(40_000, 0.05, Duration.ofSeconds(30), 40, null)));
            summary.phaseSeconds.put("memory", (System.nanoTime() - t) / 1e9);
        }
        if (phases.contains("startup")) {
            long t = System.nanoTime();
            try (PolymarketSim sim = PolymarketSim.start(
                    SimConfig.builder().markets(50).eventLoops(1).build())) {
                for (String[] svc :
                        new String[][] {{"discovery-svc", "256m"}, {"collector-svc", "512m"}, {"offload-svc", "256m"}
                        }) {
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
            summary.phaseSeconds.put("startup", (System.nanoTime() - t) / 1e9);
        }
        if (phases.contains("feed")) {
            long t = System.nanoTime();
            FeedSize feed = new FeedSize(repo, work, cpu);
            int tokens = Integer.getInteger("bench.feed.tokens", 40_000);
            int seconds = Integer.getInteger("bench.feed.seconds", 240);
            summary.feed.add(progress(feed.run(tokens, true, seconds)));
            summary.feed.add(progress(feed.run(tokens, false, seconds)));
            summary.phaseSeconds.put("feed", (System.nanoTime() - t) / 1e9);
        }
        if (phases.contains("replay")) {
            long t = System.nanoTime();
            if (!Files.exists(ReplayBench.jar(repo))) {
                summary.notes.add("replay: no jar " + ReplayBench.jar(repo) + " (make bench builds it), not measured");
            } else {
                summary.replay = new ReplayBench(repo, work, cpu, e2e)
                        .run(
                                Integer.getInteger("bench.replay.tokens", 1_000),
                                2.0,
                                Integer.getInteger("bench.replay.seconds", 60),
                                Integer.getInteger("bench.replay.books", 40_000),
                                System.getProperty("bench.replay.data") == null
                                        ? null
                                        : Path.of(System.getProperty("bench.replay.data")));
            }
            summary.phaseSeconds.put("replay", (System.nanoTime() - t) / 1e9);
        }
        if (phases.contains("shards")) {
            long t = System.nanoTime();
            ShardOverlap overlap = new ShardOverlap(repo, work);
            int tokens = Integer.getInteger("bench.shards.tokens", 1_000);
            int seconds = Integer.getInteger("bench.shards.seconds", 60);
            for (String key : List.of("token", "market")) {
                for (int n : new int[] {2, 3}) {
                    summary.shards.add(progress(overlap.run(tokens, n, key, seconds)));
                }
            }
            summary.phaseSeconds.put("shards", (System.nanoTime() - t) / 1e9);
        }
        summary.totalSeconds = (System.nanoTime() - t0) / 1e9;
        summary.print(System.out);
        try (PrintStream f = new PrintStream(Files.newOutputStream(out.resolve("summary.txt")))) {
            summary.print(f);
        }
    }

    static <T> T progress(T result) {
        System.out.println("bench: " + result);
        return result;
    }

    static void printReplay(PrintStream o, ReplayBench.Result r) {
        o.printf(
                "11. Reading the recording back (replay jar pinned to one CPU; JVM start-up subtracted; gzip in the bench JVM)%n");
        o.printf(
                "   a) the collector's recording of %,d tokens, %.0f s of the simulator's feed:%n",
                r.tokens(), r.recordedSeconds());
        o.println(
                "   reader                              frames/s   records/s  vs gzip  heap after GC MiB  max RSS MiB");
        double ceiling = r.ceiling().linesPerSecond();
        o.printf(
                "   %-34s %9s  %,10.0f  %6.0f %%  %17s  %11s%n",
                "gzip -d only (the ceiling)", "-", ceiling, 100.0, "-", "-");
        for (ReplayBench.Run x : List.of(r.replay(), r.export())) {
            o.printf(
                    "   %-34s %,9.0f  %,10.0f  %6.0f %%  %17.0f  %11.0f%n",
                    x.what(),
                    x.framesPerSecond(),
                    x.recordsPerSecond(),
                    100 * x.recordsPerSecond() / ceiling,
                    x.heapAfterGcMiB(),
                    x.maxRssMiB());
        }
        ReplayBench.Run b = r.big();
        o.printf(
                "   b) %,d books open (one REST book each, ~10 levels a side): %,d books, heap after GC %.0f MiB (%.1f KiB/book), max RSS %.0f MiB, %.1f s%n",
                b.books(),
                b.books(),
                b.heapAfterGcMiB(),
                b.heapAfterGcMiB() * 1024 / Math.max(1, b.books()),
                b.maxRssMiB(),
                b.seconds());
        o.printf("   %s; %s%n", r.ceiling(), r.bigCeiling());
    }

    /** Everything measured, printed as one table. */
    static final class Summary {
        final Path repo;
        final int cpu;
        double pcBytes;
        double bookBytes;
        List<Micro.Score> micro = List.of();
        final List<EndToEnd.Throughput> throughput = new ArrayList<>();
        final Map<Integer, List<EndToEnd.Step>> ramp = new LinkedHashMap<>();
        List<Compression.Row> compression = List.of();
        final Map<String, Double> phaseSeconds = new LinkedHashMap<>();
        final List<EndToEnd.Latency> latency = new ArrayList<>();
        final List<EndToEnd.Memory> memory = new ArrayList<>();
        EndToEnd.Disk disk;
        final List<EndToEnd.Startup> startup = new ArrayList<>();
        final List<FeedSize.Run> feed = new ArrayList<>();
        final List<ShardOverlap.Run> shards = new ArrayList<>();
        ReplayBench.Result replay;
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
            return micro.stream()
                    .filter(s -> s.benchmark().equals(bench)
                            && s.kind().equals(kind)
                            && (level == null || level.equals(s.level())))
                    .findFirst()
                    .orElse(null);
        }

        void print(PrintStream o) {
            o.println();
            o.println("================================ make bench: summary ================================");
            o.printf(
                    "machine: %s, %d CPUs (shared with other builds), %s; JVM %s; collector pinned to CPU %d%n",
                    Machine.cpuModel(), Machine.cpus(), Machine.memory(), Runtime.version(), cpu);
            o.printf(
                    "corpus: simulator frames, price_change mean %.0f B, book mean %.0f B (envelope adds ~70 B)%n",
                    pcBytes, bookBytes);
            if (!micro.isEmpty()) {
                o.println();
                o.println(
                        "1. Writer path (envelope + Line + append: lock, gzip, digests, stats, flusher) vs bare GZIPOutputStream, one thread");
                o.println("   frame         level  writer frames/s   MB/s   bare gzip frames/s   MB/s   writer/bare");
                for (String kind : List.of(Corpus.PRICE_CHANGE, Corpus.BOOK)) {
                    for (String level : List.of("6", "1")) {
                        Micro.Score w = score("WriterBench.writerPath", kind, level);
                        Micro.Score b = score("WriterBench.bareGzip", kind, level);
                        if (w == null || b == null) {
                            continue;
                        }
                        double lineBytes = (kind.equals(Corpus.BOOK) ? bookBytes : pcBytes) + 70;
                        o.printf(
                                "   %-13s %5s  %8.0f ±%-6.0f %6.1f   %8.0f ±%-6.0f   %6.1f   %5.0f %%%n",
                                kind,
                                level,
                                w.score(),
                                w.error(),
                                w.score() * lineBytes / 1e6,
                                b.score(),
                                b.error(),
                                b.score() * lineBytes / 1e6,
                                100 * w.score() / b.score());
                    }
                }
                o.println("   per-frame work on the event loop (ns/frame):");
                for (String kind : List.of(Corpus.PRICE_CHANGE, Corpus.BOOK)) {
                    Micro.Score i = score("HotPathBench.inspect", kind, null);
                    Micro.Score e = score("HotPathBench.envelope", kind, null);
                    Micro.Score r = score("HotPathBench.receive", kind, null);
                    if (i != null && e != null && r != null) {
                        o.printf(
                                "   %-13s inspect %5.0f ±%-4.0f envelope %5.0f ±%-4.0f inspect+envelope+Line %5.0f ±%-4.0f%n",
                                kind, i.score(), i.error(), e.score(), e.error(), r.score(), r.error());
                    }
                }
            }
            if (!throughput.isEmpty()) {
                o.println();
                o.println(
                        "2. End to end, unlimited firehose, collector on one core, gzip level 6 (price_change frames, 400 assets/connection)");
                o.println(
                        "   backpressure on (default): a half-full queue pauses reading the socket; off: a full queue drops (gap records)");
                o.println(
                        "   conns  backpressure  received/s  written/s  lost (gaps)  read paused  CPU s/M written  CPU used  max queue  file ratio");
                for (EndToEnd.Throughput t : throughput) {
                    o.printf(
                            "   %5d  %12s  %,10.0f  %,9.0f  %,11d  %9.0f %%  %15.1f  %6.0f %%  %,9d  %10.1f%n",
                            t.connections(),
                            t.backpressure() ? "on" : "off",
                            t.receivedPerSec(),
                            t.writtenPerSec(),
                            t.lost(),
                            100 * t.pausedShare(),
                            t.cpuSecondsPerMillion(),
                            100 * t.cpuUtilisation(),
                            t.maxDepth(),
                            t.ratio());
                }
            }
            if (!ramp.isEmpty()) {
                o.println();
                o.println(
                        "3. Rate ramp: where the collector starts to queue (rate changed on the running simulator; kept up = >= 97 % of the");
                o.println(
                        "   offered rate received and the queue under 5,000 lines; each connection count stops at its first failing step)");
                o.println(
                        "   conns  offered/s  received/s  max queue  CPU s/M frames  CPU used  result                busiest threads");
                for (List<EndToEnd.Step> steps : ramp.values()) {
                    for (EndToEnd.Step s : steps) {
                        o.printf(
                                "   %5d  %,9d  %,10.0f  %,9d  %14.1f  %7.0f %%  %-20s  %s%n",
                                s.connections(),
                                s.offered(),
                                s.receivedPerSec(),
                                s.maxDepth(),
                                s.cpuSecondsPerMillion(),
                                100 * s.cpuUtilisation(),
                                s.keptUp() ? "kept up" : "FELL BEHIND",
                                s.threads());
                    }
                }
                o.println("   conns  sustained frames/s  starts to queue at  CPU s/M frames at sustained");
                for (Map.Entry<Integer, List<EndToEnd.Step>> e : ramp.entrySet()) {
                    EndToEnd.Step last = e.getValue().stream()
                            .filter(EndToEnd.Step::keptUp)
                            .reduce((a, b) -> b)
                            .orElse(null);
                    EndToEnd.Step first = e.getValue().stream()
                            .filter(x -> !x.keptUp())
                            .findFirst()
                            .orElse(null);
                    o.printf(
                            "   %5d  %18s  %18s  %27s%n",
                            e.getKey(),
                            last == null
                                    ? "none (< " + String.format("%,d", RAMP_RATES[0]) + ")"
                                    : String.format("%,d", last.offered()),
                            first == null
                                    ? "> " + String.format("%,d", RAMP_RATES[RAMP_RATES.length - 1])
                                    : String.format("%,d", first.offered()),
                            last == null ? "-" : String.format("%.1f", last.cpuSecondsPerMillion()));
                }
            }
            if (!latency.isEmpty()) {
                o.println();
                o.println("4. Receive-to-readable-on-disk latency (recv_us -> line decodable in the .open file)");
                o.println(
                        "   offered/s  conns  samples   p50 ms   p99 ms  p99.9 ms   max ms  CPU s/M frames  collector settings");
                for (EndToEnd.Latency l : latency) {
                    o.printf(
                            "   %9d  %5d  %7d  %7.1f  %7.1f  %8.1f  %7.1f  %14.1f  %s%n",
                            l.offered(),
                            l.connections(),
                            l.samples(),
                            l.p50() / 1e3,
                            l.p99() / 1e3,
                            l.p999() / 1e3,
                            l.max() / 1e3,
                            l.cpuSecondsPerMillion(),
                            l.settings());
                }
            }
            if (!memory.isEmpty()) {
                o.println();
                o.println(
                        "5. Collector resident memory (-Xmx512m as in compose), REST rounds + websocket, realistic rates");
                o.println("   tokens  ws connections  ws-subscribed  frames/s  REST books  RSS MiB  max RSS MiB");
                for (EndToEnd.Memory m : memory) {
                    o.printf(
                            "   %6d  %14d  %13d  %8.0f  %10d  %7.0f  %11.0f%n",
                            m.tokens(),
                            m.connections(),
                            m.subscribed(),
                            m.framesPerSec(),
                            m.restBooks(),
                            m.rssMiB(),
                            m.maxRssMiB());
                    if (m.subscribed() < m.tokens()) {
                        notes.add(m.tokens() + " tokens: only " + m.connections() + " websocket connections opened, "
                                + (m.tokens() - m.subscribed())
                                + " tokens without websocket data (Vert.x WebSocketClientOptions "
                                + "maxConnections defaults to 50 per host; see docs/PERFORMANCE.md)");
                    }
                }
            }
            if (disk != null) {
                o.println();
                o.printf(
                        "6. Bytes on disk (%d tokens, %.0f s, simulator books of ~10 levels/side)%n",
                        disk.tokens(), disk.seconds());
                double perBook = disk.rest().bytesPerRecord();
                double framesPerTokenSec = disk.ws().frames() / (double) disk.tokens() / disk.seconds();
                double wsLine = disk.ws().bytesPerRecord();
                o.printf(
                        "   rest_books: %.0f B/book on disk, ratio %.1f -> %.2f MB/token/day at one snapshot per 60 s%n",
                        perBook, disk.rest().ratio(), perBook * 1440 / 1e6);
                o.printf(
                        "   ws_market:  %.0f B/line on disk, ratio %.1f -> %.1f MB/token/day at 1 frame/s/token (%.2f frames/s/token here: %.1f MB)%n",
                        wsLine,
                        disk.ws().ratio(),
                        wsLine * 86400 / 1e6,
                        framesPerTokenSec,
                        wsLine * framesPerTokenSec * 86400 / 1e6);
            }
            if (!startup.isEmpty()) {
                o.println();
                o.println(
                        "7. Start-up and idle RSS, JVM mode (native: no GraalVM/Mandrel on this machine, not measured)");
                o.println("   service         start->live s  Quarkus 'started in' s  idle RSS MiB (15 s)");
                for (EndToEnd.Startup s : startup) {
                    o.printf(
                            "   %-15s %13.2f  %22.2f  %19.0f%n",
                            s.service(), s.liveSeconds(), s.quarkusSeconds(), s.idleRssMiB());
                }
            }
            if (!compression.isEmpty()) {
                o.println();
                o.println(
                        "8. Compression of the corpus (frames in their envelopes): gzip level and SYNC_FLUSH cadence vs file size, one thread");
                o.println(
                        "   GZIPOutputStream(64 KiB, syncFlush) behind 64 KiB gathering, as the writer; ratio = uncompressed / compressed bytes");
                for (String kind : List.of(Corpus.PRICE_CHANGE, Corpus.BOOK)) {
                    List<Compression.Row> rows = compression.stream()
                            .filter(r -> r.kind().equals(kind))
                            .toList();
                    if (rows.isEmpty()) {
                        continue;
                    }
                    Compression.Row base = rows.stream()
                            .filter(r -> r.level() == 6 && r.flushEvery() == Compression.NEVER)
                            .findFirst()
                            .orElse(rows.getFirst());
                    o.printf("   %s: %d lines, %.0f B/line uncompressed%n", kind, base.lines(), base.rawBytesPerLine());
                    o.println(
                            "   level  SYNC_FLUSH every  ratio  B/line on disk  vs level 6 never  MB/token/day at 1 line/s  frames/s");
                    for (Compression.Row r : rows) {
                        o.printf(
                                "   %5d  %16s  %5.2f  %14.1f  %+15.1f %%  %24.2f  %8.0f%n",
                                r.level(),
                                r.flushEvery() == Compression.NEVER
                                        ? "never"
                                        : r.flushEvery() + (r.flushEvery() == 1 ? " line" : " lines"),
                                r.ratio(),
                                r.bytesPerLine(),
                                100 * (r.bytesPerLine() / base.bytesPerLine() - 1),
                                r.bytesPerLine() * 86400 / 1e6,
                                r.framesPerSec());
                    }
                }
                o.println(
                        "   lines per SYNC_FLUSH in the collector = lines/s of the stream x readable-within (default 50 ms):");
                o.println("   5,000/s -> 250 lines, 1,000/s -> 50, 100/s -> 5, 20/s or less -> 1");
            }
            if (!feed.isEmpty()) {
                o.println();
                FeedSize.print(o, feed);
            }
            if (replay != null) {
                o.println();
                printReplay(o, replay);
            }
            if (!shards.isEmpty()) {
                o.println();
                ShardOverlap.print(o, shards);
            }
            notes.forEach(n -> o.println("note: " + n));
            o.printf(
                    "%nmake bench: phases took %.0f s%s%n",
                    totalSeconds,
                    phaseSeconds.isEmpty()
                            ? ""
                            : " ("
                                    + String.join(
                                            ", ",
                                            phaseSeconds.entrySet().stream()
                                                    .map(e -> String.format("%s %.0f s", e.getKey(), e.getValue()))
                                                    .toList())
                                    + ")");
        }
    }
}
