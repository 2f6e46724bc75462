package io.orderbooks.report.tally;

import io.orderbooks.report.model.HourRange;
import io.orderbooks.report.model.QualityReport;
import io.orderbooks.report.model.QualityReport.Hole;
import io.orderbooks.report.model.QualityReport.Problem;
import io.orderbooks.shared.files.GzipLines;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.Marks;
import io.orderbooks.shared.records.EnvelopeFields;
import io.orderbooks.shared.records.Event;
import io.orderbooks.shared.records.Gap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds a {@link QualityReport} from a data directory. Reads only: manifests and small files whole, data files once
 * each, streaming ({@link GzipLines}), in file order so that websocket connections are followed across files.
 */
public final class ReportBuilder {
    private final DataDir dir;
    private final Instant from;
    private final Instant to;
    private final boolean verify;
    private final boolean bookChecks;
    private final Clock clock;
    private final EnvelopeFields fields = new EnvelopeFields();
    private final Map<String, HourTally> tallies = new TreeMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<QualityReport.RecoveredFile> recovered = new ArrayList<>();
    private final List<QualityReport.OpenFile> openFiles = new ArrayList<>();
    private final List<String> deletedByRetention = new ArrayList<>();
    private final List<String> vanished = new ArrayList<>();
    private final LossGaps lossGaps = new LossGaps();
    private final WsContinuity continuity = new WsContinuity(lossGaps);
    private final ManifestGaps gaps = new ManifestGaps();
    private long filesChecked;
    private Marks.Loaded marks = Marks.Loaded.NONE;

    /**
     * @param from   first hour reported, or null for the first hour present
     * @param to     end of the range (exclusive), or null for the end of the last hour present
     * @param verify re-hash every closed file against its manifest
     * @param bookChecks rebuild the books with replay's engine for section 9 (hash and REST agreement per hour)
     */
    public ReportBuilder(DataDir dir, Instant from, Instant to, boolean verify, boolean bookChecks, Clock clock) {
        this.dir = dir;
        this.from = from;
        this.to = to;
        this.verify = verify;
        this.bookChecks = bookChecks;
        this.clock = clock;
    }

    public QualityReport build() throws IOException {
        Instant now = clock.instant();
        List<RawEntry> entries = RawEntry.scan(dir);
        HourRange range = range(entries);
        Map<RawEntry, FileManifest> manifests = readManifests(entries, range);
        OffloadLedger ledger = OffloadLedger.read(dir.ledger(), dir.ledgerArchive());
        marks = Marks.read(dir);
        for (Marks.BadMark b : marks.bad()) {
            // An operator's statement that is not honoured is a problem whatever hours it meant (docs/REPORT.md §10).
            problems.add(new Problem("unusable-mark", b.file(), b.reason() + "; not honoured"));
        }
        for (RawEntry e : entries) {
            if (range.contains(e.id.hour())) {
                readEntry(e, manifests.get(e), ledger);
            }
        }
        for (LossGaps.LossGap g : lossGaps.overClaimed()) {
            problems.add(new Problem(
                    "loss-gap-overclaimed",
                    g.instance + "/ws_market",
                    "seq holes of " + g.claimedFrames + " frames fall in the " + g.reason + " gap "
                            + HourRange.ofMicros(g.fromUs) + " .. " + HourRange.ofMicros(g.toUs) + ", which lost only "
                            + g.lostLines + " lines"));
        }
        for (Hole h : continuity.unexplained.examples) {
            problems.add(new Problem("seq-hole", h.instance() + "/" + h.conn(), h.text()));
        }
        for (Hole h : continuity.outOfOrder.examples) {
            problems.add(new Problem("seq-out-of-order", h.instance() + "/" + h.conn(), h.explanation()));
        }
        long problemCount = problems.size()
                - continuity.unexplained.examples.size()
                - continuity.outOfOrder.examples.size()
                + continuity.unexplained.holes
                + continuity.outOfOrder.holes;
        List<QualityReport.Run> allRuns = RunManifests.read(dir, now);
        return assemble(range, now, entries, manifests, ledger, allRuns, problemCount);
    }

    /** The range asked for, or from the first to the last hour that has any raw file (so empty hours show). */
    private HourRange range(List<RawEntry> entries) {
        Instant first = null;
        Instant last = null;
        for (RawEntry e : entries) {
            Instant h = e.id.hour();
            first = first == null || h.isBefore(first) ? h : first;
            last = last == null || h.isAfter(last) ? h : last;
        }
        Instant start = from != null ? from : first;
        Instant end = to != null ? to : last == null ? null : last.plusSeconds(3600);
        if (start == null && end == null) {
            return HourRange.EMPTY;
        }
        if (start == null || end == null || !start.isBefore(end)) {
            Instant at = start != null ? start : end;
            return new HourRange(at, at); // asked for hours where nothing is present
        }
        return new HourRange(start, end);
    }

    private Map<RawEntry, FileManifest> readManifests(List<RawEntry> entries, HourRange range) {
        Map<RawEntry, FileManifest> out = new HashMap<>();
        for (RawEntry e : entries) {
            if (e.manifest == null) {
                continue;
            }
            boolean inRange = range.contains(e.id.hour());
            try {
                FileManifest m = FileManifest.parse(Files.readAllBytes(e.manifest));
                out.put(e, m);
                for (Gap g : m.gaps()) {
                    gaps.add(e.stream(), e.instance(), g);
                    if ("ws_market".equals(e.stream()) && LossGaps.isLoss(g.reason())) {
                        lossGaps.add(e.instance(), g.conn(), g.fromUs(), g.toUs(), g.reason());
                    }
                }
            } catch (IOException | RuntimeException ex) {
                if (inRange) {
                    problems.add(new Problem(
                            "manifest-unreadable", dir.relative(e.manifest), String.valueOf(ex.getMessage())));
                }
            }
        }
        return out;
    }

    private HourTally tally(String stream, Instant hour) {
        return tallies.computeIfAbsent(stream + '|' + hour, k -> new HourTally(stream, hour));
    }

    /** One finding about one closed file: a stable keyword and what was seen. */
    private record Finding(String kind, String detail) {}

    private void readEntry(RawEntry e, FileManifest m, OffloadLedger ledger) {
        HourTally t = tally(e.stream(), e.id.hour());
        t.instances.add(e.instance());
        if (e.open != null) {
            noteOpenFile(e.open, t);
        }
        String closedRel = e.id.relativePath();
        if (e.closed == null) {
            if (e.manifest != null && ledger.deletedByRetention(closedRel)) {
                deletedByRetention.add(closedRel);
            } else if (e.manifest != null) {
                problems.add(new Problem(
                        "manifest-without-data",
                        dir.relative(e.manifest),
                        "manifest of " + closedRel + ", which is not on disk (and the ledger has no deletion of it)"));
            }
            return;
        }
        long unreadableBefore = t.unreadableLines;
        GzipLines.Result r;
        try {
            r = GzipLines.read(e.closed, verify && m != null, lineHandler(e, t));
        } catch (NoSuchFileException gone) {
            vanished.add(closedRel); // deleted since the listing: on a live data dir, retention after a verified upload
            return;
        } catch (IOException ex) {
            problems.add(new Problem("unreadable-file", dir.relative(e.closed), ex.toString()));
            return;
        }
        filesChecked++;
        if (!marks.covering(e.id).isEmpty()) {
            t.markedFiles++;
        }
        if (m != null) {
            addManifestFigures(t, m);
        }
        List<Finding> findings = check(e, m, r, t.unreadableLines - unreadableBefore);
        if (!findings.isEmpty()) {
            OffloadLedger.Latest remote = ledger.data(closedRel);
            String restore = m != null
                            && remote != null
                            && remote.verified()
                            && m.sha256().equals(remote.sha256())
                    ? " (offload verified an intact copy on the remote: restore it from there)"
                    : "";
            problems.add(new Problem(
                    findings.get(0).kind(),
                    dir.relative(e.closed),
                    String.join("; ", findings.stream().map(Finding::detail).toList()) + restore));
        }
    }

    private void noteOpenFile(Path open, HourTally t) {
        try {
            openFiles.add(new QualityReport.OpenFile(
                    dir.relative(open),
                    Files.size(open),
                    Files.getLastModifiedTime(open).toInstant()));
            t.openFiles++;
        } catch (IOException gone) {
            // closed (renamed) by its live writer since the listing
        }
    }

    private void addManifestFigures(HourTally t, FileManifest m) {
        t.files++;
        t.records += m.records();
        t.bytes += m.bytes();
        t.uncompressedBytes += m.uncompressedBytes();
        m.counts().forEach((k, v) -> t.counts.merge(k, v, Long::sum));
        t.writers.add(m.writer().service() + "/" + m.writer().instance().value() + " run "
                + m.writer().runId());
        if (m.recovered()) {
            t.recovered++;
            recovered.add(new QualityReport.RecoveredFile(
                    m.file(),
                    m.closedReason(),
                    m.recovery().droppedLines(),
                    m.recovery().droppedBytes(),
                    m.recovery().reason(),
                    m.recovery().writerRunId(),
                    m.writer().runId()));
        }
    }

    /** What is wrong with a closed file, most telling first; a consequence of an earlier finding is not repeated. */
    private List<Finding> check(RawEntry e, FileManifest m, GzipLines.Result r, long unreadableLines) {
        List<Finding> findings = new ArrayList<>();
        // A live writer renames first and writes the manifest right after: look again before calling it missing.
        if (e.manifest == null && !Files.exists(dir.manifestPath(e.id))) {
            findings.add(new Finding(
                    "no-manifest",
                    "closed file without a manifest (recovery at the next start of " + e.instance() + " rebuilds it)"));
        }
        boolean decompressed = r.gzipProblem() == null;
        if (!decompressed) {
            findings.add(new Finding(
                    r.gzipProblem().startsWith("truncated") ? "gzip-truncated" : "gzip-corrupt",
                    r.gzipProblem() + " after " + r.lines() + " complete lines"));
        }
        if (m != null) {
            if (!m.file().equals(e.id.relativePath())) {
                findings.add(new Finding("manifest-names-other-file", "its manifest describes " + m.file()));
            }
            if (r.compressedBytes() != m.bytes()) {
                findings.add(new Finding(
                        "size-mismatch", r.compressedBytes() + " bytes on disk, manifest says " + m.bytes()));
            } else if (r.sha256() != null && !r.sha256().equals(m.sha256())) {
                findings.add(new Finding("sha256-mismatch", "sha256 " + r.sha256() + ", manifest says " + m.sha256()));
            }
            if (decompressed && r.lines() != m.records()) {
                findings.add(new Finding("records-mismatch", r.lines() + " lines, manifest says " + m.records()));
            } else if (decompressed && r.uncompressedBytes() != m.uncompressedBytes()) {
                findings.add(new Finding(
                        "uncompressed-bytes-mismatch",
                        r.uncompressedBytes() + " bytes uncompressed, manifest says " + m.uncompressedBytes()));
            }
        }
        if (decompressed && r.tornBytes() > 0) {
            findings.add(new Finding("torn-last-line", r.tornBytes() + " bytes after the last newline"));
        }
        if (unreadableLines > 0) {
            findings.add(new Finding(
                    "unreadable-lines", unreadableLines + " line(s) do not start as a JSON object envelope"));
        }
        return findings;
    }

    private GzipLines.LineHandler lineHandler(RawEntry e, HourTally t) {
        String instance = e.instance();
        boolean ws = "ws_market".equals(e.stream());
        return (buf, off, len, truncated) -> {
            EnvelopeFields f = fields;
            if (!f.parse(buf, off, len, truncated)) {
                t.unreadableLines++;
                return;
            }
            if (f.event() != null) {
                event(f, t, instance, ws);
            } else if (ws && f.seq() >= 0 && f.conn() != null) {
                continuity.frame(instance, f.conn(), f.seq(), f.recvUs());
                t.wsFrames++;
                if (f.frameText()) {
                    t.wsNotJson++;
                }
                t.wsConnections.add(instance + '/' + f.conn());
                t.slots.add(instance + '/' + HourTally.slotOf(f.conn()));
            } else if (f.page()) {
                t.pages++;
            } else if (f.error()) {
                t.errorsByStatus.merge(f.status(), 1L, Long::sum);
            }
        };
    }

    private void event(EnvelopeFields f, HourTally t, String instance, boolean ws) {
        t.events.merge(f.event(), 1L, Long::sum);
        switch (Event.fromWire(f.event())) {
            case CONNECTED -> {
                if (ws && f.conn() != null) {
                    continuity.connected(instance, f.conn(), f.recvUs());
                    t.slots.add(instance + '/' + HourTally.slotOf(f.conn()));
                }
            }
            case DISCONNECTED -> {
                if (ws && f.conn() != null) {
                    continuity.disconnected(instance, f.conn(), f.frames(), f.recvUs());
                }
            }
            case RESUMED -> t.pausedMs += f.pausedMs();
            case SNAPSHOT_ROUND -> {
                t.rounds++;
                t.planned += f.planned();
                t.received += f.received();
                t.missing += f.missing();
                t.failedRequests += f.failedRequests();
                if (f.late()) {
                    t.lateRounds++;
                }
            }
            case GAP -> {
                if (LossGaps.isLoss(f.reason())) {
                    t.lostLines += f.lostLines();
                    if (ws) {
                        lossGaps.lostLines(instance, f.fromUs(), f.toUs(), f.reason(), f.lostLines());
                    }
                }
            }
            default -> {}
        }
    }

    private QualityReport assemble(
            HourRange range,
            Instant now,
            List<RawEntry> entries,
            Map<RawEntry, FileManifest> manifests,
            OffloadLedger ledger,
            List<QualityReport.Run> allRuns,
            long problemCount)
            throws IOException {
        List<Instant> hours = range.hourList();
        List<QualityReport.StreamHour> streams = new ArrayList<>();
        Set<String> streamNames = new TreeSet<>(QualityReport.STREAMS);
        tallies.values().forEach(t -> streamNames.add(t.stream));
        for (String s : streamNames) {
            for (Instant h : hours) {
                HourTally t = tally(s, h);
                streams.add(new QualityReport.StreamHour(
                        s,
                        h,
                        t.files,
                        t.records,
                        t.bytes,
                        t.uncompressedBytes,
                        Map.copyOf(t.counts),
                        t.recovered,
                        t.openFiles,
                        List.copyOf(t.writers),
                        MarkTally.refs(marks.coveringHour(StreamName.of(s), h)),
                        t.markedFiles));
            }
        }
        List<QualityReport.GapHour> gapHours = new ArrayList<>();
        double wsGapSeconds = 0;
        double slotLost = 0;
        double slotTotal = 0;
        for (String s : streamNames) {
            for (Instant h : hours) {
                HourTally t = tally(s, h);
                QualityReport.GapHour g = gaps.hour(s, h, t.slots, t.lostLines);
                if ("ws_market".equals(s)) {
                    wsGapSeconds += g.seconds();
                    slotLost += g.slotSeconds();
                    slotTotal += g.slots() * 3600.0;
                }
                if (g.gaps() > 0 || g.lostLines() > 0) {
                    gapHours.add(g);
                }
            }
        }
        Set<String> collectorInstances = new TreeSet<>();
        tallies.values().stream()
                .filter(t -> t.stream.equals("ws_market") || t.stream.equals("rest_books"))
                .forEach(t -> collectorInstances.addAll(t.instances));
        Map<Instant, Double> down = CollectorDowntime.perHour(range, now, allRuns, collectorInstances);
        List<QualityReport.WsHour> wsHours = new ArrayList<>();
        List<QualityReport.RestHour> rest = new ArrayList<>();
        List<QualityReport.GammaHour> gamma = new ArrayList<>();
        for (Instant h : hours) {
            HourTally w = tally("ws_market", h);
            wsHours.add(new QualityReport.WsHour(
                    h,
                    w.wsFrames,
                    w.wsConnections.size(),
                    w.event(Event.CONNECTED),
                    w.event(Event.DISCONNECTED),
                    w.event(Event.STALE),
                    w.event(Event.CONNECT_FAILED),
                    w.event(Event.PAUSED),
                    w.event(Event.RESUMED),
                    w.pausedMs / 1000.0,
                    w.wsNotJson,
                    down == null ? null : down.get(h)));
            HourTally r = tally("rest_books", h);
            rest.add(new QualityReport.RestHour(
                    h,
                    r.counts.getOrDefault("book", 0L),
                    r.rounds,
                    r.planned,
                    r.received,
                    r.missing,
                    r.failedRequests,
                    r.lateRounds,
                    r.event(Event.RATE_LIMITED),
                    r.event(Event.REQUEST_FAILED),
                    Map.copyOf(r.errorsByStatus)));
            HourTally g = tally("gamma_markets", h);
            gamma.add(new QualityReport.GammaHour(
                    h,
                    g.pages,
                    g.event(Event.RATE_LIMITED),
                    g.event(Event.REQUEST_FAILED),
                    Map.copyOf(g.errorsByStatus)));
        }
        QualityReport.Continuity cont = new QualityReport.Continuity(
                continuity.connections,
                continuity.frames,
                continuity.holes(),
                continuity.missingFrames(),
                count(continuity.explainedByLossGap),
                count(continuity.outsideRange),
                count(continuity.unexplained),
                lossGaps.overClaimed().stream()
                        .mapToLong(g -> g.claimedFrames - g.lostLines)
                        .sum(),
                count(continuity.outOfOrder));
        QualityReport.Offload offload = ledger.status(range, entries, manifests);
        List<QualityReport.QuarantineEntry> quarantine = QuarantineNotes.read(dir).stream()
                .filter(q -> inRangeOrUnknown(q.original(), range))
                .toList();
        QualityReport.Integrity integrity = new QualityReport.Integrity(
                filesChecked,
                problemCount,
                List.copyOf(problems),
                List.copyOf(recovered),
                quarantine,
                List.copyOf(openFiles),
                List.copyOf(deletedByRetention),
                List.copyOf(vanished));
        // A run that never checkpointed before it crashed has no length: it counts if it started in the range.
        List<QualityReport.Run> runs = allRuns.stream()
                .filter(r -> !range.isEmpty()
                        && r.startedAt().isBefore(range.to())
                        && (r.endedAt().isAfter(range.from()) || !r.startedAt().isBefore(range.from())))
                .toList();
        long files = streams.stream().mapToLong(QualityReport.StreamHour::files).sum();
        long records =
                streams.stream().mapToLong(QualityReport.StreamHour::records).sum();
        long bytes = streams.stream().mapToLong(QualityReport.StreamHour::bytes).sum();
        long uncompressed = streams.stream()
                .mapToLong(QualityReport.StreamHour::uncompressedBytes)
                .sum();
        QualityReport.BookChecks checks =
                bookChecks ? BookCheckTally.of(dir.root(), range, marks) : QualityReport.BookChecks.NOT_RUN;
        QualityReport.InvalidMarks invalidMarks = MarkTally.of(
                dir,
                marks,
                range,
                entries,
                ledger,
                streams.stream().filter(x -> !x.invalidMarks().isEmpty()).count(),
                checks.hours().stream().filter(x -> !x.marks().isEmpty()).count());
        double rangeSeconds = hours.size() * 3600.0;
        Double downTotal = down == null
                ? null
                : down.values().stream().mapToDouble(Double::doubleValue).sum();
        QualityReport.Summary summary = new QualityReport.Summary(
                hours.size(),
                files,
                records,
                bytes,
                uncompressed,
                wsGapSeconds,
                rangeSeconds == 0 ? null : 1 - wsGapSeconds / rangeSeconds,
                slotLost,
                slotTotal,
                slotTotal == 0 ? null : 1 - slotLost / slotTotal,
                downTotal,
                problemCount,
                invalidMarks.markedFiles(),
                verdict(problemCount, files, wsGapSeconds, downTotal, invalidMarks.markedFiles()));
        return new QualityReport(
                now,
                dir.root().toString(),
                range,
                from != null || to != null,
                verify,
                streams,
                gapHours,
                cont,
                wsHours,
                rest,
                gamma,
                integrity,
                offload,
                runs,
                checks,
                invalidMarks,
                summary);
    }

    private String verdict(long problems, long files, double wsGapSeconds, Double down, long markedFiles) {
        if (problems > 0) {
            return "NOT OK: " + problems + " integrity problem" + (problems == 1 ? "" : "s") + " (section 6)";
        }
        if (files == 0) {
            return "NO DATA: no closed file in the range";
        }
        StringBuilder b = new StringBuilder("OK: ")
                .append(files)
                .append(" closed file")
                .append(files == 1 ? "" : "s")
                .append(" intact")
                .append(verify ? "" : " (sha256 not re-checked: --no-verify)")
                .append(", every websocket frame accounted for");
        if (wsGapSeconds > 0) {
            b.append("; ").append(threeDecimals(wsGapSeconds)).append(" s of websocket gaps");
        }
        if (down != null && down > 0) {
            b.append("; collector not running ").append(threeDecimals(down)).append(" s");
        }
        if (markedFiles > 0) {
            b.append("; ")
                    .append(markedFiles)
                    .append(" closed file")
                    .append(markedFiles == 1 ? "" : "s")
                    .append(" marked invalid, not to be used (section 10)");
        }
        return b.toString();
    }

    private static QualityReport.HoleCount count(WsContinuity.Tally t) {
        return new QualityReport.HoleCount(t.holes, t.frames, List.copyOf(t.examples));
    }

    private static String threeDecimals(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    private static double seconds(long micros) {
        return micros / 1e6;
    }

    /** A path whose raw-file hour is in the range, or that names no raw file (listed whatever the range). */
    private static boolean inRangeOrUnknown(String path, HourRange range) {
        Instant h = RawEntry.hourOf(path);
        return h == null || range.contains(h);
    }
}
