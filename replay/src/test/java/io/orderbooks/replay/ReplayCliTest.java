package io.orderbooks.replay;

import static io.orderbooks.replay.Rec.entry;
import static io.orderbooks.replay.Rec.hash;
import static io.orderbooks.replay.Rec.priceChange;
import static io.orderbooks.replay.ReplayEngineTest.A;
import static io.orderbooks.replay.ReplayEngineTest.M;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.WriterInfo;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command over a small data dir written here in the layout of docs/DATA-FORMAT.md §1. */
class ReplayCliTest {
    @TempDir
    Path dir;
    /** 2025-11-24T16:00:00Z */
    static final long HOUR_US = 1_764_000_000_000_000L - 1_764_000_000_000_000L % 3_600_000_000L;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ReplayMain.run(args, Map.of(), out, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> book(String ts, List<String> bids, List<String> asks) {
        return Rec.summary(M, A, ts, bids, asks, "5", "0.01", false, "0.5");
    }

    private void file(String stream, String name, List<JsonNode> records) throws Exception {
        Path f = dir.resolve("raw")
                .resolve(stream)
                .resolve("dt=2025-11-24")
                .resolve("hour=16")
                .resolve(name);
        Files.createDirectories(f.getParent());
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            for (JsonNode r : records) {
                o.write((r.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** A REST book, then on the websocket one change that agrees and a second that does not. */
    private void writeData() throws Exception {
        Map<String, Object> b0 = book("1000", List.of("0.40:10"), List.of("0.60:10"));
        Map<String, Object> b1 = book("1001", List.of("0.40:10", "0.41:2"), List.of("0.60:10"));
        file(
                "rest_books",
                "rest_books-20251124T16Z-t-0001.jsonl.gz",
                List.of(Rec.rest(HOUR_US + 1_000, Rec.restItem(b0))));
        file(
                "ws_market",
                "ws_market-20251124T16Z-t-0001.jsonl.gz",
                List.of(
                        Rec.event(HOUR_US + 500, "ws", Rec.CONN, "connected", "\"assets\":1"),
                        Rec.ws(
                                HOUR_US + 2_000,
                                0,
                                priceChange(M, "1001", entry(A, "0.41", "2", "BUY", hash(b1), "0.41", "0.60"))),
                        Rec.ws(
                                HOUR_US + 3_000,
                                1,
                                priceChange(M, "1002", entry(A, "0.42", "1", "BUY", "e".repeat(40), "0.42", "0.60")))));
    }

    @Test
    void helpShowsAWorkedExample() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("usage:", "example:", "--output top --format csv", "exit code");
    }

    @Test
    void clearErrors() throws Exception {
        assertThat(run("--bogus")).isEqualTo(2);
        assertThat(stderr()).contains("unknown argument: --bogus", "--help");
        assertThat(run("--data", dir.toString(), "--tokens", "12x")).isEqualTo(2);
        assertThat(stderr()).contains("not a token id");
        assertThat(run("--data", dir.resolve("nope").toString())).isEqualTo(3);
        assertThat(stderr()).contains("does not exist");
        assertThat(run("--data", dir.toString())).isEqualTo(3);
        assertThat(stderr()).contains("no closed rest_books or ws_market files");
        writeData();
        assertThat(run("--data", dir.toString(), "--from", "2025-11-25", "--to", "2025-11-26"))
                .isEqualTo(3);
        assertThat(stderr())
                .contains(
                        "no data between 2025-11-25T00:00:00Z and 2025-11-26T00:00:00Z",
                        "closed files cover 2025-11-24T16:00:00Z to 2025-11-24T17:00:00Z");
        assertThat(run("--data", dir.toString(), "--tokens", "123", "--output", "none"))
                .isEqualTo(3);
        assertThat(stderr()).contains("no data for token(s) 123");
    }

    @Test
    void booksAsJsonlWithTheCheckSummaryOnStderrAndStrictFailsOnTheDisagreement() throws Exception {
        writeData();
        // an .open file is never read
        Files.writeString(
                dir.resolve("raw/ws_market/dt=2025-11-24/hour=16/ws_market-20251124T16Z-t-0002.jsonl.gz.open"),
                "garbage");
        Path report = dir.resolve("r.json");
        assertThat(run("--data", dir.toString(), "--report", report.toString(), "--no-progress"))
                .isZero();
        List<JsonNode> lines = stdout().lines().map(Rec::parse).toList();
        assertThat(lines)
                .extracting(l -> l.get("cause").asText())
                .containsExactly("rest", "price_change", "unknown", "price_change");
        assertThat(lines.get(1).get("valid").asBoolean()).isTrue();
        assertThat(lines.get(1).get("timestamp").asText()).isEqualTo("1001");
        assertThat(lines.get(1).get("bids").toString()).isEqualTo("[[\"0.41\",\"2\"],[\"0.40\",\"10\"]]");
        assertThat(lines.get(3).get("valid").asBoolean()).isFalse();
        assertThat(lines.get(3).get("unknown_reason").asText()).isEqualTo("hash disagreement");
        assertThat(stderr())
                .contains("hash check: 2 checked, 1 agreed (50.000 %), 1 disagreed", "first disagreement of " + A);
        JsonNode r = Rec.JSON.readTree(report.toFile());
        assertThat(r.get("schema").asText()).isEqualTo("orderbooks.replay-report/1");
        assertThat(r.at("/tokens/" + A + "/first_disagreement/published_hash").asText())
                .isEqualTo("e".repeat(40));
        out.reset();
        assertThat(run("--data", dir.toString(), "--output", "none", "--strict"))
                .isEqualTo(1);
    }

    @Test
    void topAndDeltasAsCsv() throws Exception {
        writeData();
        assertThat(run("--data", dir.toString(), "--output", "top", "--format", "csv", "--from", "2025-11-24T16:00Z"))
                .isZero();
        assertThat(stdout().lines().toList())
                .containsExactly(
                        "recv_us,timestamp,asset_id,valid,best_bid,best_bid_size,best_ask,best_ask_size",
                        (HOUR_US + 1_000) + ",1000," + A + ",true,0.40,10,0.60,10",
                        (HOUR_US + 2_000) + ",1001," + A + ",true,0.41,2,0.60,10",
                        (HOUR_US + 3_000) + ",1002," + A + ",false,0.42,1,0.60,10");
        out.reset();
        assertThat(run("--data", dir.toString(), "--output", "deltas", "--format", "csv"))
                .isZero();
        assertThat(stdout().lines().toList())
                .containsExactly(
                        "recv_us,timestamp,asset_id,valid,cause,snapshot,side,price,size",
                        (HOUR_US + 1_000) + ",1000," + A + ",true,rest,true,bid,0.40,10",
                        (HOUR_US + 1_000) + ",1000," + A + ",true,rest,true,ask,0.60,10",
                        (HOUR_US + 2_000) + ",1001," + A + ",true,price_change,false,bid,0.41,2",
                        (HOUR_US + 3_000) + ",1002," + A + ",false,unknown,false,,,",
                        (HOUR_US + 3_000) + ",1002," + A + ",false,price_change,false,bid,0.42,1");
    }

    @Test
    void aFileWhoseRecoveryDroppedLinesMakesBooksUnknownAtItsEnd() throws Exception {
        Map<String, Object> b0 = book("1000", List.of("0.40:10"), List.of("0.60:10"));
        file(
                "rest_books",
                "rest_books-20251124T16Z-t-0001.jsonl.gz",
                List.of(Rec.rest(HOUR_US + 1_000, Rec.restItem(b0))));
        file(
                "ws_market",
                "ws_market-20251124T16Z-t-0001.jsonl.gz",
                List.of(Rec.ws(
                        HOUR_US + 2_000,
                        0,
                        priceChange(
                                M,
                                "1001",
                                entry(
                                        A,
                                        "0.41",
                                        "2",
                                        "BUY",
                                        hash(book("1001", List.of("0.40:10", "0.41:2"), List.of("0.60:10"))),
                                        "0.41",
                                        "0.60")))));
        String file = "raw/ws_market/dt=2025-11-24/hour=16/ws_market-20251124T16Z-t-0001.jsonl.gz";
        FileManifest recovered = new FileManifest(
                file,
                StreamName.WS_MARKET,
                Instant.parse("2025-11-24T16:00:00Z"),
                Files.size(dir.resolve(file)),
                "0".repeat(64),
                "0".repeat(32),
                2,
                100,
                null,
                null,
                Map.of(),
                1,
                List.of(),
                new WriterInfo("collector-svc", "test", InstanceId.of("t"), "run-2"),
                "recovered",
                Instant.parse("2025-11-24T17:00:00Z"),
                new FileManifest.RecoveryInfo(2, 180, "quarantine/x", "torn last line", "run-1"));
        Files.write(dir.resolve(file + ".manifest.json"), recovered.toJson());
        assertThat(run("--data", dir.toString(), "--output", "top", "--no-progress"))
                .isZero();
        List<JsonNode> lines = stdout().lines().map(Rec::parse).toList();
        assertThat(lines).extracting(l -> l.get("valid").asBoolean()).containsExactly(true, true, false);
        assertThat(stderr())
                .contains(
                        "recovery dropped 2 line(s) at its end",
                        "books made unknown: (damaged file 1)",
                        "hash check: 1 checked, 1 agreed");
    }

    @Test
    void aTornLastLineAndACutGzipAreDamageThatTheContractsReaderReports() throws Exception {
        writeData();
        Path ws = dir.resolve("raw/ws_market/dt=2025-11-24/hour=16/ws_market-20251124T16Z-t-0001.jsonl.gz");
        byte[] lines;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(ws))) {
            lines = in.readAllBytes();
        }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(ws))) {
            o.write(lines);
            o.write("{\"recv_us\":1,\"src\":\"ws\",\"co".getBytes(StandardCharsets.UTF_8)); // no newline
        }
        assertThat(run("--data", dir.toString(), "--output", "top", "--no-progress"))
                .isZero();
        assertThat(stderr()).contains("a torn last line (27 bytes without a newline)", "damaged file");

        writeData();
        byte[] whole = Files.readAllBytes(ws);
        Files.write(ws, java.util.Arrays.copyOf(whole, whole.length - 6)); // the gzip trailer cut off
        out.reset();
        err.reset();
        assertThat(run("--data", dir.toString(), "--output", "top", "--no-progress"))
                .isZero();
        assertThat(stderr()).contains("unreadable (truncated gzip", "damaged file");
    }

    /**
     * Two instances' files in one data dir (two shards uploading into one folder, or two folders merged), each with a
     * connection {@code ws-00.0} (ids are unique within an instance only; files written before ids carried the run
     * token all have these): each instance's frames stay on their own connection, so the interleaved seq numbers are
     * no holes and every hash agrees.
     */
    @Test
    void twoInstancesWithTheSameConnectionIdsAreTwoConnections() throws Exception {
        Map<String, Object> a0 = book("1000", List.of("0.40:10"), List.of("0.60:10"));
        Map<String, Object> b0 = Rec.summary(
                M, ReplayEngineTest.B, "1000", List.of("0.30:5"), List.of("0.70:5"), "5", "0.01", false, "0.5");
        file(
                "rest_books",
                "rest_books-20251124T16Z-a-0001.jsonl.gz",
                List.of(Rec.rest(HOUR_US + 1_000, Rec.restItem(a0))));
        file(
                "rest_books",
                "rest_books-20251124T16Z-b-0001.jsonl.gz",
                List.of(Rec.rest(HOUR_US + 1_100, Rec.restItem(b0))));
        String conn = "ws-00.0";
        List<JsonNode> a = new java.util.ArrayList<>();
        List<JsonNode> b = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> aBids = new java.util.ArrayList<>(List.of("0.40:10"));
            aBids.add(0, "0.4" + (i + 1) + ":" + (i + 1));
            Map<String, Object> ai = book(Integer.toString(1001 + i), List.of("0.40:10"), List.of("0.60:10"));
            List<String> bBids = List.of("0.30:" + (6 + i));
            Map<String, Object> bi = Rec.summary(
                    M,
                    ReplayEngineTest.B,
                    Integer.toString(1001 + i),
                    bBids,
                    List.of("0.70:5"),
                    "5",
                    "0.01",
                    false,
                    "0.5");
            a.add(Rec.ws(
                    HOUR_US + 2_000 + i * 100,
                    conn,
                    i,
                    priceChange(
                            M, Integer.toString(1001 + i), entry(A, "0.40", "10", "BUY", hash(ai), "0.40", "0.60"))));
            b.add(Rec.ws(
                    HOUR_US + 2_050 + i * 100,
                    conn,
                    i,
                    priceChange(
                            M,
                            Integer.toString(1001 + i),
                            entry(
                                    ReplayEngineTest.B,
                                    "0.30",
                                    Integer.toString(6 + i),
                                    "BUY",
                                    hash(bi),
                                    "0.30",
                                    "0.70"))));
        }
        file("ws_market", "ws_market-20251124T16Z-a-0001.jsonl.gz", a);
        file("ws_market", "ws_market-20251124T16Z-b-0001.jsonl.gz", b);
        Path report = dir.resolve("r.json");

        assertThat(run("--data", dir.toString(), "--output", "none", "--report", report.toString(), "--no-progress"))
                .as(stderr())
                .isZero();

        JsonNode r = Rec.JSON.readTree(report.toFile());
        assertThat(r.at("/counts/seq_holes").asLong()).as(r.toString()).isZero();
        assertThat(r.at("/total/hash_checked").asLong()).isEqualTo(6);
        assertThat(r.at("/total/hash_agreed").asLong()).isEqualTo(6);
    }
}
