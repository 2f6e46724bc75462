package io.orderbooks.replay;

import static io.orderbooks.replay.Rec.entry;
import static io.orderbooks.replay.Rec.hash;
import static io.orderbooks.replay.Rec.priceChange;
import static io.orderbooks.replay.ReplayEngineTest.A;
import static io.orderbooks.replay.ReplayEngineTest.B;
import static io.orderbooks.replay.ReplayEngineTest.M;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} over a small data dir written here (layout of docs/DATA-FORMAT.md §1, manifests of §3) that spans
 * midnight UTC; the Parquet is read back with parquet-java ({@link ParquetRead}), not with DuckDB, which wrote it.
 */
class ExportTest {
    @TempDir
    Path dir;
    /** 2025-11-25T00:00:00Z in µs and ms. */
    static final long T = 1_764_028_800_000_000L;

    static final long T_MS = T / 1000;
    static final long S = 1_000_000L;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** file (relative to the data dir) → sha256 the test computed itself. */
    private final Map<String, String> sha = new TreeMap<>();

    private int run(String... args) {
        return ReplayMain.run(args, Map.of(), out, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> book(
            String asset, long tsMs, List<String> bidsAscending, List<String> asksDescending) {
        return Rec.summary(M, asset, Long.toString(tsMs), bidsAscending, asksDescending, "5", "0.01", false, "0.5");
    }

    /** A closed file of the hour of {@code recvUs}, and its manifest (sha256 computed here; gaps as given). */
    private void file(String stream, long hourUs, List<JsonNode> records, String gapsJson) throws Exception {
        Instant h = Instant.ofEpochSecond(hourUs / S);
        String dt = DateTimeFormatter.ofPattern("yyyy-MM-dd")
                .withZone(ZoneOffset.UTC)
                .format(h);
        String hh = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC).format(h);
        String name = stream + "-" + dt.replace("-", "") + "T" + hh + "Z-t-0001.jsonl.gz";
        String rel = "raw/" + stream + "/dt=" + dt + "/hour=" + hh + "/" + name;
        Path f = dir.resolve(rel);
        Files.createDirectories(f.getParent());
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            for (JsonNode r : records) {
                o.write((r.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        String digest =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        sha.put(rel, digest);
        Files.writeString(
                f.resolveSibling(name + ".manifest.json"),
                "{\"schema\":\"orderbooks.file-manifest/1\",\"file\":\""
                        + rel + "\",\"stream\":\"" + stream + "\",\"bytes\":" + Files.size(f) + ",\"sha256\":\""
                        + digest
                        + "\",\"records\":" + records.size() + ",\"gaps\":" + gapsJson + ",\"recovered\":false}");
    }

    /**
     * Across midnight: A from a REST book (T-8 s) and a price change (T-6.5 s), B from a websocket book (T-9 s); a
     * seq hole at T-3.5 s makes both unknown; a REST book makes A valid again at T+2.5 s, a book event B at T+3.5 s.
     */
    private void writeData() throws Exception {
        long h23 = T - 3_600 * S;
        Map<String, Object> a0 = book(A, T_MS - 8000, List.of("0.40:10"), List.of("0.60:10"));
        Map<String, Object> a1 = book(A, T_MS - 6500, List.of("0.40:10", "0.41:2"), List.of("0.60:10"));
        Map<String, Object> b0 = book(B, T_MS - 9000, List.of("0.30:100", "0.31:50"), List.of("0.70:20", "0.69:5"));
        Map<String, Object> a2 = book(A, T_MS + 2500, List.of("0.44:3", "0.45:5"), List.of("0.56:1", "0.55:7"));
        Map<String, Object> b1 = book(B, T_MS + 3500, List.of("0.33:1"), List.of("0.66:2"));
        file("rest_books", h23, List.of(Rec.rest(T - 8 * S, Rec.restItem(a0))), "[]");
        file(
                "ws_market",
                h23,
                List.of(
                        Rec.event(T - 9_500_000, "ws", Rec.CONN, "connected", "\"assets\":2"),
                        Rec.ws(T - 9 * S, 0, Rec.wsBook(b0)),
                        Rec.ws(
                                T - 6_500_000,
                                1,
                                priceChange(
                                        M,
                                        Long.toString(T_MS - 6500),
                                        entry(A, "0.41", "2", "BUY", hash(a1), "0.41", "0.60"))),
                        Rec.ws(
                                T - 3_500_000,
                                3,
                                priceChange(
                                        M,
                                        Long.toString(T_MS - 3500),
                                        entry(A, "0.42", "1", "BUY", "e".repeat(40), "0.42", "0.60")))),
                "[]");
        file("rest_books", T, List.of(Rec.rest(T + 2_500_000, Rec.restItem(a2))), "[]");
        file("ws_market", T, List.of(Rec.ws(T + 3_500_000, 4, Rec.wsBook(b1))), "[]");
    }

    private static BigDecimal d(String s) {
        return new BigDecimal(s).setScale(6);
    }

    private String[] args(Path o, String grid, String... more) {
        List<String> a = new ArrayList<>(List.of(
                "export",
                "--data",
                dir.toString(),
                "--out",
                o.toString(),
                "--grid",
                grid,
                "--from",
                "2025-11-24T23:59:55Z",
                "--to",
                "2025-11-25T00:00:05Z",
                "--warmup",
                "10s",
                "--levels",
                "2"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void helpAndErrors() throws Exception {
        assertThat(run("export", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage:", "--grid", "hive_partitioning=true");
        assertThat(run("export", "--data", dir.toString())).isEqualTo(2);
        assertThat(stderr()).contains("--out DIR is required");
        assertThat(run("export", "--out", "x", "--grid", "5s")).isEqualTo(2);
        assertThat(stderr()).contains("--grid 5s: one of event, 1s, 100ms");
        assertThat(run("export", "--out", "x", "--levels", "99")).isEqualTo(2);
        assertThat(stderr()).contains("--levels 99: a number from 0 to 50");
    }

    @Test
    void refusesAnOutputUnderRawOrNotEmpty() throws Exception {
        writeData();
        Path underRaw = dir.resolve("raw/ws_market/export");
        assertThat(run(args(underRaw, "1s"))).isEqualTo(2);
        assertThat(stderr()).contains("is under the data dir's raw/", "derived data never goes there");
        assertThat(underRaw).doesNotExist();
        // the same through a relative path with ".." and through a symlink to raw/
        assertThat(run(args(dir.resolve("elsewhere/../raw/x"), "1s"))).isEqualTo(2);
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("raw"));
        assertThat(run(args(link.resolve("x"), "event"))).isEqualTo(2);
        assertThat(dir.resolve("raw/x")).doesNotExist();
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("something"), "x");
        assertThat(run(args(full, "1s"))).isEqualTo(2);
        assertThat(stderr()).contains("is not empty");
        // beside raw/ in the data dir is fine
        assertThat(run(args(dir.resolve("derived/export"), "1s"))).isZero();
    }

    @Test
    void oneSecondGridAcrossMidnightWithAGapUntilTheNextFullBook() throws Exception {
        writeData();
        Path o = dir.resolve("out");
        assertThat(run(args(o, "1s"))).as(stderr()).isZero();
        assertThat(stderr()).contains("20 rows (7 valid, 13 not), 2 tokens, 2 files in 2 date partition(s)");
        ParquetRead.Table t = ParquetRead.read(o);
        assertThat(t.files())
                .containsExactly("date=2025-11-24/part-00000.parquet", "date=2025-11-25/part-00000.parquet");
        checkSchema(t.schemas().get(0), 2);
        List<Map<String, Object>> rows = t.rows();
        assertThat(rows).hasSize(20);
        // grid points T-5 s .. T+4 s, each with both tokens (in the order their books appeared: B, then A)
        for (int i = 0; i < 20; i++) {
            long g = T + (i / 2 - 5) * S;
            assertThat(rows.get(i).get("ts")).isEqualTo(g);
            assertThat(rows.get(i).get("date")).isEqualTo(g < T ? "2025-11-24" : "2025-11-25");
            assertThat(rows.get(i).get("token_id")).isEqualTo(i % 2 == 0 ? B : A);
            assertThat(rows.get(i).get("market")).isEqualTo(M);
        }
        // valid before the seq hole at T-3.5 s, unknown until each token's next full book (A T+2.5 s, B T+3.5 s)
        List<Boolean> validA = new ArrayList<>();
        List<Boolean> validB = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            (i % 2 == 0 ? validB : validA).add((Boolean) rows.get(i).get("valid"));
        }
        assertThat(validA).containsExactly(true, true, false, false, false, false, false, false, true, true);
        assertThat(validB).containsExactly(true, true, false, false, false, false, false, false, false, true);
        Map<String, Object> a5 = rows.get(1); // A at T-5 s
        assertThat(a5.get("best_bid")).isEqualTo(d("0.41"));
        assertThat(a5.get("best_bid_size")).isEqualTo(d("2"));
        assertThat(a5.get("best_ask")).isEqualTo(d("0.60"));
        assertThat(a5.get("bid_price_2")).isEqualTo(d("0.40"));
        assertThat(a5.get("bid_size_2")).isEqualTo(d("10"));
        assertThat(a5.get("ask_price_2")).isNull();
        assertThat(a5.get("recv_us")).isEqualTo(T - 6_500_000);
        assertThat(a5.get("cause")).isEqualTo("price_change");
        assertThat(a5.get("source_ts_ms")).isEqualTo(T_MS - 6500);
        assertThat(a5.get("invalid_reason")).isNull();
        Map<String, Object> aUnknown = rows.get(2 * 7 + 1); // A at T+2 s: still unknown, no stale prices
        assertThat(aUnknown.get("valid")).isEqualTo(false);
        assertThat(aUnknown.get("invalid_reason")).asString().startsWith("seq hole on t/" + Rec.CONN);
        for (String c :
                List.of("best_bid", "best_bid_size", "best_ask", "best_ask_size", "bid_price_1", "ask_size_2")) {
            assertThat(aUnknown.get(c)).as(c).isNull();
        }
        Map<String, Object> a3 = rows.get(2 * 8 + 1); // A at T+3 s: its REST book
        assertThat(List.of(
                        a3.get("best_bid"),
                        a3.get("best_ask"),
                        a3.get("bid_price_2"),
                        a3.get("ask_price_2"),
                        a3.get("cause")))
                .containsExactly(d("0.45"), d("0.55"), d("0.44"), d("0.56"), "rest");
        assertThat(rows.get(2 * 9))
                .containsEntry("best_bid", d("0.33"))
                .containsEntry("best_ask", d("0.66"))
                .containsEntry("bid_price_2", null)
                .containsEntry("valid", true);

        // every row equals the replay's own book state at that grid point (its books output: the last line at or
        // before the grid point), prices compared as numbers
        for (Map<String, Object> r : rows) {
            JsonNode state = replayStateAt((String) r.get("token_id"), (Long) r.get("ts"));
            assertThat(r.get("valid")).isEqualTo(state.get("valid").asBoolean());
            assertThat(r.get("recv_us")).isEqualTo(state.get("recv_us").asLong());
            if (state.get("valid").asBoolean()) {
                for (int k = 0; k < 2; k++) {
                    assertThat(r.get("bid_price_" + (k + 1))).isEqualTo(level(state.get("bids"), k, 0));
                    assertThat(r.get("bid_size_" + (k + 1))).isEqualTo(level(state.get("bids"), k, 1));
                    assertThat(r.get("ask_price_" + (k + 1))).isEqualTo(level(state.get("asks"), k, 0));
                    assertThat(r.get("ask_size_" + (k + 1))).isEqualTo(level(state.get("asks"), k, 1));
                }
            } else {
                assertThat(r.get("invalid_reason"))
                        .isEqualTo(state.get("unknown_reason").asText());
            }
        }

        JsonNode m = Rec.JSON.readTree(o.resolve("export-manifest.json").toFile());
        assertThat(m.get("schema").asText()).isEqualTo("orderbooks.export-manifest/1");
        assertThat(m.at("/tool/version").asText()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(m.get("grid").asText()).isEqualTo("1s");
        assertThat(m.get("from").asText()).isEqualTo("2025-11-24T23:59:55Z");
        assertThat(m.get("to").asText()).isEqualTo("2025-11-25T00:00:05Z");
        assertThat(m.get("read_from").asText()).isEqualTo("2025-11-24T23:59:45Z");
        assertThat(m.get("command").toString()).contains("\"export\"", "\"--grid\",\"1s\"");
        assertThat(m.at("/rows/total").asLong()).isEqualTo(20);
        assertThat(m.at("/rows/valid").asLong()).isEqualTo(7);
        assertThat(m.get("parts").toString()).contains("date=2025-11-24/part-00000.parquet", "\"rows\":10");
        Map<String, String> listed = new TreeMap<>();
        for (JsonNode f : m.get("raw_files")) {
            listed.put(f.get("file").asText(), f.get("sha256").asText());
            assertThat(f.get("sha256_matches_file").asBoolean()).isTrue();
            assertThat(f.get("sha256_from").asText()).isEqualTo("manifest");
        }
        assertThat(listed).isEqualTo(sha);
        assertThat(sha).hasSize(4);
    }

    @Test
    void eventGridOneRowPerBookChange() throws Exception {
        writeData();
        Path o = dir.resolve("out");
        assertThat(run(args(o, "event"))).as(stderr()).isZero();
        ParquetRead.Table t = ParquetRead.read(o);
        checkSchema(t.schemas().get(0), 2);
        List<String> seen = t.rows().stream()
                .map(r -> (r.get("token_id").equals(A) ? "A" : "B") + " " + r.get("cause") + " " + r.get("valid") + " "
                        + (r.get("ts").equals(r.get("recv_us")) ? "" : "ts!=recv") + r.get("date"))
                .toList();
        // the seq hole (T-3.5 s) makes both unknown, then A's entry is applied unknown; A's REST book, B's book event
        assertThat(seen)
                .containsExactly(
                        "B unknown false 2025-11-24",
                        "A unknown false 2025-11-24",
                        "A price_change false 2025-11-24",
                        "A rest true 2025-11-25",
                        "B book true 2025-11-25");
        assertThat(t.rows().get(3).get("best_bid")).isEqualTo(d("0.45"));
        assertThat(t.rows().get(2).get("best_bid")).isNull();
        assertThat(t.files())
                .containsExactly("date=2025-11-24/part-00000.parquet", "date=2025-11-25/part-00000.parquet");
    }

    /** A collector-down gap is written when the collector is back; its manifest says so before the replay gets there. */
    @Test
    void aGapListedInTheManifestMakesGridPointsInsideItInvalidAndAFileThatDiffersIsFlagged() throws Exception {
        long h = T;
        Map<String, Object> a0 = book(A, T_MS + 1000, List.of("0.40:10"), List.of("0.60:10"));
        Map<String, Object> a1 = book(A, T_MS + 9500, List.of("0.41:10"), List.of("0.60:10"));
        file(
                "rest_books",
                h,
                List.of(Rec.rest(h + S, Rec.restItem(a0)), Rec.rest(h + 9_500_000, Rec.restItem(a1))),
                "[]");
        String gap = "{\"from_us\":" + (h + 3 * S) + ",\"to_us\":" + (h + 8 * S) + ",\"reason\":\"collector-down\"}";
        file(
                "ws_market",
                h,
                List.of(
                        Rec.event(h + 500_000, "ws", Rec.CONN, "connected", "\"assets\":1"),
                        Rec.event(h + 8 * S, "ws", null, "gap", gap.substring(1, gap.length() - 1))),
                "[" + gap + "]");
        Path o = dir.resolve("out");
        assertThat(run(
                        "export",
                        "--data",
                        dir.toString(),
                        "--out",
                        o.toString(),
                        "--grid",
                        "1s",
                        "--from",
                        "2025-11-25T00:00:00Z",
                        "--to",
                        "2025-11-25T01:00:02Z",
                        "--levels",
                        "0"))
                .as(stderr())
                .isZero();
        ParquetRead.Table t = ParquetRead.read(o);
        checkSchema(t.schemas().get(0), 0);
        assertThat(t.rows()).hasSize(3_600 + 2 - 1);
        assertThat(t.rows().subList(0, 10))
                .extracting(r -> r.get("ts"))
                .containsExactly(
                        h + S,
                        h + 2 * S,
                        h + 3 * S,
                        h + 4 * S,
                        h + 5 * S,
                        h + 6 * S,
                        h + 7 * S,
                        h + 8 * S,
                        h + 9 * S,
                        h + 10 * S);
        assertThat(t.rows().subList(0, 10))
                .extracting(r -> r.get("valid"))
                .containsExactly(true, true, false, false, false, false, false, false, false, true);
        assertThat(t.rows().get(2).get("invalid_reason")).isEqualTo("gap (collector-down)");
        assertThat(t.rows().get(2).get("best_bid")).isNull();
        assertThat(t.rows().get(7).get("invalid_reason")).isEqualTo("gap (collector-down)");
        // the last grid points lie in an hour with no file at all: not valid, although nothing said "gap"
        List<Map<String, Object>> last =
                t.rows().subList(t.rows().size() - 3, t.rows().size());
        assertThat(last).extracting(r -> r.get("ts")).containsExactly(h + 3_599 * S, h + 3_600 * S, h + 3_601 * S);
        assertThat(last).extracting(r -> r.get("valid")).containsExactly(true, false, false);
        assertThat(last.get(1).get("invalid_reason")).isEqualTo("nothing recorded in this hour");
        assertThat(last.get(1).get("best_bid")).isNull();
        assertThat(last.get(0).get("best_bid")).isEqualTo(d("0.41"));

        // a raw file whose bytes differ from its manifest's sha256 is listed with sha256_matches_file=false
        Path mf = dir.resolve(
                "raw/rest_books/dt=2025-11-25/hour=00/rest_books-20251125T00Z-t-0001.jsonl.gz.manifest.json");
        Files.writeString(
                mf,
                Files.readString(mf).replaceAll("\"sha256\":\"[0-9a-f]+\"", "\"sha256\":\"" + "0".repeat(64) + "\""));
        Path o2 = dir.resolve("out2");
        assertThat(run("export", "--data", dir.toString(), "--out", o2.toString(), "--grid", "100ms"))
                .isZero();
        assertThat(stderr()).contains("its sha256 differs from its manifest's");
        JsonNode m = Rec.JSON.readTree(o2.resolve("export-manifest.json").toFile());
        assertThat(m.get("raw_files").toString())
                .contains("\"sha256\":\"" + "0".repeat(64)
                        + "\",\"sha256_from\":\"manifest\",\"sha256_matches_file\":false");
        // one hour at 100 ms, from the REST book at 1 s: 36,000 grid points minus the 10 before it
        assertThat(m.at("/rows/total").asLong()).isEqualTo(35_990);
        assertThat(ParquetRead.read(o2).rows()).hasSize(35_990);
    }

    /** An hour marked invalid (docs/REPLAY.md "Invalid marks"): not used, rows not valid until the next full book. */
    @Test
    void aMarkedHourIsNotUsedItsRowsAreNotValidAndTheManifestListsTheMark() throws Exception {
        long h1 = T + 3_600 * S;
        long h2 = h1 + 3_600 * S;
        file(
                "rest_books",
                T,
                List.of(Rec.rest(T + S, Rec.restItem(book(A, T_MS + 1000, List.of("0.40:10"), List.of("0.60:10"))))),
                "[]");
        file(
                "rest_books",
                h1,
                List.of(Rec.rest(
                        h1 + S, Rec.restItem(book(A, h1 / 1000 + 1000, List.of("0.41:10"), List.of("0.60:10"))))),
                "[]");
        file(
                "rest_books",
                h2,
                List.of(Rec.rest(
                        h2 + 10 * S,
                        Rec.restItem(book(A, h2 / 1000 + 10_000, List.of("0.42:10"), List.of("0.60:10"))))),
                "[]");
        assertThat(ReplayMain.run(
                        new String[] {
                            "mark",
                            "--data",
                            dir.toString(),
                            "--stream",
                            "rest_books",
                            "--from",
                            "2025-11-25T01",
                            "--to",
                            "2025-11-25T02",
                            "--reason",
                            "stale cache answered",
                            "--by",
                            "ops"
                        },
                        Map.of(),
                        out,
                        new PrintStream(err, true, StandardCharsets.UTF_8)))
                .as(stderr())
                .isZero();
        Path o = dir.resolve("out");
        assertThat(run(
                        "export",
                        "--data",
                        dir.toString(),
                        "--out",
                        o.toString(),
                        "--grid",
                        "1s",
                        "--from",
                        "2025-11-25T00:00:00Z",
                        "--to",
                        "2025-11-25T02:00:20Z",
                        "--levels",
                        "1"))
                .as(stderr())
                .isZero();
        assertThat(stderr())
                .contains(
                        "export: marked invalid, not used: rest_books (every instance) 2025-11-25T01Z .. 2025-11-25T02Z",
                        "export: marked invalid: 1 hour(s) not used (1 records), by 1 mark(s), listed in export-manifest.json");
        Map<Long, Map<String, Object>> byTs = new java.util.HashMap<>();
        ParquetRead.read(o).rows().forEach(r -> byTs.put((Long) r.get("ts"), r));
        assertThat(byTs.get(h1 - S).get("valid")).isEqualTo(true);
        assertThat(byTs.get(h1 - S).get("best_bid")).isEqualTo(d("0.40"));
        for (long ts : List.of(h1, h1 + 2 * S, h2 - S, h2 + 9 * S)) {
            assertThat(byTs.get(ts).get("valid")).as("row at %d", ts).isEqualTo(false);
            assertThat(byTs.get(ts).get("invalid_reason")).as("row at %d", ts).isEqualTo("marked invalid");
        }
        assertThat(byTs.get(h2 + 10 * S).get("valid")).isEqualTo(true);
        assertThat(byTs.get(h2 + 10 * S).get("best_bid")).isEqualTo(d("0.42"));
        JsonNode m = Rec.JSON.readTree(o.resolve("export-manifest.json").toFile());
        assertThat(m.at("/marks/applied/0/reason").asText()).isEqualTo("stale cache answered");
        assertThat(m.at("/marks/applied/0/by").asText()).isEqualTo("ops");
        assertThat(m.at("/marks/applied/0/stream").asText()).isEqualTo("rest_books");
        assertThat(m.at("/marks/applied/0/mark_file").asText()).startsWith("marks/raw/rest_books/m");
        assertThat(m.at("/marks/records_not_used").asLong()).isEqualTo(1);
        assertThat(m.at("/marks/hours_not_used").asLong()).isEqualTo(1);
    }

    private static void checkSchema(MessageType s, int levels) {
        assertThat(s.getFields())
                .extracting(f -> f.getName())
                .startsWith(
                        "ts",
                        "recv_us",
                        "token_id",
                        "market",
                        "valid",
                        "invalid_reason",
                        "cause",
                        "source_ts_ms",
                        "best_bid",
                        "best_bid_size",
                        "best_ask",
                        "best_ask_size");
        assertThat(s.getFieldCount()).isEqualTo(12 + 4 * levels);
        assertThat(s.containsField("date")).isFalse(); // in the path (Hive partition), not in the file
        var ts = s.getType("ts").asPrimitiveType();
        assertThat(ts.getPrimitiveTypeName()).isEqualTo(PrimitiveTypeName.INT64);
        assertThat(ts.getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
        assertThat(s.getType("recv_us").asPrimitiveType().getPrimitiveTypeName())
                .isEqualTo(PrimitiveTypeName.INT64);
        assertThat(s.getType("source_ts_ms").asPrimitiveType().getPrimitiveTypeName())
                .isEqualTo(PrimitiveTypeName.INT64);
        assertThat(s.getType("token_id").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.stringType());
        assertThat(s.getType("valid").asPrimitiveType().getPrimitiveTypeName()).isEqualTo(PrimitiveTypeName.BOOLEAN);
        List<String> decimals = new ArrayList<>(List.of("best_bid", "best_bid_size", "best_ask", "best_ask_size"));
        for (int k = 1; k <= levels; k++) {
            decimals.addAll(List.of("bid_price_" + k, "bid_size_" + k, "ask_price_" + k, "ask_size_" + k));
        }
        for (String c : decimals) {
            assertThat(s.getType(c).getLogicalTypeAnnotation())
                    .as(c)
                    .isEqualTo(LogicalTypeAnnotation.decimalType(6, 18));
        }
    }

    private Map<String, List<JsonNode>> replayBooks;

    /** The replay's {@code books} line of {@code token} last at or before {@code us} (the engine's own state). */
    private JsonNode replayStateAt(String token, long us) {
        if (replayBooks == null) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            assertThat(ReplayMain.run(
                            new String[] {"--data", dir.toString(), "--no-progress"},
                            Map.of(),
                            o,
                            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                    .isZero();
            replayBooks = new HashMap<>();
            o.toString(StandardCharsets.UTF_8)
                    .lines()
                    .map(Rec::parse)
                    .forEach(l -> replayBooks
                            .computeIfAbsent(l.get("asset_id").asText(), k -> new ArrayList<>())
                            .add(l));
        }
        JsonNode last = null;
        for (JsonNode l : replayBooks.get(token)) {
            if (l.get("recv_us").asLong() <= us) {
                last = l;
            }
        }
        return last;
    }

    private static BigDecimal level(JsonNode levels, int k, int field) {
        return k < levels.size() ? d(levels.get(k).get(field).asText()) : null;
    }
}
