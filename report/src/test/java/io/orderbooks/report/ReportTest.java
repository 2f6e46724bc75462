package io.orderbooks.report;

import static io.orderbooks.report.Fixture.H10;
import static io.orderbooks.report.Fixture.VPS1;
import static io.orderbooks.report.Fixture.us;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.report.render.TextReport;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.RunManifest;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report over data dirs written by the project's own writer, recovery and run manifests. */
class ReportTest {
    private static final String WS10 = "raw/ws_market/dt=2026-11-24/hour=10/ws_market-20261124T10Z-vps1-0001.jsonl.gz";

    /** The cells of the first output line that starts with {@code prefix}, comparing with runs of spaces as one. */
    static List<String> row(String text, String prefix) {
        String want = prefix.strip().replaceAll("\\s+", " ");
        return text.lines()
                .map(l -> l.strip().replaceAll("\\s+", " "))
                .filter(l -> l.startsWith(want))
                .findFirst()
                .map(l -> Arrays.asList(l.split("\\s+")))
                .orElseThrow(() -> new AssertionError("no line starting with " + prefix + " in\n" + text));
    }

    /** The lines of one numbered section ({@code "4."}) up to the next blank line. */
    static String section(String text, String number) {
        int start = text.indexOf("\n" + number + " ");
        if (start < 0) {
            throw new AssertionError("no section " + number + " in\n" + text);
        }
        int end = text.indexOf("\n\n", start + 1);
        return text.substring(start + 1, end < 0 ? text.length() : end);
    }

    static JsonNode json(Path file) throws IOException {
        return Json.parse(Files.readAllBytes(file));
    }

    @Test
    void aCleanHourHasExactCountsNoProblemAndExitsZero() throws Exception {
        try (Fixture f = new Fixture()) {
            RunManifest run = f.run("collector-svc", VPS1);
            try (Fixture.Writer ws = f.ws();
                    Fixture.Writer rest = f.writer(StreamName.REST_BOOKS, VPS1);
                    Fixture.Writer gamma = f.writer(StreamName.GAMMA_MARKETS, VPS1)) {
                ws.connected(us(1), "ws-00.0")
                        .frames("ws-00.0", 0, 99, us(2), 1)
                        .notJson(us(150), "ws-00.0", 100)
                        .disconnected(us(200), "ws-00.0", 101);
                for (int i = 0; i < 10; i++) {
                    rest.book(us(5 + i));
                }
                rest.snapshotRound(us(15), 10, 10, 0, false);
                gamma.page(us(3)).page(us(4));
            }
            f.clock.set(H10.plusSeconds(300));
            run.finish("shutdown");
            f.clock.set(Instant.parse("2026-11-24T11:30:00Z"));
            Path jsonFile = f.root().resolve("report.json");

            Fixture.Result r = f.report("--json", jsonFile.toString());

            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out())
                    .contains("range      2026-11-24T10:00Z .. 2026-11-24T11:00Z  (1 hour, every hour present)");
            // stream, hour, files, records, gz bytes, raw bytes, recovered, .open
            assertThat(row(r.out(), "ws_market  2026-11-24T10:00Z")).element(2).isEqualTo("1");
            assertThat(row(r.out(), "ws_market  2026-11-24T10:00Z")).element(3).isEqualTo("103");
            assertThat(row(r.out(), "rest_books  2026-11-24T10:00Z").subList(2, 4))
                    .containsExactly("1", "11");
            assertThat(row(r.out(), "gamma_markets  2026-11-24T10:00Z").subList(2, 4))
                    .containsExactly("1", "2");
            assertThat(r.out()).contains("kinds: event=2 price_change=100 unparsed=1", "kinds: book=10 event=1");
            assertThat(r.out()).contains("writers: collector-svc/vps1 run 20261124T100000Z-vps1-0001");
            // hour, frames, conns, connected, disconnected, stale, connect_failed, paused, resumed, paused s, not JSON,
            // down s
            assertThat(row(section(r.out(), "3."), "2026-11-24T10:00Z"))
                    .containsExactly(
                            "2026-11-24T10:00Z", "101", "1", "1", "1", "0", "0", "0", "0", "0.000", "1", "3300.000");
            assertThat(r.out()).contains("continuity: 1 connection, 101 frames, 0 seq holes (0 missing frames)");
            // hour, books, rounds, planned, received, missing, failed requests, late rounds, rate_limited,
            // request_failed,
            // error lines
            assertThat(row(section(r.out(), "4."), "2026-11-24T10:00Z"))
                    .containsExactly("2026-11-24T10:00Z", "10", "1", "10", "10", "0", "0", "0", "0", "0", "0");
            assertThat(row(section(r.out(), "5."), "2026-11-24T10:00Z"))
                    .containsExactly("2026-11-24T10:00Z", "2", "0", "0", "0");
            assertThat(r.out()).contains("no gap in the range", "integrity problems: 0", "no ledger");
            assertThat(r.out()).contains("collector-svc  vps1");
            assertThat(r.out())
                    .contains("verdict              OK: 3 closed files intact, every websocket frame accounted for;"
                            + " collector not running 3300.000 s");

            JsonNode j = json(jsonFile);
            assertThat(j.path("schema").asText()).isEqualTo("orderbooks.quality-report/1");
            assertThat(j.path("summary").path("records").asLong()).isEqualTo(103 + 11 + 2);
            assertThat(j.path("summary").path("ws_coverage").asDouble()).isEqualTo(1.0);
            assertThat(j.path("summary").path("collector_down_seconds").asDouble())
                    .isEqualTo(3300.0);
            JsonNode ws = j.path("streams").get(2);
            assertThat(ws.path("stream").asText()).isEqualTo("ws_market");
            assertThat(ws.path("counts").path("price_change").asLong()).isEqualTo(100);
            assertThat(j.path("websocket").path("hours").get(0).path("not_json").asLong())
                    .isEqualTo(1);
            assertThat(j.path("integrity").path("files_checked").asLong()).isEqualTo(3);
        }
    }

    /**
     * Two instances' files in one data dir (two shards' remote folders merged, docs/SCALING.md): the report counts both
     * instances' files of an hour, keeps their connections apart although both are called {@code ws-00.0} and both
     * start at seq 0, and sums their collectors' downtime per instance.
     */
    @Test
    void twoInstancesInOneDataDirAreCountedSideBySide() throws Exception {
        try (Fixture f = new Fixture()) {
            RunManifest run1 = f.run("collector-svc", VPS1);
            RunManifest run2 = f.run("collector-svc", "orderbooks-1");
            try (Fixture.Writer ws1 = f.writer(StreamName.WS_MARKET, VPS1);
                    Fixture.Writer ws2 = f.writer(StreamName.WS_MARKET, "orderbooks-1")) {
                ws1.connected(us(1), "ws-00.0").frames("ws-00.0", 0, 49, us(2), 1);
                ws2.connected(us(1), "ws-00.0").frames("ws-00.0", 0, 29, us(2), 1);
            }
            f.clock.set(H10.plusSeconds(300));
            run1.finish("shutdown");
            f.clock.set(H10.plusSeconds(600));
            run2.finish("shutdown");
            f.clock.set(Instant.parse("2026-11-24T11:30:00Z"));

            Fixture.Result r = f.report();

            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(row(r.out(), "ws_market  2026-11-24T10:00Z").subList(2, 4))
                    .containsExactly("2", "82");
            assertThat(r.out())
                    .contains("writers: collector-svc/orderbooks-1 run", "collector-svc/vps1 run")
                    .contains("continuity: 2 connections, 80 frames, 0 seq holes (0 missing frames)")
                    .contains("integrity problems: 0");
            // hour, frames, conns, …, down s: each instance's own downtime, summed (3300 + 3000)
            assertThat(row(section(r.out(), "3."), "2026-11-24T10:00Z"))
                    .startsWith("2026-11-24T10:00Z", "80", "2")
                    .endsWith("6300.000");
        }
    }

    @Test
    void bookChecksRunByDefaultAndNoBookChecksLeavesThemOutVisibly() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer ws = f.ws();
                    Fixture.Writer rest = f.writer(StreamName.REST_BOOKS, VPS1)) {
                ws.connected(us(1), "ws-00.0").frames("ws-00.0", 0, 9, us(2), 1);
                rest.book(us(5));
            }
            f.clock.set(Instant.parse("2026-11-24T11:30:00Z"));
            Path jsonFile = f.root().resolve("report.json");

            Fixture.Result on = f.report("--json", jsonFile.toString());
            JsonNode checks = Json.MAPPER.readTree(jsonFile.toFile()).get("book_checks");
            assertThat(checks.get("run").asBoolean()).isTrue();
            assertThat(checks.get("goal").asDouble()).isEqualTo(0.999);
            assertThat(checks.get("hours")).hasSize(1);
            assertThat(checks.at("/hours/0/hour").asText()).isEqualTo("2026-11-24T10:00:00Z");
            assertThat(on.out()).contains("9. Rebuilt books checked", "hash agreement", "REST agreement");

            Fixture.Result off = f.report("--json", jsonFile.toString(), "--no-book-checks");
            assertThat(off.code()).isZero();
            assertThat(section(off.out(), "9.")).contains("not run (--no-book-checks)");
            assertThat(off.out()).contains("book checks          not run (--no-book-checks)");
            assertThat(Json.MAPPER
                            .readTree(jsonFile.toFile())
                            .at("/book_checks/run")
                            .asBoolean())
                    .isFalse();
            assertThat(f.report("--no-book-checks=yes").err()).contains("--no-book-checks takes no value");
        }
    }

    @Test
    void connectionIdsWithTheRunTokenAndOldOnesWithoutShareTheirSlot() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer ws = f.ws()) { // a run from before connection ids carried the run token
                ws.connected(us(1), "ws-00.0")
                        .frames("ws-00.0", 0, 49, us(2), 1)
                        .disconnected(us(60), "ws-00.0", 50);
                ws.gap(
                        us(700),
                        "ws",
                        "ws-00.0",
                        us(600),
                        us(660),
                        "stale",
                        Map.of("assets", 2, "resumed_by", "ws-00.1"));
            }
            try (Fixture.Writer ws = f.ws()) { // the next run of the instance: same slot, its own connection
                ws.connected(us(1000), "ws-00.0@3f2a").frames("ws-00.0@3f2a", 0, 49, us(1001), 1);
                ws.gap(
                        us(1300),
                        "ws",
                        "ws-00.0@3f2a",
                        us(1200),
                        us(1230),
                        "disconnected",
                        Map.of("assets", 2, "resumed_by", "ws-00.1@3f2a"));
                ws.connected(us(1299), "ws-00.1@3f2a").frames("ws-00.1@3f2a", 0, 9, us(1301), 1);
            }

            Fixture.Result r = f.report();

            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("by slot: vps1/ws-00 90.000 s (of 1 slot seen)");
            assertThat(r.out()).contains("continuity: 3 connections, 110 frames, 0 seq holes (0 missing frames)");
        }
    }

    @Test
    void gapsAreUnitedAndClippedToEachHour() throws Exception {
        try (Fixture f = new Fixture()) {
            Path jsonFile = f.root().resolve("report.json");
            try (Fixture.Writer ws = f.ws()) {
                ws.connected(us(0.5), "ws-00.0").connected(us(0.6), "ws-01.0");
                // stale on ws-01 10:20:00–10:21:00, and a queue-full loss (no connection) 10:20:30–10:21:30: 90 s
                // together
                ws.gap(
                        us(1260),
                        "ws",
                        "ws-01.0",
                        us(1200),
                        us(1260),
                        "stale",
                        Map.of("assets", 2, "resumed_by", "ws-01.1"));
                ws.gap(us(1291), "ws", null, us(1230), us(1290), "queue-full", Map.of("lost_lines", 5));
                // ws-00 down 10:59:00–11:00:30: recorded at 11:00:30, 60 s in hour 10 and 30 s in hour 11
                ws.disconnected(us(3540), "ws-00.0", 0);
                ws.connected(us(3629), "ws-00.1");
                ws.gap(
                        us(3630),
                        "ws",
                        "ws-00.0",
                        us(3540),
                        us(3630),
                        "disconnected",
                        Map.of("assets", 2, "resumed_by", "ws-00.1"));
            }

            Fixture.Result r = f.report("--json", jsonFile.toString());

            assertThat(r.code()).as(r.out()).isZero();
            // stream, hour, gaps, seconds, lost lines, slot-seconds
            assertThat(row(section(r.out(), "2."), "ws_market  2026-11-24T10:00Z"))
                    .containsExactly("ws_market", "2026-11-24T10:00Z", "3", "150.000", "5", "210.000");
            assertThat(r.out())
                    .contains(
                            "by reason: disconnected 1 gap 60.000 s, queue-full 1 gap 60.000 s, stale 1 gap 60.000 s");
            assertThat(r.out()).contains("by slot: vps1/ws-00 120.000 s, vps1/ws-01 90.000 s (of 2 slots seen)");
            assertThat(row(section(r.out(), "2."), "ws_market  2026-11-24T11:00Z"))
                    .containsExactly("ws_market", "2026-11-24T11:00Z", "1", "30.000", "0", "30.000");
            assertThat(r.out()).contains("websocket gaps       180.000 s; coverage 97.500 % (union over all slots)");
            assertThat(r.out()).contains("slot-seconds lost    240.000 of 10800.000; coverage 97.778 %");

            JsonNode gaps = json(jsonFile).path("gaps");
            assertThat(gaps).hasSize(2);
            JsonNode h10 = gaps.get(0);
            assertThat(h10.path("seconds").asDouble()).isEqualTo(150.0);
            assertThat(h10.path("by_reason").path("queue-full").path("seconds").asDouble())
                    .isEqualTo(60.0);
            assertThat(h10.path("by_slot").path("vps1/ws-00").asDouble()).isEqualTo(120.0);
            assertThat(h10.path("slots").asInt()).isEqualTo(2);
            assertThat(h10.path("lost_lines").asLong()).isEqualTo(5);
            assertThat(gaps.get(1).path("seconds").asDouble()).isEqualTo(30.0);
            assertThat(json(jsonFile).path("summary").path("slot_coverage").asDouble())
                    .isEqualTo(1 - 240.0 / 10800);
        }
    }

    @Test
    void aCollectorDownGapCountsForEverySlotOfItsInstanceAndExplainsNoHole() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer ws = f.ws()) {
                ws.connected(us(10), "ws-00.0").connected(us(10.1), "ws-01.0");
                ws.frames("ws-00.0", 0, 9, us(11), 1).frames("ws-01.0", 0, 9, us(11), 1);
                // The collector was killed at 10:00:20 and started again at 10:05:20: the restart writes the gap
                // (no connection: the whole instance), then its new connections start at seq 0.
                ws.gap(us(320), "ws", null, us(20), us(320), "collector-down", Map.of("previous_run_crashed", true));
                ws.connected(us(321), "ws-00.0").connected(us(321.1), "ws-01.0");
                ws.frames("ws-00.0", 0, 4, us(322), 1).frames("ws-01.0", 0, 4, us(322), 1);
            }

            Fixture.Result r = f.report();

            assertThat(r.code()).as(r.out()).isZero();
            // stream, hour, gaps, seconds, lost lines, slot-seconds: 300 s, on each of the two slots
            assertThat(row(section(r.out(), "2."), "ws_market  2026-11-24T10:00Z"))
                    .containsExactly("ws_market", "2026-11-24T10:00Z", "1", "300.000", "0", "600.000");
            assertThat(r.out()).contains("by reason: collector-down 1 gap 300.000 s");
            assertThat(r.out()).contains("0 seq holes");
        }
    }

    @Test
    void aSeqHoleCoveredByAQueueFullGapIsExplained() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer ws = f.ws()) {
                ws.connected(us(1), "ws-00.0").frames("ws-00.0", 0, 9, us(2), 1).frames("ws-00.0", 13, 19, us(20), 1);
                ws.gap(us(27), "ws", null, us(12), us(14), "queue-full", Map.of("lost_lines", 3));
                ws.disconnected(us(30), "ws-00.0", 20);
            }

            Fixture.Result r = f.report();

            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out())
                    .contains(
                            "17 frames, 1 seq hole (3 missing frames)",
                            "explained by a queue-full/write-error gap: 1 hole, 3 frames",
                            "vps1/ws-00.0: seq 10..12 missing (3 frames, received between 2026-11-24T10:00:11Z and 2026-11-24T10:00:20Z)"
                                    + " — queue-full gap",
                            "UNEXPLAINED (integrity problems): 0 holes, 0 frames");
        }
    }

    @Test
    void aSeqHoleWithoutALossGapIsAnIntegrityProblem() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer ws = f.ws()) {
                ws.connected(us(1), "ws-00.0").frames("ws-00.0", 0, 9, us(2), 1).frames("ws-00.0", 13, 19, us(20), 1);
                // the connection says it received 22 frames: 20 and 21 are missing at its end too
                ws.disconnected(us(30), "ws-00.0", 22);
            }

            Fixture.Result r = f.report();

            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out())
                    .contains(
                            "UNEXPLAINED (integrity problems): 2 holes, 5 frames",
                            "integrity problems: 2",
                            "seq-hole  vps1/ws-00.0: seq 10..12 missing (3 frames",
                            "seq-hole  vps1/ws-00.0: seq 20..21 missing (2 frames",
                            "verdict              NOT OK: 2 integrity problems (section 6)");
        }
    }

    @Test
    void holesBeyondTheLostLinesOfTheirGapAreUnexplained() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer ws = f.ws()) {
                ws.connected(us(1), "ws-00.0").frames("ws-00.0", 0, 9, us(2), 1).frames("ws-00.0", 13, 19, us(20), 1);
                ws.gap(us(27), "ws", null, us(12), us(14), "queue-full", Map.of("lost_lines", 2));
            }

            Fixture.Result r = f.report();

            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out())
                    .contains(
                            "loss-gap-overclaimed  vps1/ws_market: seq holes of 3 frames fall in the queue-full gap",
                            "which lost only 2 lines",
                            "frames beyond the lost_lines of their gap (integrity problem): 1");
        }
    }

    @Test
    void aTruncatedGzipIsAnIntegrityProblemNamingTheFile() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer ws = f.ws()) {
                ws.connected(us(1), "ws-00.0").frames("ws-00.0", 0, 1999, us(2), 0.5);
            }
            Path file = f.root().resolve(WS10);
            long size = Files.size(file);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(size / 2);
            }

            Fixture.Result r = f.report();

            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out())
                    .contains(
                            "gzip-truncated  " + WS10 + ": truncated gzip (",
                            (size / 2) + " bytes on disk, manifest says " + size,
                            "integrity problems: 1");
        }
    }

    @Test
    void aSha256MismatchIsAnIntegrityProblemUnlessNotVerified() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer ws = f.ws()) {
                ws.connected(us(1), "ws-00.0").frames("ws-00.0", 0, 99, us(2), 1);
            }
            // Byte 4 is the gzip header's MTIME: the file still decompresses, only its sha256 tells.
            Path file = f.root().resolve(WS10);
            byte[] bytes = Files.readAllBytes(file);
            bytes[4] ^= 0x5a;
            Files.write(file, bytes);

            Fixture.Result r = f.report();
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("sha256-mismatch  " + WS10 + ": sha256 ");

            Fixture.Result unverified = f.report("--no-verify");
            assertThat(unverified.code()).as(unverified.out()).isZero();
            assertThat(unverified.out())
                    .contains("--no-verify: sha256 not re-hashed", "(sha256 not re-checked: --no-verify)");
        }
    }

    @Test
    void aManifestWithoutItsDataFileAndADataFileWithoutManifestAreProblems() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer rest = f.writer(StreamName.REST_BOOKS, VPS1)) {
                rest.book(us(10)).book(us(3610));
            }
            String h10 = "raw/rest_books/dt=2026-11-24/hour=10/rest_books-20261124T10Z-vps1-0001.jsonl.gz";
            String h11 = "raw/rest_books/dt=2026-11-24/hour=11/rest_books-20261124T11Z-vps1-0001.jsonl.gz";
            Files.delete(f.root().resolve(h10));
            Files.delete(f.root().resolve(h11 + ".manifest.json"));

            Fixture.Result r = f.report();

            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out())
                    .contains(
                            "integrity problems: 2",
                            "manifest-without-data  " + h10 + ".manifest.json: manifest of " + h10
                                    + ", which is not on disk",
                            "no-manifest  " + h11 + ": closed file without a manifest");
        }
    }

    @Test
    void aRecoveredFileAndItsQuarantineNoteAreInformational() throws Exception {
        try (Fixture f = new Fixture()) {
            RunManifest crashed = f.run("collector-svc", VPS1);
            RawFile id = new RawFile(StreamName.WS_MARKET, H10, InstanceId.of(VPS1), 1);
            Path open = f.dir.openPath(id);
            byte[] flushed;
            try (Fixture.Writer ws = f.ws()) {
                ws.connected(us(1), "ws-00.0").frames("ws-00.0", 0, 49, us(2), 1);
                ws.writer.flush();
                flushed = Files.readAllBytes(open); // what a kill -9 would have left
            }
            // The crash: no rename, no manifest; the .open file ends 3 bytes into a later write (a torn line).
            Files.delete(f.dir.closedPath(id));
            Files.delete(f.dir.manifestPath(id));
            Files.write(open, Arrays.copyOf(flushed, flushed.length - 3));
            f.clock.advance(Duration.ofMinutes(5));
            RunManifest next = f.run("collector-svc", VPS1); // marks the first run crash-recovered
            f.ws().close(); // start-up recovery salvages the .open file
            next.finish("shutdown");

            Fixture.Result r = f.report();

            assertThat(r.code()).as(r.out()).isZero();
            assertThat(row(r.out(), "ws_market  2026-11-24T10:00Z").get(6)).isEqualTo("1"); // recovered column
            assertThat(r.out())
                    .contains(
                            "recovered files (informational; the manifest says what recovery dropped): 1",
                            WS10 + ": recovered, dropped 0 lines / 0 bytes; unclosed .open file left by a crash",
                            "quarantine entries (informational; never data, the recovered replacement is): 1",
                            "quarantine/" + WS10 + ".open: unclosed .open file left by a crash or an I/O error",
                            "(replaced by " + WS10 + ")",
                            crashed.runId(),
                            "crash-recovered",
                            "crash-recovered runs: 1",
                            "lines written by run 20261124T100000Z-" + VPS1
                                    + "-0001, recovered by run 20261124T100000Z-" + VPS1 + "-0001");
        }
    }

    @Test
    void anOpenFileIsListedAndNotRead() throws Exception {
        try (Fixture f = new Fixture()) {
            Fixture.Writer ws = f.ws();
            ws.connected(us(1), "ws-00.0").frames("ws-00.0", 0, 9, us(2), 1);
            ws.writer.flush(); // being written: readable, not closed

            Fixture.Result r = f.report();

            assertThat(r.code()).as(r.out()).isZero();
            assertThat(row(r.out(), "ws_market  2026-11-24T10:00Z").subList(2, 8))
                    .containsExactly("0", "0", "0", "0", "0", "1");
            assertThat(r.out())
                    .contains(
                            ".open files (being written, or left by a crash until their instance starts again): 1",
                            WS10 + ".open: ",
                            "NO DATA: no closed file in the range");
        }
    }

    @Test
    void restAndGammaEventsAndErrorsAreCounted() throws Exception {
        try (Fixture f = new Fixture()) {
            Path jsonFile = f.root().resolve("report.json");
            try (Fixture.Writer rest = f.writer(StreamName.REST_BOOKS, VPS1);
                    Fixture.Writer gamma = f.writer(StreamName.GAMMA_MARKETS, VPS1)) {
                rest.book(us(1))
                        .book(us(2))
                        .book(us(3))
                        .rateLimited(us(4), "rest", "POST /books")
                        .rateLimited(us(5), "rest", "POST /books")
                        .restError(us(6), 503)
                        .restError(us(7), 503)
                        .restError(us(8), 0)
                        .snapshotRound(us(9), 10, 8, 1, true)
                        .snapshotRound(us(70), 10, 10, 0, false)
                        .requestFailed(us(71), "rest", "POST /books", 503)
                        .requestFailed(us(72), "rest", "POST /books", 200)
                        .requestFailed(us(73), "rest", "POST /books", 0);
                gamma.page(us(1))
                        .rateLimited(us(2), "gamma", "GET /markets/keyset")
                        .gammaError(us(3), 500)
                        .page(us(4))
                        .requestFailed(us(5), "gamma", "GET /markets/keyset", 502);
            }

            Fixture.Result r = f.report("--json", jsonFile.toString());

            assertThat(r.code()).as(r.out()).isZero();
            // hour, books, rounds, planned, received, missing, failed requests, late rounds, rate_limited,
            // request_failed,
            // error lines (request_failed events are events, not error lines)
            assertThat(row(section(r.out(), "4."), "2026-11-24T10:00Z"))
                    .containsExactly("2026-11-24T10:00Z", "3", "2", "20", "18", "2", "1", "1", "2", "3", "3");
            assertThat(r.out()).contains("errors: HTTP 0 ×1, HTTP 503 ×2", "errors: HTTP 500 ×1");
            assertThat(row(section(r.out(), "5."), "2026-11-24T10:00Z"))
                    .containsExactly("2026-11-24T10:00Z", "2", "1", "1", "1");
            JsonNode j = json(jsonFile);
            assertThat(j.path("rest")
                            .get(0)
                            .path("errors_by_status")
                            .path("503")
                            .asLong())
                    .isEqualTo(2);
            assertThat(j.path("rest").get(0).path("late_rounds").asLong()).isEqualTo(1);
            assertThat(j.path("gamma").get(0).path("pages").asLong()).isEqualTo(2);
            assertThat(j.path("gamma").get(0).path("rate_limited").asLong()).isEqualTo(1);
            assertThat(j.path("rest").get(0).path("request_failed").asLong()).isEqualTo(3);
            assertThat(j.path("gamma").get(0).path("request_failed").asLong()).isEqualTo(1);
        }
    }

    @Test
    void theLedgerSaysWhatIsVerifiedPendingOrMismatched() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer rest = f.writer(StreamName.REST_BOOKS, VPS1)) {
                rest.book(us(-10)).book(us(10)).book(us(3610)).book(us(7210));
            }
            String h09 = restFile("09");
            String h10 = restFile("10");
            String h11 = restFile("11");
            String h12 = restFile("12");
            Files.delete(f.root().resolve(h09)); // retention deleted it after a verified upload
            StringBuilder ledger = new StringBuilder();
            ledger.append(uploaded(f, h09, "data", "verified"))
                    .append(uploaded(f, h09 + ".manifest.json", "manifest", "verified"))
                    .append(line(f, h09, "delete", "data", "deleted"));
            ledger.append(uploaded(f, h10, "data", "verified"))
                    .append(uploaded(f, h10 + ".manifest.json", "manifest", "verified"));
            ledger.append(uploaded(f, h11, "data", "verified")); // manifest not uploaded yet
            ledger.append(uploaded(f, h12, "data", "verified")).append(uploaded(f, h12, "data", "mismatch"));
            Files.createDirectories(f.dir.ledger().getParent());
            Files.writeString(f.dir.ledger(), ledger);

            Fixture.Result r = f.report();

            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out())
                    .contains(
                            "closed files in the range: 3; verified on the remote: 1; pending: 1; mismatch: 1",
                            "pending (not yet verified; offload retries each run):\n    " + h11,
                            "mismatch (informational: offload keeps the local file and uploads it again):\n    " + h12,
                            "deleted locally by retention after verification (hours in the range): 1",
                            "manifests whose data file retention deleted after a verified offload (informational): 1",
                            "integrity problems: 0");

            // a damaged local file whose verified copy is on the remote says where to get it back
            Files.write(f.root().resolve(h10), new byte[] {0x1f});
            assertThat(f.report().out())
                    .contains(
                            "gzip-truncated  " + h10,
                            "(offload verified an intact copy on the remote: restore it from there)");
        }
    }

    /**
     * After offload compacted its ledger (docs/OFFLOAD.md "Ledger compaction"), the lines of a deletion weeks ago are
     * only in {@code offload/ledger-archive/}: the report reads them first, so it says the same as before. Discovery's
     * history copies, their manifests and their ledger lines are not raw files and change nothing.
     */
    @Test
    void aCompactedLedgerAndDiscoveryHistoryCopiesChangeNothing() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer rest = f.writer(StreamName.REST_BOOKS, VPS1)) {
                rest.book(us(-10)).book(us(10)).book(us(3610)).book(us(7210));
            }
            String h09 = restFile("09");
            String h10 = restFile("10");
            String h11 = restFile("11");
            String h12 = restFile("12");
            Path copy = io.orderbooks.shared.manifests.TokensJson.publish(
                    f.dir,
                    io.orderbooks.shared.manifests.TokensFile.of(
                            java.time.Instant.parse("2026-11-24T10:30:00Z"),
                            "run-1",
                            "test",
                            null,
                            List.of(new io.orderbooks.shared.manifests.TokenEntry(
                                    "323",
                                    "No",
                                    0,
                                    "0xa467" + "0".repeat(60),
                                    "1",
                                    "s",
                                    "q",
                                    "e",
                                    false,
                                    "2026-12-31T00:00:00Z",
                                    "0.001",
                                    "5",
                                    io.orderbooks.shared.manifests.Protocol.V1))));
            // Another discovery instance's copy of the same second, and one named before names carried the
            // instance: history copies of every form change nothing either.
            Path otherInstance = f.dir.tokensHistory(
                    java.time.Instant.parse("2026-11-24T10:30:00Z"),
                    io.orderbooks.shared.layout.InstanceId.of("orderbooks-1"));
            Files.copy(copy, otherInstance);
            Files.copy(
                    copy,
                    f.dir.historyCopy(io.orderbooks.shared.layout.HistoryCopyName.withoutInstance(
                            java.time.Instant.parse("2026-11-24T10:30:00Z"))));
            io.orderbooks.shared.manifests.TokensHistory.repairManifests(
                    f.dir,
                    new io.orderbooks.shared.manifests.WriterInfo(
                            "discovery-svc", "test", io.orderbooks.shared.layout.InstanceId.of("vps1"), "run-1"),
                    java.time.Instant.parse("2026-11-24T10:31:00Z"));
            String history = f.dir.relative(copy);
            Files.delete(f.root().resolve(h09)); // retention deleted it after a verified upload, long ago
            String archived = uploaded(f, h09, "data", "verified")
                    + uploaded(f, h09 + ".manifest.json", "manifest", "verified")
                    + line(f, h09, "delete", "data", "deleted");
            Path archive = f.dir.ledgerArchive().resolve("ledger-20261224T000000Z.jsonl.gz");
            Files.createDirectories(archive.getParent());
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(archive))) {
                out.write(archived.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            StringBuilder ledger = new StringBuilder();
            ledger.append(uploaded(f, h10, "data", "verified"))
                    .append(uploaded(f, h10 + ".manifest.json", "manifest", "verified"));
            ledger.append(uploaded(f, h11, "data", "verified")); // manifest not uploaded yet
            ledger.append(uploaded(f, h12, "data", "verified")).append(uploaded(f, h12, "data", "mismatch"));
            ledger.append(uploaded(f, history, "data", "verified"))
                    .append(line(f, history, "delete", "data", "deleted"));
            Files.writeString(f.dir.ledger(), ledger);

            Fixture.Result r = f.report();

            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out())
                    .contains(
                            "closed files in the range: 3; verified on the remote: 1; pending: 1; mismatch: 1",
                            "deleted locally by retention after verification (hours in the range): 1",
                            "manifests whose data file retention deleted after a verified offload (informational): 1",
                            "integrity problems: 0")
                    .doesNotContain("discovery/history", "tokens_history");
        }
    }

    private static String restFile(String hour) {
        return "raw/rest_books/dt=2026-11-24/hour=" + hour + "/rest_books-20261124T" + hour + "Z-vps1-0001.jsonl.gz";
    }

    /** An upload line as offload-svc writes it (docs/OFFLOAD.md §5), with the object's real hashes. */
    private static String uploaded(Fixture f, String rel, String kind, String result) throws IOException {
        return line(f, rel, "upload", kind, result);
    }

    private static String line(Fixture f, String rel, String action, String kind, String result) throws IOException {
        Path p = f.root().resolve(rel);
        String sha;
        String md5;
        if (kind.equals("data")) {
            var m = io.orderbooks.shared.manifests.FileManifest.parse(
                    Files.readAllBytes(f.root().resolve(rel + ".manifest.json")));
            sha = m.sha256();
            md5 = m.md5();
        } else {
            byte[] b = Files.readAllBytes(p);
            sha = Checksums.sha256Hex(b);
            md5 = Checksums.md5Hex(b);
        }
        return "{\"time\":\"2026-11-24T13:00:00Z\",\"action\":\"" + action + "\",\"kind\":\"" + kind + "\",\"file\":\""
                + rel
                + "\",\"bytes\":1,\"sha256\":\"" + sha + "\",\"md5\":\"" + md5 + "\",\"remote\":\"gdrive:orderbooks/"
                + rel
                + "\",\"result\":\"" + result + "\",\"remote_md5\":\"" + md5
                + "\",\"remote_bytes\":1,\"duration_ms\":3}\n";
    }

    @Test
    void fromAndToSelectWholeHours() throws Exception {
        try (Fixture f = new Fixture()) {
            Path jsonFile = f.root().resolve("report.json");
            try (Fixture.Writer ws = f.ws();
                    Fixture.Writer rest = f.writer(StreamName.REST_BOOKS, VPS1)) {
                // one connection through three hours: 10 frames in each
                ws.connected(us(1), "ws-00.0")
                        .frames("ws-00.0", 0, 9, us(2), 1)
                        .frames("ws-00.0", 10, 19, us(3602), 1)
                        .frames("ws-00.0", 20, 29, us(7202), 1);
                rest.book(us(5)).book(us(3605)).book(us(3606)).book(us(7205));
            }

            Fixture.Result r = f.report(
                    "--from", "2026-11-24T11:00Z", "--to", "2026-11-24T12:00:00Z", "--json", jsonFile.toString());

            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("range      2026-11-24T11:00Z .. 2026-11-24T12:00Z  (1 hour, --from/--to)");
            assertThat(r.out()).doesNotContain("2026-11-24T10:00Z");
            assertThat(r.out().lines().filter(l -> l.contains("2026-11-24T12:00Z") && !l.startsWith("range")))
                    .isEmpty();
            assertThat(row(r.out(), "rest_books  2026-11-24T11:00Z").get(3)).isEqualTo("2");
            assertThat(row(r.out(), "ws_market  2026-11-24T11:00Z").get(3)).isEqualTo("10");
            // the connection opened before the range: its first ten frames are in a file not read
            assertThat(r.out())
                    .contains("before the first file read (connection opened outside the range): 1 hole, 10 frames");
            JsonNode j = json(jsonFile);
            assertThat(j.path("range").path("hours").asInt()).isEqualTo(1);
            assertThat(j.path("summary").path("records").asLong()).isEqualTo(12);

            Fixture.Result open = f.report("--from", "2026-11-24T11:00Z");
            assertThat(open.out())
                    .contains("range      2026-11-24T11:00Z .. 2026-11-24T13:00Z  (2 hours, --from/--to)");
            assertThat(row(open.out(), "records")).element(1).isEqualTo("23");
        }
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        try (Fixture f = new Fixture()) {
            assertThat(f.report("--bogus")).satisfies(r -> {
                assertThat(r.code()).isEqualTo(2);
                assertThat(r.out()).isEmpty();
                assertThat(r.err())
                        .startsWith("report: unknown argument: --bogus")
                        .contains("usage:");
            });
            assertThat(f.reportRaw("--data-dir", f.root().resolve("nope").toString()))
                    .satisfies(r -> {
                        assertThat(r.code()).isEqualTo(2);
                        assertThat(r.err()).contains("does not exist");
                    });
            assertThat(f.report("--from", "2026-11-24T10:30Z").err()).contains("must be a whole UTC hour");
            assertThat(f.report("--from", "yesterday").code()).isEqualTo(2);
            assertThat(f.report("--from", "2026-11-24T11:00Z", "--to", "2026-11-24T10:00Z")
                            .err())
                    .contains("must be before");
            assertThat(f.report("--json").err()).contains("--json needs a value");
            assertThat(f.report("--no-verify=yes").code()).isEqualTo(2);
            assertThat(f.reportRaw("--help")).satisfies(r -> {
                assertThat(r.code()).isZero();
                assertThat(r.out()).startsWith("usage:");
            });
            // an empty data dir is not an error: nothing to report
            assertThat(f.report()).satisfies(r -> {
                assertThat(r.code()).isZero();
                assertThat(r.out()).contains("NO DATA");
            });
        }
    }

    @Test
    void theJsonCarriesTheSameFiguresAsTheText() throws Exception {
        try (Fixture f = new Fixture()) {
            Path jsonFile = f.root().resolve("out/report.json");
            try (Fixture.Writer ws = f.ws();
                    Fixture.Writer rest = f.writer(StreamName.REST_BOOKS, VPS1)) {
                ws.connected(us(1), "ws-00.0")
                        .frames("ws-00.0", 0, 9, us(2), 1)
                        .frames("ws-00.0", 12, 20, us(20), 1)
                        .frame(us(3700), "ws-00.0", 21)
                        .gap(us(3701), "ws", "ws-01.0", us(3000), us(3650), "reconnecting", Map.of("assets", 1));
                rest.book(us(3)).restError(us(4), 429);
            }

            Fixture.Result r = f.report("--json", jsonFile.toString());
            JsonNode j = json(jsonFile);

            assertThat(r.code()).isEqualTo(1);
            JsonNode s = j.path("summary");
            assertThat(row(r.out(), "hours"))
                    .element(1)
                    .isEqualTo(s.path("hours").asText());
            assertThat(row(r.out(), "records"))
                    .containsSubsequence(
                            s.path("records").asText(), "in", s.path("files").asText());
            assertThat(row(r.out(), "websocket gaps"))
                    .element(2)
                    .isEqualTo(TextReport.seconds(s.path("ws_gap_seconds").asDouble()));
            assertThat(row(r.out(), "integrity problems"))
                    .element(2)
                    .isEqualTo(s.path("integrity_problems").asText());
            assertThat(row(r.out(), "verdict").subList(1, 5))
                    .containsExactly(
                            s.path("verdict").asText().split(" ", 5)[0],
                            s.path("verdict").asText().split(" ")[1],
                            s.path("verdict").asText().split(" ")[2],
                            s.path("verdict").asText().split(" ")[3]);
            for (JsonNode sh : j.path("streams")) {
                List<String> cells = row(
                        r.out(),
                        sh.path("stream").asText() + "  "
                                + TextReport.hour(Instant.parse(sh.path("hour").asText())));
                assertThat(cells.subList(2, 8))
                        .containsExactly(
                                sh.path("files").asText(),
                                sh.path("records").asText(),
                                sh.path("bytes").asText(),
                                sh.path("uncompressed_bytes").asText(),
                                sh.path("recovered").asText(),
                                sh.path("open_files").asText());
            }
            JsonNode problem = j.path("integrity").path("problems").get(0);
            assertThat(r.out())
                    .contains(problem.path("kind").asText() + "  "
                            + problem.path("file").asText() + ": "
                            + problem.path("detail").asText());
            assertThat(j.path("websocket")
                            .path("continuity")
                            .path("unexplained")
                            .path("frames")
                            .asLong())
                    .isEqualTo(2);
            assertThat(j.path("gaps").get(0).path("seconds").asDouble()).isEqualTo(600.0);
            assertThat(j.path("gaps").get(1).path("seconds").asDouble()).isEqualTo(50.0);
            assertThat(j.path("rest")
                            .get(0)
                            .path("errors_by_status")
                            .path("429")
                            .asLong())
                    .isEqualTo(1);
        }
    }
}
