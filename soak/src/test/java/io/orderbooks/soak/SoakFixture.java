package io.orderbooks.soak;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterConfig;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.RunManifest;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Event;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.records.Line;
import io.orderbooks.shared.records.RecordKinds;
import io.orderbooks.sim.FrameDigest;
import io.orderbooks.sim.Oracle;
import io.orderbooks.soak.input.Inputs;
import io.orderbooks.soak.input.SoakDir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A small soak directory that passes every check: one collector connection recorded whole, REST books for two tokens
 * equal to what the "simulator" served, Gamma pages in two hours (the earlier one deleted by retention after verified
 * uploads, so it lives only on the remote), every closed file on the remote, a clean ledger, run manifests, 37
 * samples over 36 min with flat RSS, faults that were applied, and an events log of plain starts and stops. The raw
 * files and manifests are written by shared's {@link RotatingJsonlWriter}, the run manifests by {@link RunManifest},
 * the oracle digests by the simulator's {@link FrameDigest}. Tests then break one thing and reconcile.
 */
final class SoakFixture {
    static final InstanceId INSTANCE = InstanceId.of("soak");
    static final Instant HOUR = Instant.parse("2026-11-24T10:00:00Z");
    static final Instant T0 = HOUR.plusSeconds(60);
    static final long T0_US = T0.toEpochMilli() * 1000;
    static final String CONN = "ws-00.0@abcd";
    static final int FRAMES = 20;
    static final List<String> TOKENS = List.of("1111111111111111111111", "2222222222222222222222");
    static final long START_MS = T0.toEpochMilli() - 10_000;
    static final int SAMPLES = 37;

    final SoakDir dir;
    final DataDir data;
    final List<String> frames = new ArrayList<>();
    final List<List<String>> books = List.of(new ArrayList<>(), new ArrayList<>());
    /** The closed file retention deleted locally (only on the remote). */
    String deletedRel;

    private SoakFixture(Path root) {
        this.dir = SoakDir.of(root);
        this.data = DataDir.of(dir.data());
    }

    static SoakFixture build(Path root) throws IOException {
        SoakFixture f = new SoakFixture(root);
        f.writeRaw();
        f.offload();
        f.runs();
        f.oracle();
        f.logs();
        return f;
    }

    // ---- raw files
    // ---------------------------------------------------------------------------------------------------

    private void writeRaw() throws IOException {
        try (RotatingJsonlWriter ws = writer("ws_market", "collector-svc", T0)) {
            ws.append(Line.event(T0_US, Envelope.event(T0_US, "ws", CONN, Event.CONNECTED, Map.of("assets", 2))));
            for (int i = 0; i < FRAMES; i++) {
                String frame = "{\"event_type\":\"price_change\",\"asset_id\":\"" + TOKENS.get(i % 2)
                        + "\",\"price\":\"0." + (10 + i) + "\"}";
                frames.add(frame);
                long t = T0_US + 1000L * (i + 1);
                ws.append(line(t, TOKENS.get(i % 2), Envelope.ws(t, CONN, i, frame.getBytes(StandardCharsets.UTF_8))));
            }
            long t = T0_US + 30_000_000L;
            ws.append(Line.event(
                    t,
                    Envelope.event(
                            t, "ws", CONN, Event.DISCONNECTED, Map.of("reason", "final stop", "frames", FRAMES))));
        }
        try (RotatingJsonlWriter rest = writer("rest_books", "collector-svc", T0)) {
            for (int round = 0; round < 2; round++) {
                long t = T0_US + 10_000_000L * (round + 1);
                for (int k = 0; k < TOKENS.size(); k++) {
                    String item = "{\"market\":\"0xm\",\"asset_id\":\"" + TOKENS.get(k) + "\",\"hash\":\"h" + round + k
                            + "\",\"bids\":[{\"price\":\"0.4\",\"size\":\"10\"}],\"asks\":[]}";
                    books.get(k).add(item);
                    rest.append(line(
                            t + k,
                            TOKENS.get(k),
                            Envelope.rest(t + k, "r" + round, 200, 5 + round, item.getBytes(StandardCharsets.UTF_8))));
                }
                long e = t + 10;
                rest.append(Line.event(
                        e,
                        Envelope.event(
                                e,
                                "rest",
                                null,
                                Event.SNAPSHOT_ROUND,
                                Map.of(
                                        "planned",
                                        2,
                                        "received",
                                        2,
                                        "missing",
                                        0,
                                        "failed_requests",
                                        0,
                                        "late",
                                        false))));
            }
        }
        Instant earlier = T0.minusSeconds(3600);
        try (RotatingJsonlWriter gamma = writer("gamma_markets", "discovery-svc", earlier)) {
            long t = earlier.toEpochMilli() * 1000;
            gamma.append(line(
                    t, null, Envelope.gamma(t, "g0", 200, 12, "[{\"id\":\"1\"}]".getBytes(StandardCharsets.UTF_8))));
        }
        try (RotatingJsonlWriter gamma = writer("gamma_markets", "discovery-svc", T0)) {
            gamma.append(line(
                    T0_US + 5,
                    null,
                    Envelope.gamma(T0_US + 5, "g1", 200, 12, "[{\"id\":\"1\"}]".getBytes(StandardCharsets.UTF_8))));
        }
    }

    private RotatingJsonlWriter writer(String stream, String service, Instant now) throws IOException {
        return RotatingJsonlWriter.open(
                data,
                WriterConfig.defaults(StreamName.of(stream), INSTANCE),
                new WriterInfo(service, "test", INSTANCE, "run-" + service),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Line line(long recvUs, String asset, byte[] bytes) throws IOException {
        return Line.of(
                recvUs, RecordKinds.kindOf(Json.parse(bytes)), asset == null ? List.of() : List.of(asset), bytes);
    }

    // ---- offload: remote copies, ledger, retention
    // -------------------------------------------------------------------

    private void offload() throws IOException {
        List<String> ledger = new ArrayList<>();
        for (Path p : closedFiles()) {
            String rel = dir.data().relativize(p).toString();
            Path manifest = p.resolveSibling(p.getFileName() + ".manifest.json");
            copy(p, dir.remote().resolve(rel));
            copy(manifest, dir.remote().resolve(rel + ".manifest.json"));
            ledger.add(ledgerLine("upload", "data", rel, "verified", md5(p)));
            ledger.add(ledgerLine("upload", "manifest", rel + ".manifest.json", "verified", md5(manifest)));
            if (rel.contains("hour=09")) { // keep-days 0: the ended hour is deleted locally after the verified uploads
                deletedRel = rel;
                ledger.add(ledgerLine("delete", "data", rel, "deleted", md5(p)));
                Files.delete(p);
                Files.delete(manifest);
            }
        }
        Files.createDirectories(data.ledger().getParent());
        Files.write(data.ledger(), ledger);
    }

    List<Path> closedFiles() throws IOException {
        try (Stream<Path> s = Files.walk(data.raw())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl.gz"))
                    .sorted()
                    .toList();
        }
    }

    static String ledgerLine(String action, String kind, String file, String result, String md5) {
        ObjectNode n = Inputs.JSON
                .createObjectNode()
                .put("time", T0.toString())
                .put("action", action)
                .put("kind", kind)
                .put("file", file)
                .put("md5", md5)
                .put("result", result);
        return n.toString();
    }

    /** Replaces a ledger's lines (the ledger as the fixture wrote it is {@link #ledgerLines()}). */
    void ledger(List<String> lines) throws IOException {
        Files.write(data.ledger(), lines);
    }

    List<String> ledgerLines() throws IOException {
        return Files.readAllLines(data.ledger());
    }

    // ---- runs, oracle, the script's logs
    // -------------------------------------------------------------------------------

    private void runs() throws IOException {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        RunManifest discovery = RunManifest.start(data, "discovery-svc", INSTANCE, "test", Map.of(), clock);
        discovery.counter("runs", 2);
        discovery.counter("runs_published", 2);
        discovery.finish("shutdown");
        RunManifest.start(data, "collector-svc", INSTANCE, "test", Map.of(), clock)
                .finish("shutdown");
        RunManifest.start(data, "offload-svc", INSTANCE, "test", Map.of(), clock)
                .finish("shutdown");
    }

    private void oracle() throws IOException {
        oracle(List.of(connection(FRAMES, FrameDigest.of(frames))));
        List<String> rest = new ArrayList<>();
        for (int k = 0; k < TOKENS.size(); k++) {
            rest.add(Inputs.JSON.writeValueAsString(new Oracle.RestBookRecord(
                    TOKENS.get(k), books.get(k).size(), FrameDigest.of(books.get(k)), "h1" + k)));
        }
        Files.write(dir.oracleRest(), rest);
        sidecar(frames);
    }

    /** The oracle's record of the one connection, as the simulator would give it. */
    static Oracle.ConnectionRecord connection(long frames, String sha) {
        return new Oracle.ConnectionRecord(
                "c1",
                "127.0.0.1:40000",
                T0.toEpochMilli(),
                T0.toEpochMilli() + 30_000,
                "client closed or connection lost",
                frames,
                100 * frames,
                sha,
                0,
                0,
                2,
                2);
    }

    void oracle(List<Oracle.ConnectionRecord> connections) throws IOException {
        Inputs.JSON.writeValue(
                dir.oracle().toFile(),
                new Oracle.Snapshot(
                        Oracle.DIGEST,
                        connections,
                        books.stream().mapToLong(List::size).sum(),
                        0,
                        dir.oracleFrames().toString()));
    }

    /** The sidecar: connection c1's frames as sent. */
    void sidecar(List<String> sent) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            lines.add(Inputs.JSON.writeValueAsString(new Oracle.SidecarFrame("c1", i + 1, sent.get(i))));
        }
        Files.write(dir.oracleFrames(), lines);
    }

    private void logs() throws IOException {
        long end = START_MS + 40 * 60_000L;
        Files.writeString(
                dir.soakEnv(),
                String.join(
                                "\n",
                                "start_utc=20261124T100050Z",
                                "start_ms=" + START_MS,
                                "duration_s=2400",
                                "fault_every_s=600",
                                "sample_every_s=60",
                                "faults=on",
                                "sim_markets=4",
                                "sim_churn_s=600",
                                "discovery_interval_s=300",
                                "snapshot_interval_s=60",
                                "stale_after_s=120",
                                "silence_s=150",
                                "offload_interval_s=300",
                                "offload_keep_days=0",
                                "rclone_outage_s=330",
                                "rss_growth_limit_mb_per_h=64",
                                "oracle_frames=on",
                                "instance=soak",
                                "java=openjdk version \"25\"",
                                "rclone=rclone v1.60.1",
                                "host=test",
                                "git=abc1234",
                                "end_ms=" + end,
                                "stop_reason=completed",
                                "final_flush_backlog_empty=yes")
                        + "\n");
        List<String> events = new ArrayList<>();
        String[] services = {"sim", "rclone", "discovery", "collector", "offload"};
        for (int i = 0; i < services.length; i++) {
            events.add(event(START_MS + i, services[i], "start", String.valueOf(1000 + i), ""));
        }
        for (int i = 0; i < services.length; i++) {
            events.add(event(end - 5000 + i, services[i], "stop-TERM", String.valueOf(1000 + i), "final"));
        }
        Files.write(dir.eventsLog(), events);
        Files.write(
                dir.faultsLog(),
                List.of(
                        fault(
                                T0.toEpochMilli() + 600_000,
                                1,
                                "silence seconds=150",
                                "{\"applied\":\"silence 150s all\"}"),
                        fault(
                                T0.toEpochMilli() + 1_200_000,
                                1,
                                "http status=429 count=3 scope=clob",
                                "{\"applied\":\"http 429 x3 CLOB\"}")));
        samples((svc, i) -> 100_000.0);
        Files.createDirectories(dir.processLog("offload").getParent());
        Files.writeString(dir.processLog("offload"), "offload run: backlog=0 rclone=ok\n");
    }

    static String event(long ms, String service, String event, String pid, String detail) {
        return String.join("\t", Instant.ofEpochMilli(ms).toString(), String.valueOf(ms), service, event, pid, detail);
    }

    static String fault(long ms, long cycle, String fault, String detail) {
        return String.join(
                "\t", Instant.ofEpochMilli(ms).toString(), String.valueOf(ms), String.valueOf(cycle), fault, detail);
    }

    /** Samples every 60 s over 36 min; RSS (kB) per service and sample index from {@code rss}, all probes answering. */
    void samples(RssModel rss) throws IOException {
        samples(rss, (svc, i) -> "1");
    }

    interface RssModel {
        double kb(String svc, int i);
    }

    interface UpModel {
        String up(String svc, int i);
    }

    void samples(RssModel rss, UpModel up) throws IOException {
        String[] services = {"sim", "rclone", "discovery", "collector", "offload"};
        StringBuilder header = new StringBuilder("utc,epoch_s");
        for (String s : services) {
            header.append(",")
                    .append(s)
                    .append("_pid,")
                    .append(s)
                    .append("_rss_kb,")
                    .append(s)
                    .append("_cpu_s,")
                    .append(s)
                    .append("_fds,")
                    .append(s)
                    .append("_threads,")
                    .append(s)
                    .append("_up");
        }
        header.append(
                ",data_bytes,disk_free_bytes,open_files,closed_files,ledger_verified,offload_pending,sim_frames_sent,sim_open_connections,tokens");
        List<String> rows = new ArrayList<>(List.of(header.toString()));
        for (int i = 0; i < SAMPLES; i++) {
            long epoch = START_MS / 1000 + 60L * i;
            StringBuilder r = new StringBuilder(Instant.ofEpochSecond(epoch) + "," + epoch);
            for (int k = 0; k < services.length; k++) {
                r.append(",")
                        .append(1000 + k)
                        .append(",")
                        .append((long) rss.kb(services[k], i))
                        .append(",")
                        .append(i * 0.5)
                        .append(",50,20,")
                        .append(up.up(services[k], i));
            }
            r.append(",")
                    .append(1_000_000 + i)
                    .append(",50000000000,1,4,")
                    .append(2 * i)
                    .append(",0,")
                    .append(10 * i)
                    .append(",1,4");
            rows.add(r.toString());
        }
        Files.write(dir.samples(), rows);
    }

    // ---- helpers
    // -----------------------------------------------------------------------------------------------------

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }

    static String md5(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw file of a stream in the fixture's hour (data dir). */
    Path local(String stream) throws IOException {
        return closedFiles().stream()
                .filter(p -> p.toString().contains("/" + stream + "/")
                        && p.toString().contains("hour=10"))
                .findFirst()
                .orElseThrow();
    }

    static byte[] gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
