package io.orderbooks.report;

import static io.orderbooks.report.Fixture.H10;
import static io.orderbooks.report.Fixture.VPS1;
import static io.orderbooks.report.Fixture.us;
import static io.orderbooks.report.ReportTest.json;
import static io.orderbooks.report.ReportTest.row;
import static io.orderbooks.report.ReportTest.section;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.InvalidMark;
import io.orderbooks.shared.manifests.LedgerAction;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.manifests.LedgerResult;
import io.orderbooks.shared.manifests.Marks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's invalid marks (docs/DATA-FORMAT.md §8) in the report: written with the contract's own writer
 * ({@link Marks#write}) beside data written by the project's writer, read back by the report process in-process.
 */
class ReportMarksTest {
    private static final Instant H11 = H10.plusSeconds(3600);
    private static final Instant AT = Instant.parse("2026-11-24T13:05:00Z");
    private static final String WS11 = "raw/ws_market/dt=2026-11-24/hour=11/ws_market-20261124T11Z-vps1-0001.jsonl.gz";
    private static final String BROKEN = "marks/raw/ws_market/broken.mark.json";

    /** Three hours of REST books and websocket frames of one asset, each hour opened by a full REST book. */
    private static void record(Fixture f) throws IOException {
        try (Fixture.Writer ws = f.ws();
                Fixture.Writer rest = f.writer(StreamName.REST_BOOKS, VPS1)) {
            ws.connected(us(1), "ws-00.0");
            for (int h = 0; h < 3; h++) {
                // The first REST book sets the book, the second (same timestamp, same levels) is compared with it.
                long ts = us(h * 3600 + 4) / 1000;
                rest.book(us(h * 3600 + 5), ts).book(us(h * 3600 + 6), ts);
                ws.frames("ws-00.0", h * 10L, h * 10L + 9, us(h * 3600 + 10), 1);
            }
        }
        f.clock.set(Instant.parse("2026-11-24T13:30:00Z"));
    }

    /** An upload line of a mark exactly as offload writes it (kind mark, the mark file's real hashes). */
    private static void markUploaded(Fixture f, InvalidMark m) throws IOException {
        byte[] b = Files.readAllBytes(f.root().resolve(m.relativePath()));
        LedgerEntry e = new LedgerEntry(
                AT.plusSeconds(60),
                LedgerAction.UPLOAD,
                LedgerKind.MARK,
                m.relativePath(),
                b.length,
                Checksums.sha256Hex(b),
                Checksums.md5Hex(b),
                "gdrive:orderbooks/" + m.remotePath(),
                LedgerResult.VERIFIED,
                Checksums.md5Hex(b),
                (long) b.length,
                40,
                null);
        Files.createDirectories(f.dir.ledger().getParent());
        Files.write(
                f.dir.ledger(),
                e.toJsonLine(),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    void aMarkedFileAndItsHoursAreShownAndTheBookChecksDoNotUseThem() throws Exception {
        try (Fixture f = new Fixture()) {
            record(f);
            Fixture.Result before = f.report();
            assertThat(before.code()).as(before.out()).isZero();
            // hour, hash checked, agreed, disagreed, not checkable, rate, REST checked, ...
            List<String> hour11Before = row(section(before.out(), "9."), "2026-11-24T11:00Z");
            assertThat(Long.parseLong(hour11Before.get(6)))
                    .as("REST books checked in hour 11 without a mark")
                    .isPositive();

            InvalidMark fileMark = InvalidMark.forFile(WS11, "frames replayed twice by a proxy", "ops-anna", AT);
            Marks.write(f.dir, fileMark);
            InvalidMark hoursMark = InvalidMark.forHours(
                    StreamName.REST_BOOKS, null, H10, H11, "suspected clock jump", "ops-ben", AT.plusSeconds(1));
            Marks.write(f.dir, hoursMark);
            InvalidMark revocation =
                    InvalidMark.revocationOf(hoursMark, "clock was fine", "ops-ben", AT.plusSeconds(2));
            Marks.write(f.dir, revocation);
            Files.writeString(f.root().resolve(BROKEN), "{\"schema\":");
            markUploaded(f, fileMark);
            Path jsonFile = f.root().resolve("report.json");

            Fixture.Result r = f.report("--json", jsonFile.toString());

            // The unusable mark file is an integrity problem: an operator's statement that is not honoured.
            assertThat(r.code()).as(r.out()).isEqualTo(1);
            assertThat(section(r.out(), "6."))
                    .contains("integrity problems: 1", "unusable-mark  " + BROKEN + ": not JSON");

            // Section 1: stream, hour, files, records, gz bytes, raw bytes, recovered, .open, marked
            assertThat(row(r.out(), "ws_market  2026-11-24T11:00Z").get(8)).isEqualTo("1");
            assertThat(row(r.out(), "ws_market  2026-11-24T10:00Z").get(8)).isEqualTo("0");
            assertThat(row(r.out(), "rest_books  2026-11-24T10:00Z").get(8))
                    .as("a revoked mark marks nothing")
                    .isEqualTo("0");
            assertThat(section(r.out(), "1."))
                    .containsOnlyOnce(
                            "MARKED INVALID, not to be used: " + fileMark.id() + " (frames replayed twice by a proxy)");

            // Section 9: the marked hour is not used (both streams, as replay), and the hour after it checks only
            // from its first full book on.
            String s9 = section(r.out(), "9.");
            List<String> hour11 = row(s9, "2026-11-24T11:00Z");
            assertThat(hour11.subList(1, 5)).as("hash figures").containsOnly("0");
            assertThat(hour11.subList(6, 10)).as("REST figures").containsOnly("0");
            assertThat(s9)
                    .contains("MARKED INVALID, not used (books unknown until the next full book): " + fileMark.id()
                            + " (frames replayed twice by a proxy)");
            assertThat(row(s9, "2026-11-24T10:00Z")).isEqualTo(row(section(before.out(), "9."), "2026-11-24T10:00Z"));

            // Section 10: every mark, who and when, and whether it reached the remote.
            String s10 = section(r.out(), "10.");
            assertThat(s10)
                    .contains(
                            "active marks over the range: 1; revoked: 1; unusable mark files: 1; marks outside the"
                                    + " range: 0",
                            "    " + fileMark.id() + "  " + WS11 + ": frames replayed twice by a proxy (by ops-anna at"
                                    + " 2026-11-24T13:05:00Z; " + fileMark.relativePath() + "; remote: verified)",
                            "      closed files taken in: 1\n        " + WS11,
                            "    REVOKED " + hoursMark.id() + "  rest_books (every instance) 2026-11-24T10Z .."
                                    + " 2026-11-24T11Z: suspected clock jump (by ops-ben",
                            "      revoked by " + revocation.id() + "  ",
                            ": clock was fine (by ops-ben at 2026-11-24T13:05:02Z; " + revocation.relativePath()
                                    + "; remote: pending)",
                            "    UNUSABLE " + BROKEN + ": not JSON");
            assertThat(r.out())
                    .contains("marked invalid       1 closed file in 1 stream-hour, 1 hour of book checks not used, by"
                            + " 1 active mark (section 10)");

            // Section 7: the mark's ledger line is no data file.
            assertThat(section(r.out(), "7."))
                    .contains("closed files in the range: 6; verified on the remote: 0; pending: 6; mismatch: 0");

            JsonNode j = json(jsonFile);
            JsonNode ws11 = j.path("streams").get(2 * 3 + 1);
            assertThat(ws11.path("stream").asText() + " " + ws11.path("hour").asText())
                    .isEqualTo("ws_market 2026-11-24T11:00:00Z");
            assertThat(ws11.path("marked_files").asLong()).isEqualTo(1);
            assertThat(ws11.at("/invalid_marks/0/id").asText()).isEqualTo(fileMark.id());
            assertThat(ws11.at("/invalid_marks/0/reason").asText()).isEqualTo("frames replayed twice by a proxy");
            JsonNode h11 = j.at("/book_checks/hours/1");
            assertThat(h11.path("hour").asText()).isEqualTo("2026-11-24T11:00:00Z");
            assertThat(h11.path("marked_invalid").asBoolean()).isTrue();
            assertThat(h11.at("/invalid_marks/0/id").asText()).isEqualTo(fileMark.id());
            assertThat(h11.at("/rest/checked").asLong()).isZero();
            assertThat(j.at("/book_checks/hours/0/marked_invalid").asBoolean()).isFalse();
            JsonNode marks = j.path("invalid_marks");
            assertThat(marks.at("/active/0/id").asText()).isEqualTo(fileMark.id());
            assertThat(marks.at("/active/0/scope").asText()).isEqualTo("file");
            assertThat(marks.at("/active/0/by").asText()).isEqualTo("ops-anna");
            assertThat(marks.at("/active/0/at").asText()).isEqualTo("2026-11-24T13:05:00Z");
            assertThat(marks.at("/active/0/remote").asText()).isEqualTo("verified");
            assertThat(marks.at("/active/0/files/0").asText()).isEqualTo(WS11);
            assertThat(marks.at("/revoked/0/id").asText()).isEqualTo(hoursMark.id());
            assertThat(marks.at("/revoked/0/revoked_by/id").asText()).isEqualTo(revocation.id());
            assertThat(marks.at("/revoked/0/revoked_by/reason").asText()).isEqualTo("clock was fine");
            assertThat(marks.at("/unusable/0/file").asText()).isEqualTo(BROKEN);
            assertThat(marks.at("/unusable/0/reason").asText()).startsWith("not JSON");
            assertThat(marks.path("marked_files").asLong()).isEqualTo(1);
            assertThat(marks.path("book_hours_not_used").asLong()).isEqualTo(1);
            assertThat(j.at("/summary/marked_files").asLong()).isEqualTo(1);
            assertThat(j.at("/integrity/problems/0/kind").asText()).isEqualTo("unusable-mark");
        }
    }

    @Test
    void anHoursMarkOfAnotherInstanceWithdrawsTheHourButMarksNoFileOfThisOne() throws Exception {
        try (Fixture f = new Fixture()) {
            record(f);
            InvalidMark other = InvalidMark.forHours(
                    StreamName.WS_MARKET,
                    InstanceId.of("vps2"),
                    H11,
                    H11.plusSeconds(3600),
                    "vps2 disk full",
                    "ops-anna",
                    AT);
            Marks.write(f.dir, other);
            InvalidMark elsewhere = InvalidMark.forHours(
                    StreamName.WS_MARKET,
                    null,
                    H10.minusSeconds(3 * 3600),
                    H10.minusSeconds(2 * 3600),
                    "before this range",
                    "ops-anna",
                    AT.plusSeconds(1));
            Marks.write(f.dir, elsewhere);

            Fixture.Result r = f.report();

            assertThat(r.code()).as(r.out()).isZero();
            assertThat(row(r.out(), "ws_market  2026-11-24T11:00Z").get(8)).isEqualTo("0");
            assertThat(section(r.out(), "1.")).contains("MARKED INVALID, not to be used: " + other.id());
            assertThat(section(r.out(), "9.")).contains("MARKED INVALID, not used");
            assertThat(section(r.out(), "10."))
                    .contains(
                            "active marks over the range: 1; revoked: 0; unusable mark files: 0; marks outside the"
                                    + " range: 1",
                            "ws_market of vps2 2026-11-24T11Z .. 2026-11-24T12Z: vps2 disk full",
                            "remote: no-ledger)\n      closed files taken in: 0")
                    .doesNotContain(elsewhere.id());
            // No file of the range is marked: the verdict stays OK and says nothing of marked files.
            assertThat(r.out())
                    .contains("verdict              OK: 6 closed files intact")
                    .doesNotContain("marked invalid, not to be used (section 10)");
        }
    }

    @Test
    void theVerdictNamesMarkedFilesAndARangeWithoutMarksShowsAnEmptySection() throws Exception {
        try (Fixture f = new Fixture()) {
            record(f);
            Fixture.Result clean = f.report();
            assertThat(section(clean.out(), "10."))
                    .contains("active marks over the range: 0; revoked: 0; unusable mark files: 0; marks outside"
                            + " the range: 0");
            assertThat(clean.out()).doesNotContain("MARKED INVALID");

            Marks.write(f.dir, InvalidMark.forFile(WS11, "bad proxy", "ops-anna", AT));
            Fixture.Result r = f.report();

            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out())
                    .contains("; 1 closed file marked invalid, not to be used (section 10)")
                    .contains("verdict              OK: 6 closed files intact");
        }
    }
}
