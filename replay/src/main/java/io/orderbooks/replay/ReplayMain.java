package io.orderbooks.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.InvalidMark;
import io.orderbooks.shared.manifests.Marks;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code orderbooks replay}: a plain Java command (no Quarkus: it has nothing to inject or configure, so it starts
 * in a fraction of the time of a Quarkus command-mode app and ships as one jar). stdout carries only the book lines;
 * the progress line and the check summary go to stderr (docs/REPLAY.md). A first argument {@code export} runs
 * {@link ExportMain} instead: the same books as Parquet (docs/EXPORT.md); {@code mark} and {@code marks} run
 * {@link MarkCommand}: mark raw data invalid, list the marks (docs/OPERATIONS.md §6).
 */
public final class ReplayMain {
    private ReplayMain() {}

    public static void main(String[] args) {
        PrintStream err = System.err;
        int code = run(args, System.getenv(), System.out, err);
        System.out.flush();
        System.exit(code);
    }

    static int run(String[] args, Map<String, String> env, OutputStream stdout, PrintStream err) {
        if (args.length > 0 && args[0].equals("export")) {
            return ExportMain.run(Arrays.copyOfRange(args, 1, args.length), env, stdout, err);
        }
        if (args.length > 0 && (args[0].equals("mark") || args[0].equals("marks"))) {
            return MarkCommand.run(args[0], Arrays.copyOfRange(args, 1, args.length), env, stdout, err);
        }
        Options o;
        try {
            o = Options.parse(args, env);
        } catch (UsageException e) {
            err.println("replay: " + e.getMessage());
            err.println("(replay --help shows every option and an example)");
            return e.exitCode;
        }
        if (o.help()) {
            err.flush();
            PrintStream p = new PrintStream(stdout, true, StandardCharsets.UTF_8);
            p.print(Options.USAGE);
            p.flush();
            return 0;
        }
        try {
            return replay(o, stdout, err);
        } catch (UsageException e) {
            err.println("replay: " + e.getMessage());
            return e.exitCode;
        } catch (IOException | UncheckedIOException e) {
            err.println("replay: " + e);
            return 3;
        }
    }

    private static int replay(Options o, OutputStream stdout, PrintStream err) throws IOException, UsageException {
        if (!Files.isDirectory(o.dataDir())) {
            throw new UsageException("data dir " + o.dataDir() + " does not exist (--data DIR, or DATA_DIR)", 3);
        }
        Instant[] present = RecordSource.hoursPresent(o.dataDir());
        if (present == null) {
            throw new UsageException(
                    "no closed rest_books or ws_market files under "
                            + o.dataDir().resolve("raw")
                            + " (only *.jsonl.gz files are read; an .open file is still being written)",
                    3);
        }
        Instant from = o.from() != null ? o.from() : present[0];
        Instant to = o.to() != null ? o.to() : present[1].plus(1, ChronoUnit.HOURS);
        if (!from.isBefore(to)) {
            throw new UsageException("--from " + from + " is not before --to " + to, 2);
        }
        Instant readFrom = from.minus(o.warmup());
        long fromUs = micros(from);
        RecordSource source =
                new RecordSource(o.dataDir(), micros(readFrom), micros(to), w -> err.println("replay: warning: " + w));
        if (source.allFiles().isEmpty()) {
            throw new UsageException(
                    "no data between " + readFrom + " and " + to + " in " + o.dataDir() + ": closed files cover "
                            + present[0] + " to " + present[1].plus(1, ChronoUnit.HOURS),
                    3);
        }
        Writer w = o.out() == null
                ? new OutputStreamWriter(stdout, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(o.out(), StandardCharsets.UTF_8);
        int code;
        try (Writer out = new BufferedWriter(w, 1 << 16)) {
            Output output = new Output(o.output(), o.format(), out, fromUs);
            ReplayEngine engine = new ReplayEngine(o.tokens() == null ? t -> true : o.tokens()::contains, output);
            Progress progress = new Progress("replay", err, o.progress(), micros(readFrom), micros(to));
            MarkFilter marks =
                    new MarkFilter(Marks.read(DataDir.of(o.dataDir())), micros(readFrom), micros(to), rec -> {
                        engine.accept(rec);
                        progress.tick(rec.path("recv_us").asLong(), engine, source);
                    });
            marks.describe(err, "replay");
            source.forEach(marks);
            progress.done();
            output.flush();
            Map<String, Object> report = report(o, from, to, engine, source, output);
            report.put("marks", marks.toMap());
            printSummary(err, engine, from, to);
            if (marks.hoursMarked() > 0) {
                err.printf(
                        Locale.ROOT,
                        "marked invalid: %,d hour(s) not used (%,d records), by %d mark(s): %s%n",
                        marks.hoursMarked(),
                        marks.recordsNotUsed,
                        marks.applied().size(),
                        String.join(
                                ", ",
                                marks.applied().stream().map(InvalidMark::id).toList()));
            }
            if (o.report() != null) {
                new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValue(o.report().toFile(), report);
            }
            code = o.strict() && engine.total().anyDisagreement() ? 1 : 0;
            if (o.tokens() != null) {
                List<String> missing = o.tokens().stream()
                        .filter(t -> !engine.books().containsKey(t))
                        .toList();
                if (!missing.isEmpty()) {
                    err.println("replay: no data for token(s) " + String.join(", ", missing) + " between " + readFrom
                            + " and " + to + " (not subscribed then, or not in this data dir's shard)");
                    code = 3;
                }
            }
        }
        return code;
    }

    static Map<String, Object> report(
            Options o, Instant from, Instant to, ReplayEngine engine, RecordSource source, Output output) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("schema", "orderbooks.replay-report/1");
        r.put("data_dir", o.dataDir().toString());
        r.put("from", from.toString());
        r.put("to", to.toString());
        r.put("warmup_s", o.warmup().toSeconds());
        ReplayEngine.Counts c = engine.counts;
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("records", c.records);
        counts.put("ws_frames", c.frames);
        counts.put("events", c.events);
        counts.put("rest_books", c.restBooks);
        counts.put("gaps", c.gaps);
        counts.put("seq_holes", c.seqHoles);
        counts.put("unparsed_frames", c.unparsedFrames);
        counts.put("unreadable_entries", c.unreadableEntries);
        counts.put("skipped_other_connection", c.skippedOtherConnection);
        counts.put("skipped_older_than_book", c.skippedStale);
        counts.put("rest_too_old_to_restore", c.restTooOld);
        counts.put("damaged_files", c.damagedFiles);
        counts.put("became_unknown", c.unknownBecause);
        counts.put("lines_written", output.lines);
        r.put("counts", counts);
        r.put("total", engine.total().toMap());
        Map<String, Object> tokens = new LinkedHashMap<>();
        engine.tallies().forEach((k, v) -> tokens.put(k, v.toMap()));
        r.put("tokens", tokens);
        return r;
    }

    private static void printSummary(PrintStream err, ReplayEngine engine, Instant from, Instant to) {
        ReplayEngine.Counts c = engine.counts;
        Tally t = engine.total();
        err.printf(
                Locale.ROOT,
                "replay: %s .. %s: %,d records (%,d websocket frames, %,d REST books), %,d tokens%n",
                from,
                to,
                c.records,
                c.frames,
                c.restBooks,
                engine.books().size());
        err.printf(
                Locale.ROOT,
                "hash check: %,d checked, %,d agreed (%s), %,d disagreed, %,d not checkable%s%n",
                t.hashChecked,
                t.hashAgreed,
                pct(t.hashAgreed, t.hashChecked),
                t.hashDisagreed,
                t.hashNotCheckable,
                reasons(t.notCheckableReasons));
        err.printf(
                Locale.ROOT,
                "REST vs rebuilt (same timestamp): %,d compared, %,d agreed, %,d disagreed, %,d not comparable%s%n",
                t.restCompared,
                t.restAgreed,
                t.restDisagreed,
                t.restNotComparable,
                reasons(t.notComparableReasons));
        err.printf(
                Locale.ROOT,
                "REST books vs their own hash: %,d agreed, %,d disagreed; best bid/ask of price_change entries: %,d agreed, %,d disagreed%n",
                t.restSelfAgreed,
                t.restSelfDisagreed,
                t.topAgreed,
                t.topDisagreed);
        if (!c.unknownBecause.isEmpty() || c.seqHoles > 0 || c.unparsedFrames > 0 || c.damagedFiles > 0) {
            err.printf(
                    Locale.ROOT,
                    "books made unknown:%s; seq holes %,d, unparsed frames %,d, unreadable entries %,d, damaged files %,d%n",
                    reasons(c.unknownBecause),
                    c.seqHoles,
                    c.unparsedFrames,
                    c.unreadableEntries,
                    c.damagedFiles);
        }
        List<Map.Entry<String, Tally>> rows = new ArrayList<>(engine.tallies().entrySet());
        rows.sort(Comparator.comparing(
                        (Map.Entry<String, Tally> e) -> !e.getValue().anyDisagreement())
                .thenComparing(e -> -e.getValue().hashChecked));
        int shown = Math.min(rows.size(), 20);
        if (shown > 0) {
            err.printf("per token (%d of %d: disagreements first, then the most checked):%n", shown, rows.size());
            err.printf(
                    "  %-24s %10s %10s %10s %10s %10s %10s%n",
                    "token", "checked", "agreed", "disagreed", "not-check", "rest-agree", "rest-disag");
            for (Map.Entry<String, Tally> e : rows.subList(0, shown)) {
                Tally x = e.getValue();
                err.printf(
                        Locale.ROOT,
                        "  %-24s %,10d %,10d %,10d %,10d %,10d %,10d%n",
                        abbreviate(e.getKey()),
                        x.hashChecked,
                        x.hashAgreed,
                        x.hashDisagreed,
                        x.hashNotCheckable,
                        x.restAgreed,
                        x.restDisagreed);
            }
        }
        int firsts = 0;
        for (Map.Entry<String, Tally> e : rows) {
            if (e.getValue().firstDisagreement != null && firsts++ < 5) {
                err.println("first disagreement of " + e.getKey() + ": " + e.getValue().firstDisagreement);
            }
        }
        if (firsts > 5) {
            err.println("(" + (firsts - 5) + " more tokens disagreed: see --report FILE for each first disagreement)");
        }
    }

    private static String reasons(Map<String, Long> m) {
        if (m.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        m.forEach((k, v) -> sb.append(sb.length() > 2 ? "; " : "")
                .append(k)
                .append(' ')
                .append(String.format(Locale.ROOT, "%,d", v)));
        return sb.append(')').toString();
    }

    private static String pct(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.3f %%", 100.0 * part / whole);
    }

    private static String abbreviate(String id) {
        return id.length() <= 24 ? id : id.substring(0, 10) + "…" + id.substring(id.length() - 10);
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }
}
