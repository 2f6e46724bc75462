package io.orderbooks.report;

import io.orderbooks.report.model.HourRange;
import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterConfig;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.RunManifest;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Event;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.records.Line;
import io.orderbooks.shared.records.RecordKinds;
import io.orderbooks.shared.testing.MutableClock;
import io.orderbooks.shared.testing.SampleLines;
import io.orderbooks.shared.testing.TempDataDir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data dir filled by the project's own writer ({@link RotatingJsonlWriter}), envelopes ({@link Envelope}) and run
 * manifests, exactly as the services write them; and the report run over it in-process.
 */
final class Fixture implements AutoCloseable {
    static final Instant H10 = Instant.parse("2026-11-24T10:00:00Z");
    static final String VPS1 = "vps1";

    final TempDataDir temp = TempDataDir.create();
    final DataDir dir = temp.dataDir();
    final MutableClock clock = new MutableClock(H10);
    private final List<Writer> writers = new ArrayList<>();

    /** Microseconds of {@code 2026-11-24T10:00Z} plus the given seconds. */
    static long us(double secondsAfter10) {
        return HourRange.micros(H10) + Math.round(secondsAfter10 * 1_000_000);
    }

    Writer writer(StreamName stream, String instance) throws IOException {
        String service = stream.equals(StreamName.GAMMA_MARKETS) ? "discovery-svc" : "collector-svc";
        InstanceId id = InstanceId.of(instance);
        WriterInfo info =
                new WriterInfo(service, "0.1.0", id, "20261124T100000Z-" + instance + "-0001", Map.of("shard", "0/1"));
        Writer w = new Writer(RotatingJsonlWriter.open(dir, WriterConfig.defaults(stream, id), info, clock));
        writers.add(w);
        return w;
    }

    Writer ws() throws IOException {
        return writer(StreamName.WS_MARKET, VPS1);
    }

    RunManifest run(String service, String instance) throws IOException {
        return RunManifest.start(dir, service, InstanceId.of(instance), "0.1.0", Map.of(), clock);
    }

    Path root() {
        return temp.root();
    }

    /** The report's outcome: exit code, stdout, stderr. */
    record Result(int code, String out, String err) {}

    Result report(String... args) {
        List<String> all = new ArrayList<>(List.of("--data-dir", root().toString()));
        all.addAll(List.of(args));
        return reportRaw(all.toArray(String[]::new));
    }

    Result reportRaw(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ReportCommand.run(
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                clock);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        for (Writer w : writers) {
            w.close();
        }
        temp.close();
    }

    /** One stream's writer with the lines each service writes. */
    static final class Writer implements AutoCloseable {
        final RotatingJsonlWriter writer;
        private boolean closed;

        Writer(RotatingJsonlWriter writer) {
            this.writer = writer;
        }

        Writer append(Line line) {
            try {
                writer.append(line);
            } catch (io.orderbooks.shared.files.WriterException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        Writer event(long us, String src, String conn, Event name, Map<String, ?> fields) {
            return append(Line.event(us, Envelope.event(us, src, conn, name, fields)));
        }

        Writer connected(long us, String conn) {
            return event(us, "ws", conn, Event.CONNECTED, Map.of("assets", 2, "url", "ws://sim/ws/market"));
        }

        Writer disconnected(long us, String conn, long frames) {
            return event(
                    us,
                    "ws",
                    conn,
                    Event.DISCONNECTED,
                    Map.of("reason", "closed by server", "assets", 2, "frames", frames));
        }

        Writer frame(long us, String conn, long seq) {
            return append(SampleLines.wsPriceChange(us, conn, seq));
        }

        /** Frames {@code fromSeq..toSeq}, one every {@code stepS} seconds from {@code startUs}. */
        Writer frames(String conn, long fromSeq, long toSeq, long startUs, double stepS) {
            for (long s = fromSeq; s <= toSeq; s++) {
                frame(startUs + Math.round((s - fromSeq) * stepS * 1_000_000), conn, s);
            }
            return this;
        }

        Writer notJson(long us, String conn, long seq) {
            return append(Line.of(
                    us,
                    RecordKinds.UNPARSED,
                    List.of(),
                    Envelope.wsText(us, conn, seq, "{\"truncated", "Unexpected end-of-input")));
        }

        Writer gap(long us, String src, String conn, long fromUs, long toUs, String reason, Map<String, ?> fields) {
            Gap g = new Gap(conn, fromUs, toUs, reason);
            return append(Line.gap(us, g, Envelope.gap(us, src, g, fields)));
        }

        Writer book(long us) {
            return book(us, null);
        }

        /** A REST book; with {@code timestampMs} (the book's {@code timestamp}) replay can compare it (section 9). */
        Writer book(long us, Long timestampMs) {
            String ts = timestampMs == null ? "" : "\"timestamp\":\"" + timestampMs + "\",";
            byte[] item = ("{\"market\":\"" + SampleLines.MARKET + "\",\"asset_id\":\"" + SampleLines.ASSET
                            + "\"," + ts + "\"hash\":\"ab\",\"bids\":[{\"price\":\"0.4\",\"size\":\"10\"}],"
                            + "\"asks\":[]}")
                    .getBytes(StandardCharsets.UTF_8);
            return append(Line.of(
                    us, RecordKinds.BOOK, List.of(SampleLines.ASSET), Envelope.rest(us, "books#1.0", 200, 12, item)));
        }

        Writer restError(long us, int status) {
            return append(Line.of(
                    us,
                    RecordKinds.ERROR,
                    List.of(),
                    Envelope.restError(us, "books#1.1", status, 30, "HTTP " + status)));
        }

        Writer snapshotRound(long us, int planned, int received, int failed, boolean late) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("round", 1);
            f.put("why", "schedule");
            f.put("planned", planned);
            f.put("received", received);
            f.put("missing", planned - received);
            f.put("missing_sample", List.of("123"));
            f.put("requests", 1);
            f.put("failed_requests", failed);
            f.put("duration_ms", 40);
            f.put("late", late);
            return event(us, "rest", null, Event.SNAPSHOT_ROUND, f);
        }

        Writer rateLimited(long us, String src, String endpoint) {
            return append(
                    Line.event(us, Envelope.rateLimited(us, src, "req#1", endpoint, 5, Map.of("retry_after", "1"))));
        }

        Writer requestFailed(long us, String src, String endpoint, int status) {
            return append(Line.event(
                    us, Envelope.requestFailed(us, src, "req#1", endpoint, status, 1, 5, "HTTP " + status, Map.of())));
        }

        Writer page(long us) {
            return append(Line.of(
                    us,
                    RecordKinds.MARKETS_PAGE,
                    List.of(),
                    Envelope.gamma(
                            us,
                            "page#1",
                            200,
                            50,
                            "{\"markets\":[],\"next_cursor\":null}".getBytes(StandardCharsets.UTF_8))));
        }

        Writer gammaError(long us, int status) {
            return append(Line.of(
                    us, RecordKinds.ERROR, List.of(), Envelope.gammaError(us, "page#2", status, 50, "HTTP " + status)));
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                writer.close();
            }
        }
    }
}
