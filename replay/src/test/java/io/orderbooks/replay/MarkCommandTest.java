package io.orderbooks.replay;

import static io.orderbooks.replay.Rec.entry;
import static io.orderbooks.replay.Rec.hash;
import static io.orderbooks.replay.Rec.priceChange;
import static io.orderbooks.replay.ReplayEngineTest.A;
import static io.orderbooks.replay.ReplayEngineTest.M;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.Marks;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mark} and {@code marks}, and replay honouring a mark, over a data dir written here (DATA-FORMAT.md §1). */
class MarkCommandTest {
    @TempDir
    Path dir;

    static final long H16 = ReplayCliTest.HOUR_US;
    static final long H17 = H16 + 3_600_000_000L;
    static final long H18 = H17 + 3_600_000_000L;
    static final String WS17 = "raw/ws_market/dt=2025-11-24/hour=17/ws_market-20251124T17Z-t-0001.jsonl.gz";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return ReplayMain.run(args, Map.of("USER", "tester"), out, new PrintStream(err, true, StandardCharsets.UTF_8));
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

    private void file(String stream, int hour, List<JsonNode> records) throws Exception {
        Path f = dir.resolve("raw/" + stream + "/dt=2025-11-24/hour=" + hour + "/" + stream + "-20251124T" + hour
                + "Z-t-0001.jsonl.gz");
        Files.createDirectories(f.getParent());
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            for (JsonNode r : records) {
                o.write((r.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * 16:00 a REST book and a change (valid); 17:00 a change and a REST book (the hour to mark); 18:00 a change, then a
     * REST book.
     */
    private void writeThreeHours() throws Exception {
        Map<String, Object> b0 = book("1000", List.of("0.40:10"), List.of("0.60:10"));
        Map<String, Object> b1 = book("1001", List.of("0.40:10", "0.41:2"), List.of("0.60:10"));
        Map<String, Object> b2 = book("2001", List.of("0.40:10", "0.41:3"), List.of("0.60:10"));
        Map<String, Object> b3 = book("2002", List.of("0.40:10", "0.41:3"), List.of("0.60:10"));
        Map<String, Object> b4 = book("3001", List.of("0.40:10", "0.41:4"), List.of("0.60:10"));
        Map<String, Object> b5 = book("3002", List.of("0.40:9", "0.41:4"), List.of("0.60:10"));
        file("rest_books", 16, List.of(Rec.rest(H16 + 1_000, Rec.restItem(b0))));
        file(
                "ws_market",
                16,
                List.of(
                        Rec.event(H16 + 500, "ws", Rec.CONN, "connected", "\"assets\":1"),
                        Rec.ws(
                                H16 + 2_000,
                                0,
                                priceChange(M, "1001", entry(A, "0.41", "2", "BUY", hash(b1), "0.41", "0.60")))));
        file(
                "ws_market",
                17,
                List.of(Rec.ws(
                        H17 + 1_000,
                        1,
                        priceChange(M, "2001", entry(A, "0.41", "3", "BUY", hash(b2), "0.41", "0.60")))));
        file("rest_books", 17, List.of(Rec.rest(H17 + 2_000, Rec.restItem(b3))));
        file(
                "ws_market",
                18,
                List.of(Rec.ws(
                        H18 + 1_000,
                        2,
                        priceChange(M, "3001", entry(A, "0.41", "4", "BUY", hash(b4), "0.41", "0.60")))));
        file("rest_books", 18, List.of(Rec.rest(H18 + 2_000, Rec.restItem(b5))));
    }

    private List<JsonNode> replayBooks() {
        assertThat(run(
                        "--data",
                        dir.toString(),
                        "--output",
                        "books",
                        "--no-progress",
                        "--report",
                        dir.resolve("r.json").toString()))
                .as(stderr())
                .isZero();
        return stdout().lines().map(Rec::parse).toList();
    }

    @Test
    void helpShowsAWorkedExample() {
        assertThat(run("mark", "--help")).isZero();
        assertThat(stdout())
                .contains("usage:", "example:", "--stream ws_market --instance vps1", "--revoke", "exit code");
        assertThat(run("marks", "-h")).isZero();
        assertThat(stdout()).contains("make marks");
    }

    @Test
    void clearErrorsForAnUnknownFileABadRangeAndAMissingReason() throws Exception {
        writeThreeHours();
        String d = dir.toString();
        assertThat(run("mark", "--data", d, "--file", WS17.replace("-0001", "-0002"), "--reason", "x"))
                .isEqualTo(2);
        assertThat(stderr()).contains("unknown file", "no such closed raw file", "--stream/--from/--to");
        assertThat(run("mark", "--data", d, "--file", "raw/ws_market/nonsense.jsonl.gz", "--reason", "x"))
                .isEqualTo(2);
        assertThat(stderr()).contains("unknown file", "not a raw data file name");
        assertThat(run("mark", "--data", d, "--file", WS17)).isEqualTo(2);
        assertThat(stderr()).contains("--reason is required");
        assertThat(run("mark", "--data", d, "--file", WS17, "--reason", " ")).isEqualTo(2);
        assertThat(stderr()).contains("--reason needs a value");
        assertThat(run(
                        "mark",
                        "--data",
                        d,
                        "--stream",
                        "ws_market",
                        "--from",
                        "2025-11-24T17:30Z",
                        "--to",
                        "2025-11-24T18",
                        "--reason",
                        "x"))
                .isEqualTo(2);
        assertThat(stderr()).contains("bad range", "whole UTC hours");
        assertThat(run(
                        "mark",
                        "--data",
                        d,
                        "--stream",
                        "ws_market",
                        "--from",
                        "2025-11-24T18",
                        "--to",
                        "2025-11-24T17",
                        "--reason",
                        "x"))
                .isEqualTo(2);
        assertThat(stderr()).contains("bad range", "is not before");
        assertThat(run(
                        "mark",
                        "--data",
                        d,
                        "--stream",
                        "ws_market",
                        "--from",
                        "yesterday",
                        "--to",
                        "2025-11-24T17",
                        "--reason",
                        "x"))
                .isEqualTo(2);
        assertThat(stderr()).contains("not a UTC time");
        assertThat(run(
                        "mark",
                        "--data",
                        d,
                        "--stream",
                        "books",
                        "--from",
                        "2025-11-24T16",
                        "--to",
                        "2025-11-24T17",
                        "--reason",
                        "x"))
                .isEqualTo(2);
        assertThat(stderr()).contains("one of rest_books, ws_market, gamma_markets");
        assertThat(run("mark", "--data", d, "--file", WS17, "--stream", "ws_market", "--reason", "x"))
                .isEqualTo(2);
        assertThat(stderr()).contains("exactly one of --file, --stream");
        assertThat(run("mark", "--data", d, "--revoke", "m20251124T000000Z-0000", "--reason", "x"))
                .isEqualTo(2);
        assertThat(stderr()).contains("no mark in force has the id");
        assertThat(run("mark", "--data", dir.resolve("nope").toString(), "--file", WS17, "--reason", "x"))
                .isEqualTo(2);
        assertThat(stderr()).contains("does not exist");
        assertThat(Marks.read(DataDir.of(dir)).active())
                .as("no error wrote a mark")
                .isEmpty();
        assertThat(dir.resolve("marks")).doesNotExist();
    }

    @Test
    void aMarkedHourIsNotUsedAndTheBookIsUnknownUntilTheNextFullBookAfterIt() throws Exception {
        writeThreeHours();
        List<JsonNode> unmarked = replayBooks();
        assertThat(unmarked).extracting(l -> l.get("valid").asBoolean()).containsOnly(true);
        byte[] ws17 = Files.readAllBytes(dir.resolve(WS17));

        assertThat(run(
                        "mark",
                        "--data",
                        dir.toString(),
                        "--file",
                        dir.resolve(WS17).toString(),
                        "--reason",
                        "frames rewritten by a proxy"))
                .as(stderr())
                .isZero();
        String id = stdout().substring("marked ".length(), stdout().indexOf(':'));
        assertThat(stdout())
                .contains(
                        WS17 + ": frames rewritten by a proxy",
                        "marks/raw/ws_market/dt=2025-11-24/hour=17/" + id + ".mark.json",
                        "raw/ws_market/dt=2025-11-24/hour=17/" + id + ".mark.json on the remote");
        assertThat(Files.readAllBytes(dir.resolve(WS17)))
                .as("the raw file is untouched")
                .isEqualTo(ws17);

        List<JsonNode> lines = replayBooks();
        // 16:00 valid; at 17:00 the mark makes the book unknown; 17:00's change and REST book are not used; 18:00's
        // change is applied unknown; 18:00's REST book (the next full book) makes it valid again
        assertThat(lines)
                .extracting(
                        l -> l.get("recv_us").asLong() + " " + l.get("valid").asBoolean())
                .containsExactly(
                        (H16 + 1_000) + " true",
                        (H16 + 2_000) + " true",
                        H17 + " false",
                        (H18 + 1_000) + " false",
                        (H18 + 2_000) + " true");
        assertThat(lines.get(2).path("unknown_reason").asText())
                .as(lines.get(2).toString())
                .isEqualTo("marked invalid");
        assertThat(stderr())
                .contains(
                        "replay: marked invalid, not used: " + WS17 + " (" + id
                                + ": frames rewritten by a proxy; by tester",
                        "marked invalid: 1 hour(s) not used (2 records), by 1 mark(s): " + id,
                        "books made unknown: (marked invalid 1");
        JsonNode report = Rec.JSON.readTree(dir.resolve("r.json").toFile());
        assertThat(report.at("/marks/records_not_used").asLong()).isEqualTo(2);
        assertThat(report.at("/marks/hours_not_used").asLong()).isEqualTo(1);
        assertThat(report.at("/marks/applied/0/id").asText()).isEqualTo(id);
        assertThat(report.at("/marks/applied/0/file").asText()).isEqualTo(WS17);
        assertThat(report.at("/counts/became_unknown/marked invalid").asLong()).isEqualTo(1);

        // withdrawn: both mark files stay, and the hour is used again
        assertThat(run("mark", "--data", dir.toString(), "--revoke", id, "--reason", "only pings were touched"))
                .isZero();
        assertThat(stdout()).startsWith("revoked " + id + " by m");
        assertThat(run("marks", "--data", dir.toString())).isZero();
        assertThat(stdout()).contains("marks in force: 0", "withdrawn: 1", id, "only pings were touched");
        assertThat(replayBooks()).extracting(l -> l.get("valid").asBoolean()).containsOnly(true);
        assertThat(stderr()).doesNotContain("marked invalid");
    }

    @Test
    void aBadMarkFileIsReportedWithItsReasonAndTheGoodMarkStillApplies() throws Exception {
        writeThreeHours();
        assertThat(run(
                        "mark",
                        "--data",
                        dir.toString(),
                        "--stream",
                        "rest_books",
                        "--from",
                        "2025-11-24T17",
                        "--to",
                        "2025-11-24T18",
                        "--instance",
                        "t",
                        "--reason",
                        "REST answers from a stale cache",
                        "--by",
                        "ops"))
                .as(stderr())
                .isZero();
        Path bad = dir.resolve("marks/raw/ws_market/dt=2025-11-24/hour=16/broken.mark.json");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "{\"schema\":\"orderbooks.invalid-mark/1\",");

        assertThat(run("marks", "--data", dir.toString())).isEqualTo(1);
        assertThat(stdout())
                .contains(
                        "marks in force: 1",
                        "rest_books of t 2025-11-24T17Z .. 2025-11-24T18Z",
                        "REST answers from a stale cache (by ops at",
                        "mark files not used: 1",
                        "marks/raw/ws_market/dt=2025-11-24/hour=16/broken.mark.json: not JSON");

        List<JsonNode> lines = replayBooks();
        assertThat(stderr())
                .contains(
                        "replay: warning: mark file marks/raw/ws_market/dt=2025-11-24/hour=16/broken.mark.json not used: not JSON",
                        "marked invalid: 1 hour(s) not used (2 records)");
        assertThat(lines).extracting(l -> l.get("valid").asBoolean()).containsExactly(true, true, false, false, true);
        JsonNode report = Rec.JSON.readTree(dir.resolve("r.json").toFile());
        assertThat(report.at("/marks/bad_mark_files/0/reason").asText()).startsWith("not JSON");
    }
}
