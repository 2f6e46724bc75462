package io.orderbooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Json;
import io.orderbooks.sim.PolymarketSim;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Phase {@code replay} of {@code make bench} (docs/PERFORMANCE.md §11): how fast {@code orderbooks replay} and
 * {@code export} read a recording, next to the bare gzip decompression of the same files (the ceiling: every reader
 * must at least inflate the bytes), and how much memory replay needs with 40,000 books open. Replay and export run as
 * operators run them, {@code java -jar replay/target/orderbooks-replay.jar}, pinned to one CPU; their own counts come
 * from the replay's {@code --report} JSON, the heap after GC from the JVM's GC log, the RSS from {@code /proc}.
 */
final class ReplayBench {
    /** One measured run of the jar. */
    record Run(
            String what,
            long records,
            long frames,
            double seconds,
            double startupSeconds,
            double heapAfterGcMiB,
            double maxRssMiB,
            int books) {
        double framesPerSecond() {
            return frames / Math.max(1e-9, seconds - startupSeconds);
        }

        double recordsPerSecond() {
            return records / Math.max(1e-9, seconds - startupSeconds);
        }

        @Override
        public String toString() {
            return String.format(
                    "%s: %,d records (%,d frames) in %.1f s (%.1f s of it JVM start-up): %,.0f frames/s, %,.0f records/s; "
                            + "heap after GC %.0f MiB, max RSS %.0f MiB, %,d books",
                    what,
                    records,
                    frames,
                    seconds,
                    startupSeconds,
                    framesPerSecond(),
                    recordsPerSecond(),
                    heapAfterGcMiB,
                    maxRssMiB,
                    books);
        }
    }

    /** Bare decompression of the same files in this JVM, one thread: the ceiling of any reader. */
    record Ceiling(long files, long lines, long compressedBytes, long bytes, double seconds) {
        double linesPerSecond() {
            return lines / seconds;
        }

        @Override
        public String toString() {
            return String.format(
                    "gzip only: %,d files, %,d lines, %.1f MB -> %.1f MB in %.2f s: %,.0f lines/s, %.0f MB/s inflated",
                    files, lines, compressedBytes / 1e6, bytes / 1e6, seconds, linesPerSecond(), bytes / 1e6 / seconds);
        }
    }

    /** Everything the phase measured. */
    record Result(
            int tokens, double recordedSeconds, Ceiling ceiling, Run replay, Run export, Ceiling bigCeiling, Run big) {}

    private static final Pattern GC_AFTER = Pattern.compile("->([0-9]+)M\\(");

    private final Path repo;
    private final Path work;
    private final int cpu;
    private final EndToEnd e2e;

    ReplayBench(Path repo, Path work, int cpu, EndToEnd e2e) {
        this.repo = repo;
        this.work = work;
        this.cpu = cpu;
        this.e2e = e2e;
    }

    static Path jar(Path repo) {
        return repo.resolve("replay/target/orderbooks-replay.jar");
    }

    /**
     * @param keep where to keep the recording for the next run (system property {@code bench.replay.data}), or null:
     *     a dir that already holds one is replayed as it is (nothing recorded), so that before/after figures of a
     *     change read the very same files; an absent one receives this run's recording. Null: recorded, then deleted.
     */
    Result run(int tokens, double eventsPerAsset, int recordSeconds, int bigTokens, Path keep) throws Exception {
        Path recorded;
        if (keep != null && Files.isDirectory(keep.resolve("raw"))) {
            recorded = keep;
            Bench.progress("replay: reusing the recording in " + keep);
        } else {
            recorded = e2e.record(tokens, eventsPerAsset, Duration.ofSeconds(15), recordSeconds);
            if (keep != null) {
                Files.createDirectories(keep.toAbsolutePath().getParent());
                recorded = Files.move(recorded, keep);
            }
        }
        Path big = work.resolve("replay-40k");
        try {
            Ceiling ceiling = gunzip(recorded);
            Bench.progress(ceiling);
            double startup = startup();
            Run replay = Bench.progress(replay("replay (--output none)", recorded, startup));
            Run export = Bench.progress(export(recorded, startup, replay));
            writeRestBooks(big, bigTokens);
            Ceiling bigCeiling = gunzip(big);
            Run books = Bench.progress(replay("replay, " + bigTokens + " books open", big, startup));
            return new Result(tokens, recordSeconds, ceiling, replay, export, bigCeiling, books);
        } finally {
            if (keep == null) {
                EndToEnd.cleanup(recorded);
            }
            EndToEnd.cleanup(big);
        }
    }

    /** Every closed data file of the dir inflated to nowhere, counting lines. */
    static Ceiling gunzip(Path dataDir) throws IOException {
        List<Path> files = closedFiles(dataDir);
        long t0 = System.nanoTime();
        long lines = 0;
        long bytes = 0;
        long compressed = 0;
        byte[] buf = new byte[1 << 16];
        for (Path f : files) {
            compressed += Files.size(f);
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f), 1 << 16)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
        }
        return new Ceiling(files.size(), lines, compressed, bytes, (System.nanoTime() - t0) / 1e9);
    }

    private static List<Path> closedFiles(Path dataDir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String s : List.of("rest_books", "ws_market")) {
            Path root = dataDir.resolve("raw").resolve(s);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> w = Files.walk(root)) {
                w.filter(p -> p.getFileName().toString().endsWith(".jsonl.gz"))
                        .sorted()
                        .forEach(out::add);
            }
        }
        return out;
    }

    /** JVM start-up and exit of the jar ({@code --help}), subtracted from each run's time. */
    private double startup() throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            Process p = start(List.of("--help"), work.resolve("replay-help.log"), null);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("replay --help failed");
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    private Run replay(String what, Path dataDir, double startup) throws Exception {
        Path report = work.resolve("replay-report.json");
        Path gc = work.resolve("replay-gc.log");
        Measured m = measure(
                List.of(
                        "--data",
                        dataDir.toString(),
                        "--output",
                        "none",
                        "--no-progress",
                        "--report",
                        report.toString()),
                gc);
        JsonNode r = Json.parse(Files.readAllBytes(report));
        return new Run(
                what,
                r.at("/counts/records").asLong(),
                r.at("/counts/ws_frames").asLong() + r.at("/counts/rest_books").asLong(),
                m.seconds,
                startup,
                heapAfterGc(gc),
                m.maxRssMiB,
                r.get("tokens").size());
    }

    private Run export(Path dataDir, double startup, Run replay) throws Exception {
        Path out = work.resolve("replay-export");
        EndToEnd.cleanup(out);
        Path gc = work.resolve("export-gc.log");
        Measured m = measure(
                List.of("export", "--data", dataDir.toString(), "--out", out.toString(), "--grid", "event"), gc);
        JsonNode manifest = Json.parse(Files.readAllBytes(out.resolve("export-manifest.json")));
        Run run = new Run(
                "export (--grid event, " + manifest.at("/rows/total").asLong() + " rows)",
                replay.records(),
                replay.frames(),
                m.seconds,
                startup,
                heapAfterGc(gc),
                m.maxRssMiB,
                manifest.at("/rows/tokens").asInt());
        EndToEnd.cleanup(out);
        return run;
    }

    private record Measured(double seconds, double maxRssMiB) {}

    private Measured measure(List<String> args, Path gcLog) throws Exception {
        Files.deleteIfExists(gcLog);
        Path log = work.resolve("replay-run.log");
        long t0 = System.nanoTime();
        Process p = start(args, log, gcLog);
        double maxRss = 0;
        while (p.isAlive()) {
            maxRss = Math.max(maxRss, hwmMiB(p.pid()));
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("replay " + args + " exited " + p.exitValue() + ": "
                    + Files.readString(log).lines().limit(5).toList());
        }
        return new Measured(seconds, maxRss);
    }

    private Process start(List<String> args, Path log, Path gcLog) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (cpu >= 0 && Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            cmd.addAll(List.of("/usr/bin/taskset", "-c", String.valueOf(cpu)));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        if (gcLog != null) {
            cmd.add("-Xlog:gc:file=" + gcLog);
        }
        cmd.addAll(List.of("-jar", jar(repo).toString()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** The largest heap occupancy right after a collection (MiB), from {@code -Xlog:gc}: the live set, at most. */
    static double heapAfterGc(Path gcLog) throws IOException {
        double max = 0;
        if (!Files.exists(gcLog)) {
            return Double.NaN;
        }
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_AFTER.matcher(line);
            if (m.find()) {
                max = Math.max(max, Double.parseDouble(m.group(1)));
            }
        }
        return max;
    }

    private static double hwmMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between isAlive and the read
        }
        return 0;
    }

    /**
     * A data dir whose one {@code rest_books} file holds a REST book for each of {@code tokens} simulator tokens (the
     * simulator's own books, ~10 levels a side), in the contract's envelope: replaying it opens that many books.
     */
    static void writeRestBooks(Path dataDir, int tokens) throws Exception {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        RawFile f = new RawFile(StreamName.REST_BOOKS, hour, InstanceId.of("bench"), 1);
        Path path = DataDir.of(dataDir).closedPath(f);
        Files.createDirectories(path.getParent());
        try (PolymarketSim sim = PolymarketSim.start(Feed.universe(tokens).build());
                OutputStream out = new GZIPOutputStream(Files.newOutputStream(path), 1 << 16)) {
            List<String> ids = sim.universe().openTokenIds().stream()
                    .sorted()
                    .limit(tokens)
                    .toList();
            long us = hour.getEpochSecond() * 1_000_000L + 1_000_000L;
            for (String id : ids) {
                byte[] book =
                        sim.universe().book(id).orElseThrow().summaryJson().getBytes(StandardCharsets.UTF_8);
                out.write(Envelope.rest(us++, "books#1", 200, 5, book)); // the envelope ends the line
            }
        }
    }
}
