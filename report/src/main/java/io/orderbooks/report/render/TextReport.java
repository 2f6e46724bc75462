package io.orderbooks.report.render;

import io.orderbooks.report.model.QualityReport;
import io.orderbooks.report.model.QualityReport.GapHour;
import io.orderbooks.report.model.QualityReport.Hole;
import io.orderbooks.report.model.QualityReport.HoleCount;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The report as text for a person (stdout): one section per question, then a summary and a one-line verdict. */
public final class TextReport {
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final int LISTED = 20;

    private TextReport() {}

    public static String render(QualityReport r) {
        StringBuilder out = new StringBuilder();
        header(r, out);
        files(r, out);
        gaps(r, out);
        websocket(r, out);
        rest(r, out);
        gamma(r, out);
        integrity(r, out);
        offload(r, out);
        runs(r, out);
        bookChecks(r, out);
        invalidMarks(r, out);
        summary(r, out);
        return out.toString();
    }

    public static String hour(Instant t) {
        return HOUR.format(t);
    }

    public static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String percent(Double fraction) {
        return fraction == null ? "n/a" : String.format(Locale.ROOT, "%.3f %%", fraction * 100);
    }

    private static String range(QualityReport r) {
        if (r.range().isEmpty()) {
            return "no hours (nothing present" + (r.rangeGiven() ? " in the range asked for)" : ")");
        }
        int h = r.range().hours();
        return hour(r.range().from()) + " .. " + hour(r.range().to()) + "  (" + h + " hour" + (h == 1 ? "" : "s") + ", "
                + (r.rangeGiven() ? "--from/--to" : "every hour present") + ")";
    }

    private static void header(QualityReport r, StringBuilder out) {
        out.append("orderbooks data quality report (")
                .append(QualityReport.SCHEMA)
                .append(")\n");
        out.append("data dir   ").append(r.dataDir()).append('\n');
        out.append("range      ").append(range(r)).append('\n');
        out.append("checked    ")
                .append(
                        r.verified()
                                ? "size, sha256, gzip and record count of every closed file"
                                : "size, gzip and record count of every closed file (--no-verify: sha256 not re-hashed)")
                .append('\n');
        out.append("generated  ").append(SECOND.format(r.generatedAt())).append('\n');
    }

    private static void section(StringBuilder out, String title) {
        out.append('\n').append(title).append('\n');
    }

    private static void files(QualityReport r, StringBuilder out) {
        section(out, "1. Files per stream and hour (figures from the manifests of closed files)");
        Table t = new Table(
                2, "stream", "hour", "files", "records", "gz bytes", "raw bytes", "recovered", ".open", "marked");
        for (QualityReport.StreamHour s : r.streams()) {
            t.row(
                    s.stream(),
                    hour(s.hour()),
                    s.files(),
                    s.records(),
                    s.bytes(),
                    s.uncompressedBytes(),
                    s.recovered(),
                    s.openFiles(),
                    s.markedFiles());
            if (!s.invalidMarks().isEmpty()) {
                t.note("MARKED INVALID, not to be used: " + marks(s.invalidMarks()));
            }
            if (!s.counts().isEmpty()) {
                t.note("kinds: " + joinCounts(s.counts()));
            }
            if (!s.writers().isEmpty()) {
                t.note("writers: " + String.join(", ", s.writers()));
            }
        }
        if (t.isEmpty()) {
            out.append("  no hours in the range\n");
        } else {
            t.print(out, "  ");
        }
    }

    private static String joinCounts(Map<?, Long> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.comparingByKey((a, b) -> a.toString().compareTo(b.toString())))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    private static void gaps(QualityReport r, StringBuilder out) {
        section(out, "2. Gaps (manifest gaps clipped to each hour; overlapping gaps count once)");
        if (r.gaps().isEmpty()) {
            out.append("  no gap in the range\n");
            return;
        }
        Table t = new Table(2, "stream", "hour", "gaps", "seconds", "lost lines", "slot-seconds");
        for (GapHour g : r.gaps()) {
            t.row(
                    g.stream(),
                    hour(g.hour()),
                    g.gaps(),
                    seconds(g.seconds()),
                    g.lostLines(),
                    g.slots() > 0 ? seconds(g.slotSeconds()) : "-");
            t.note("by reason: "
                    + g.byReason().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue().gaps() + " gap"
                                    + (e.getValue().gaps() == 1 ? "" : "s") + " "
                                    + seconds(e.getValue().seconds()) + " s")
                            .collect(Collectors.joining(", ")));
            if (!g.bySlot().isEmpty()) {
                t.note("by slot: "
                        + g.bySlot().entrySet().stream()
                                .map(e -> e.getKey() + " " + seconds(e.getValue()) + " s")
                                .collect(Collectors.joining(", "))
                        + " (of " + g.slots() + " slot" + (g.slots() == 1 ? "" : "s")
                        + " seen)");
            }
        }
        t.print(out, "  ");
    }

    private static void websocket(QualityReport r, StringBuilder out) {
        section(out, "3. Websocket (ws_market): events per hour and seq continuity");
        Table t = new Table(
                1,
                "hour",
                "frames",
                "conns",
                "connected",
                "disconnected",
                "stale",
                "connect_failed",
                "paused",
                "resumed",
                "paused s",
                "not JSON",
                "collector down s");
        for (QualityReport.WsHour h : r.wsHours()) {
            t.row(
                    hour(h.hour()),
                    h.frames(),
                    h.connections(),
                    h.connected(),
                    h.disconnected(),
                    h.stale(),
                    h.connectFailed(),
                    h.paused(),
                    h.resumed(),
                    seconds(h.pausedSeconds()),
                    h.notJson(),
                    h.collectorDownSeconds() == null ? "n/a" : seconds(h.collectorDownSeconds()));
        }
        if (!t.isEmpty()) {
            t.print(out, "  ");
        }
        QualityReport.Continuity c = r.continuity();
        out.append("  continuity: ")
                .append(count(c.connections(), "connection"))
                .append(", ")
                .append(count(c.frames(), "frame"))
                .append(", ")
                .append(count(c.holes(), "seq hole"))
                .append(" (")
                .append(count(c.missingFrames(), "missing frame"))
                .append(")\n");
        holes(out, "explained by a queue-full/write-error gap", c.explainedByLossGap(), true);
        holes(out, "before the first file read (connection opened outside the range)", c.outsideRange(), false);
        holes(out, "UNEXPLAINED (integrity problems)", c.unexplained(), true);
        if (c.overClaimedFrames() > 0) {
            out.append("    frames beyond the lost_lines of their gap (integrity problem): ")
                    .append(c.overClaimedFrames())
                    .append('\n');
        }
        if (c.outOfOrder().holes() > 0) {
            holes(out, "OUT OF ORDER (a seq at or below one already seen; integrity problems)", c.outOfOrder(), true);
        }
    }

    private static void holes(StringBuilder out, String what, HoleCount h, boolean listExamples) {
        out.append("    ")
                .append(what)
                .append(": ")
                .append(h.holes())
                .append(" hole")
                .append(h.holes() == 1 ? "" : "s")
                .append(", ")
                .append(h.frames())
                .append(" frame")
                .append(h.frames() == 1 ? "" : "s")
                .append('\n');
        if (listExamples) {
            for (Hole e : h.examples()) {
                out.append("      ")
                        .append(e.instance())
                        .append('/')
                        .append(e.conn())
                        .append(": ")
                        .append(e.text());
                if (!e.explanation().equals(Hole.UNEXPLAINED)
                        && !e.explanation().startsWith("seq ")) {
                    out.append(" — ").append(e.explanation());
                }
                out.append('\n');
            }
            if (h.holes() > h.examples().size()) {
                out.append("      … and ")
                        .append(h.holes() - h.examples().size())
                        .append(" more\n");
            }
        }
    }

    private static String errors(Map<Integer, Long> byStatus) {
        return byStatus.isEmpty()
                ? "-"
                : new java.util.TreeMap<>(byStatus)
                        .entrySet().stream()
                                .map(e -> "HTTP " + e.getKey() + " ×" + e.getValue())
                                .collect(Collectors.joining(", "));
    }

    private static void rest(QualityReport r, StringBuilder out) {
        section(out, "4. REST snapshots (rest_books)");
        Table t = new Table(
                1,
                "hour",
                "books",
                "rounds",
                "planned",
                "received",
                "missing",
                "failed requests",
                "late rounds",
                "rate_limited",
                "request_failed",
                "error lines");
        for (QualityReport.RestHour h : r.rest()) {
            t.row(
                    hour(h.hour()),
                    h.books(),
                    h.rounds(),
                    h.planned(),
                    h.received(),
                    h.missing(),
                    h.failedRequests(),
                    h.lateRounds(),
                    h.rateLimited(),
                    h.requestFailed(),
                    h.errorsByStatus().values().stream()
                            .mapToLong(Long::longValue)
                            .sum());
            if (!h.errorsByStatus().isEmpty()) {
                t.note("errors: " + errors(h.errorsByStatus()));
            }
        }
        if (!t.isEmpty()) {
            t.print(out, "  ");
        }
    }

    private static void gamma(QualityReport r, StringBuilder out) {
        section(out, "5. Gamma (gamma_markets)");
        Table t = new Table(1, "hour", "pages", "rate_limited", "request_failed", "error lines");
        for (QualityReport.GammaHour h : r.gamma()) {
            t.row(
                    hour(h.hour()),
                    h.pages(),
                    h.rateLimited(),
                    h.requestFailed(),
                    h.errorsByStatus().values().stream()
                            .mapToLong(Long::longValue)
                            .sum());
            if (!h.errorsByStatus().isEmpty()) {
                t.note("errors: " + errors(h.errorsByStatus()));
            }
        }
        if (!t.isEmpty()) {
            t.print(out, "  ");
        }
    }

    private static void integrity(QualityReport r, StringBuilder out) {
        QualityReport.Integrity i = r.integrity();
        section(out, "6. Integrity");
        out.append("  closed files read: ").append(i.filesChecked()).append('\n');
        out.append("  integrity problems: ").append(i.problemCount()).append('\n');
        for (QualityReport.Problem p : i.problems()) {
            out.append("    ")
                    .append(p.kind())
                    .append("  ")
                    .append(p.file())
                    .append(": ")
                    .append(p.detail())
                    .append('\n');
        }
        if (i.problemCount() > i.problems().size()) {
            out.append("    … and ")
                    .append(i.problemCount() - i.problems().size())
                    .append(" more seq holes (section 3)\n");
        }
        out.append("  recovered files (informational; the manifest says what recovery dropped): ")
                .append(i.recovered().size())
                .append('\n');
        for (QualityReport.RecoveredFile f : i.recovered()) {
            out.append("    ")
                    .append(f.file())
                    .append(": ")
                    .append(f.closedReason())
                    .append(", dropped ")
                    .append(f.droppedLines())
                    .append(" lines / ")
                    .append(f.droppedBytes())
                    .append(" bytes; ")
                    .append(f.reason())
                    .append("; lines written by run ")
                    .append(f.writerRunId() == null ? "(not recorded)" : f.writerRunId())
                    .append(", recovered by run ")
                    .append(f.recoveredByRunId())
                    .append('\n');
        }
        out.append("  quarantine entries (informational; never data, the recovered replacement is): ")
                .append(i.quarantine().size())
                .append('\n');
        for (QualityReport.QuarantineEntry q : i.quarantine()) {
            out.append("    ")
                    .append(q.path())
                    .append(": ")
                    .append(q.reason())
                    .append(q.replacement() == null ? " (no replacement)" : " (replaced by " + q.replacement() + ")")
                    .append('\n');
        }
        out.append("  .open files (being written, or left by a crash until their instance starts again): ")
                .append(i.openFiles().size())
                .append('\n');
        for (QualityReport.OpenFile f : i.openFiles()) {
            out.append("    ")
                    .append(f.file())
                    .append(": ")
                    .append(f.bytes())
                    .append(" bytes, last written ")
                    .append(SECOND.format(f.modifiedAt()))
                    .append('\n');
        }
        if (!i.vanished().isEmpty()) {
            out.append("  closed files deleted while the report ran (retention; not read): ")
                    .append(i.vanished().size())
                    .append('\n');
        }
        if (!i.deletedByRetention().isEmpty()) {
            out.append("  manifests whose data file retention deleted after a verified offload (informational): ")
                    .append(i.deletedByRetention().size())
                    .append('\n');
        }
    }

    private static void offload(QualityReport r, StringBuilder out) {
        QualityReport.Offload o = r.offload();
        section(out, "7. Offload (offload/ledger.jsonl)");
        if (!o.ledger()) {
            out.append("  no ledger: nothing offloaded yet, or offload-svc does not run on this data dir\n");
            return;
        }
        out.append("  closed files in the range: ")
                .append(o.files())
                .append("; verified on the remote: ")
                .append(o.verified())
                .append("; pending: ")
                .append(o.pending())
                .append("; mismatch: ")
                .append(o.mismatch())
                .append('\n');
        list(out, "pending (not yet verified; offload retries each run)", o.pendingFiles());
        list(out, "mismatch (informational: offload keeps the local file and uploads it again)", o.mismatchFiles());
        if (o.deletedByRetention() > 0) {
            out.append("  deleted locally by retention after verification (hours in the range): ")
                    .append(o.deletedByRetention())
                    .append('\n');
        }
    }

    private static void list(StringBuilder out, String what, List<String> files) {
        if (files.isEmpty()) {
            return;
        }
        out.append("  ").append(what).append(":\n");
        files.stream().limit(LISTED).forEach(f -> out.append("    ").append(f).append('\n'));
        if (files.size() > LISTED) {
            out.append("    … and ").append(files.size() - LISTED).append(" more\n");
        }
    }

    private static void runs(QualityReport r, StringBuilder out) {
        section(out, "8. Runs overlapping the range (runs/<service>/*.json)");
        if (r.runs().isEmpty()) {
            out.append("  none\n");
            return;
        }
        Table t = new Table(7, "service", "instance", "run id", "status", "started", "ended", "exit");
        for (QualityReport.Run run : r.runs()) {
            t.row(
                    run.service(),
                    run.instance(),
                    run.runId(),
                    run.status(),
                    SECOND.format(run.startedAt()),
                    "running".equals(run.status()) ? "-" : SECOND.format(run.endedAt()),
                    run.exitReason() == null ? "-" : run.exitReason());
        }
        t.print(out, "  ");
        long crashed = r.runs().stream()
                .filter(run -> "crash-recovered".equals(run.exitReason()))
                .count();
        if (crashed > 0) {
            out.append("  crash-recovered runs: ")
                    .append(crashed)
                    .append(" (ended without a clean stop; their last file was recovered by the next run)\n");
        }
    }

    private static void bookChecks(QualityReport r, StringBuilder out) {
        QualityReport.BookChecks b = r.bookChecks();
        section(
                out,
                "9. Rebuilt books checked (replay's engine; goal " + percent(b.goal())
                        + " agreement where no gap intervened)");
        if (!b.run()) {
            out.append("  not run (--no-book-checks)\n");
            return;
        }
        if (b.hours().isEmpty()) {
            out.append("  no websocket or REST book record in the range\n");
            return;
        }
        Table t = new Table(
                1,
                "hour",
                "hash checked",
                "agreed",
                "disagreed",
                "not checkable",
                "hash agreement",
                "REST checked",
                "agreed",
                "disagreed",
                "not checkable",
                "REST agreement");
        for (QualityReport.BookCheckHour h : b.hours()) {
            t.row(
                    hour(h.hour()),
                    h.hash().checked(),
                    h.hash().agreed(),
                    h.hash().disagreed(),
                    h.hash().notCheckable(),
                    percent(h.hash().rate()),
                    h.rest().checked(),
                    h.rest().agreed(),
                    h.rest().disagreed(),
                    h.rest().notCheckable(),
                    percent(h.rest().rate()));
            if (!h.marks().isEmpty()) {
                t.note("MARKED INVALID, not used (books unknown until the next full book): " + marks(h.marks()));
            }
            if (!h.dataMissing().isEmpty()) {
                t.note("data may be missing (books made unknown): " + joinCounts(h.dataMissing()));
            }
            if (h.belowGoal()) {
                t.note("BELOW THE GOAL"
                        + (h.dataMissing().isEmpty()
                                ? " with no gap in the hour: a finding to explain (make replay lists each token's first"
                                        + " disagreement)"
                                : " in an hour where data may be missing"));
            }
        }
        t.print(out, "  ");
    }

    /** "m-1 (reason), m-2 (reason)". */
    private static String marks(List<QualityReport.MarkRef> refs) {
        return refs.stream().map(m -> m.id() + " (" + m.reason() + ")").collect(Collectors.joining(", "));
    }

    private static void invalidMarks(QualityReport r, StringBuilder out) {
        QualityReport.InvalidMarks m = r.invalidMarks();
        section(out, "10. Invalid marks (marks/; honoured in sections 1 and 9, as replay and export honour them)");
        out.append("  active marks over the range: ").append(m.active().size());
        out.append("; revoked: ").append(m.revoked().size());
        out.append("; unusable mark files: ").append(m.unusable().size());
        out.append("; marks outside the range: ").append(m.outsideRange()).append('\n');
        for (QualityReport.Mark a : m.active()) {
            mark(out, "    ", a);
            out.append("      closed files taken in: ").append(a.files().size()).append('\n');
            a.files().stream()
                    .limit(LISTED)
                    .forEach(f -> out.append("        ").append(f).append('\n'));
            if (a.files().size() > LISTED) {
                out.append("        … and ").append(a.files().size() - LISTED).append(" more\n");
            }
        }
        for (QualityReport.Mark x : m.revoked()) {
            mark(out, "    REVOKED ", x);
            mark(out, "      revoked by ", x.revokedBy());
        }
        for (QualityReport.UnusableMark u : m.unusable()) {
            out.append("    UNUSABLE ")
                    .append(u.file())
                    .append(": ")
                    .append(u.reason())
                    .append(" (not honoured; an integrity problem, section 6)\n");
        }
    }

    /** "id  what: reason (by X at T; mark file; remote: verified)". */
    private static void mark(StringBuilder out, String prefix, QualityReport.Mark m) {
        out.append(prefix)
                .append(m.id())
                .append("  ")
                .append(m.what())
                .append(": ")
                .append(m.reason())
                .append(" (by ")
                .append(m.by())
                .append(" at ")
                .append(SECOND.format(m.at()))
                .append("; ")
                .append(m.markFile())
                .append("; remote: ")
                .append(m.upload().wire())
                .append(")\n");
    }

    private static String agreement(QualityReport.CheckFigures f) {
        return f.agreed() + " of " + f.checked() + " (" + percent(f.rate()) + "), " + f.disagreed() + " disagreed, "
                + f.notCheckable() + " not checkable";
    }

    private static void summary(QualityReport r, StringBuilder out) {
        QualityReport.Summary s = r.summary();
        section(out, "Summary");
        out.append("  hours                ").append(s.hours()).append('\n');
        out.append("  records              ")
                .append(s.records())
                .append(" in ")
                .append(s.files())
                .append(" closed files (")
                .append(s.bytes())
                .append(" bytes gz, ")
                .append(s.uncompressedBytes())
                .append(" bytes raw)\n");
        out.append("  websocket gaps       ")
                .append(seconds(s.wsGapSeconds()))
                .append(" s; coverage ")
                .append(percent(s.wsCoverage()))
                .append(" (union over all slots)\n");
        out.append("  slot-seconds lost    ")
                .append(seconds(s.slotSecondsLost()))
                .append(" of ")
                .append(seconds(s.slotSeconds()))
                .append("; coverage ")
                .append(percent(s.slotCoverage()))
                .append('\n');
        out.append("  collector down       ")
                .append(
                        s.collectorDownSeconds() == null
                                ? "n/a (no collector run manifest)"
                                : seconds(s.collectorDownSeconds()) + " s (no collector run, from the run manifests)")
                .append('\n');
        QualityReport.BookChecks b = r.bookChecks();
        if (b.run()) {
            out.append("  hash agreement       ").append(agreement(b.hash())).append('\n');
            out.append("  REST agreement       ").append(agreement(b.rest())).append('\n');
            out.append("  below the goal       ")
                    .append(count(b.hoursBelowGoal(), "hour"))
                    .append(" (")
                    .append(b.hoursBelowGoalWithoutGap())
                    .append(" with no gap in the hour; section 9)\n");
        } else {
            out.append("  book checks          not run (--no-book-checks)\n");
        }
        QualityReport.InvalidMarks m = r.invalidMarks();
        out.append("  marked invalid       ")
                .append(count(s.markedFiles(), "closed file"))
                .append(" in ")
                .append(count(m.markedStreamHours(), "stream-hour"))
                .append(", ")
                .append(count(m.bookHoursNotUsed(), "hour"))
                .append(" of book checks not used, by ")
                .append(count(m.active().size(), "active mark"))
                .append(" (section 10)\n");
        out.append("  integrity problems   ").append(s.integrityProblems()).append('\n');
        out.append("  verdict              ").append(s.verdict()).append('\n');
    }
}
