package io.orderbooks.report.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The whole report as data: the text on stdout and the JSON file ({@link #SCHEMA}) are two renderings of this one
 * value, so they always carry the same figures. Times are UTC; seconds are exact to the microsecond.
 *
 * @param rangeGiven true when {@code --from}/{@code --to} set the range, false when it is every hour present
 * @param verified   true when closed files were re-hashed against their manifests' sha256
 */
public record QualityReport(
        Instant generatedAt,
        String dataDir,
        HourRange range,
        boolean rangeGiven,
        boolean verified,
        List<StreamHour> streams,
        List<GapHour> gaps,
        Continuity continuity,
        List<WsHour> wsHours,
        List<RestHour> rest,
        List<GammaHour> gamma,
        Integrity integrity,
        Offload offload,
        List<Run> runs,
        BookChecks bookChecks,
        InvalidMarks invalidMarks,
        Summary summary) {
    public static final String SCHEMA = "orderbooks.quality-report/1";
    public static final List<String> STREAMS = List.of("gamma_markets", "rest_books", "ws_market");

    /**
     * Section 1: one stream in one hour, from the manifests of its closed files. {@code invalidMarks}: the active marks
     * that take in some file of the hour (section 10); {@code markedFiles}: how many of its closed files they take in.
     * The figures still count those files (they are on disk and checked), the marks say they must not be used.
     */
    public record StreamHour(
            String stream,
            Instant hour,
            long files,
            long records,
            long bytes,
            long uncompressedBytes,
            Map<String, Long> counts,
            long recovered,
            long openFiles,
            List<String> writers,
            List<MarkRef> invalidMarks,
            long markedFiles) {}

    /**
     * Section 2: the gaps of one stream overlapping one hour, clipped to it. {@code seconds} is the union (overlapping
     * gaps count once); {@code bySlot} the union per connection slot (gaps without a connection count for every slot
     * of their instance); {@code slotSeconds} their sum over the {@code slots} seen in the hour.
     */
    public record GapHour(
            String stream,
            Instant hour,
            long gaps,
            double seconds,
            Map<String, ReasonGaps> byReason,
            Map<String, Double> bySlot,
            int slots,
            double slotSeconds,
            long lostLines) {}

    public record ReasonGaps(long gaps, double seconds) {}

    /** Section 3a: websocket events and frames of one hour. {@code collectorDownSeconds} is null when unknown. */
    public record WsHour(
            Instant hour,
            long frames,
            long connections,
            long connected,
            long disconnected,
            long stale,
            long connectFailed,
            long paused,
            long resumed,
            double pausedSeconds,
            long notJson,
            Double collectorDownSeconds) {}

    /** Section 3b: seq continuity over the whole range. */
    public record Continuity(
            long connections,
            long frames,
            long holes,
            long missingFrames,
            HoleCount explainedByLossGap,
            HoleCount outsideRange,
            HoleCount unexplained,
            long overClaimedFrames,
            HoleCount outOfOrder) {}

    /**
     * One hole in a websocket connection's {@code seq}: frames {@code fromSeq..toSeq} are missing, received between
     * the two times; {@code explanation} is {@link #LOSS_GAP}, {@link #OUTSIDE_RANGE}, {@link #UNEXPLAINED} or what was seen.
     */
    public record Hole(
            String instance,
            String conn,
            long fromSeq,
            long toSeq,
            long afterRecvUs,
            long beforeRecvUs,
            String explanation) {
        public static final String LOSS_GAP = "loss-gap";
        public static final String OUTSIDE_RANGE = "outside-range";
        public static final String UNEXPLAINED = "unexplained";

        public long frames() {
            return toSeq - fromSeq + 1;
        }

        /** "seq 5..7 missing (3 frames, received between … and …)". */
        public String text() {
            String seqs = fromSeq == toSeq ? "seq " + fromSeq : "seq " + fromSeq + ".." + toSeq;
            return seqs + " missing (" + frames() + " frame" + (frames() == 1 ? "" : "s") + ", received between "
                    + HourRange.ofMicros(afterRecvUs) + " and " + HourRange.ofMicros(beforeRecvUs) + ")";
        }
    }

    public record HoleCount(long holes, long frames, List<Hole> examples) {}

    /** Section 4: REST snapshots of one hour. */
    public record RestHour(
            Instant hour,
            long books,
            long rounds,
            long planned,
            long received,
            long missing,
            long failedRequests,
            long lateRounds,
            long rateLimited,
            long requestFailed,
            Map<Integer, Long> errorsByStatus) {}

    /** Section 5: Gamma pages of one hour. */
    public record GammaHour(
            Instant hour, long pages, long rateLimited, long requestFailed, Map<Integer, Long> errorsByStatus) {}

    /** An integrity problem: {@code kind} is a stable keyword, {@code file} the data-dir relative path (or a connection). */
    public record Problem(String kind, String file, String detail) {}

    public record RecoveredFile(
            String file,
            String closedReason,
            long droppedLines,
            long droppedBytes,
            String reason,
            String writerRunId,
            String recoveredByRunId) {}

    /** {@code replacement} is the recovered file that holds the salvaged data, or null (nothing replaced it). */
    public record QuarantineEntry(
            String path, String original, String reason, String quarantinedAt, String replacement) {}

    public record OpenFile(String file, long bytes, Instant modifiedAt) {}

    /**
     * Section 6. {@code problemCount} counts every problem; {@code problems} lists them all except seq holes, of
     * which the first 20 (the tallies' bound) are listed. {@code vanished}: closed files deleted between
     * listing and reading (retention on a live data dir), not read and not counted.
     */
    public record Integrity(
            long filesChecked,
            long problemCount,
            List<Problem> problems,
            List<RecoveredFile> recovered,
            List<QuarantineEntry> quarantine,
            List<OpenFile> openFiles,
            List<String> deletedByRetention,
            List<String> vanished) {}

    /** Section 7; {@code ledger} false when there is no {@code offload/ledger.jsonl}. */
    public record Offload(
            boolean ledger,
            long files,
            long verified,
            long pending,
            long mismatch,
            List<String> pendingFiles,
            List<String> mismatchFiles,
            long deletedByRetention) {}

    /** Section 8: a run manifest overlapping the range; {@code endedAt} is its stop (or last update) time. */
    public record Run(
            String service,
            String runId,
            String instance,
            String status,
            Instant startedAt,
            Instant endedAt,
            String exitReason) {}

    /**
     * One of the replay's checks (docs/REPLAY.md): {@code checked} events got a verdict, {@code agreed} +
     * {@code disagreed} of them; {@code notCheckable} could not get one (the book was unknown after data may have been
     * missing, or not known yet).
     */
    public record CheckFigures(long checked, long agreed, long disagreed, long notCheckable) {
        public static final CheckFigures NONE = new CheckFigures(0, 0, 0, 0);

        /** Agreed of checked, or null when nothing was checked. */
        public Double rate() {
            return checked == 0 ? null : agreed / (double) checked;
        }

        /** Below {@code goal}; nothing checked is not below it. */
        public boolean below(double goal) {
            return checked > 0 && rate() < goal;
        }

        public CheckFigures plus(CheckFigures o) {
            return new CheckFigures(
                    checked + o.checked, agreed + o.agreed, disagreed + o.disagreed, notCheckable + o.notCheckable);
        }
    }

    /**
     * Section 9, one hour with websocket or REST book records: the hash agreement ({@code hash}: the rebuilt book
     * against Polymarket's {@code hash}) and the REST agreement ({@code rest}: against the REST book of the same
     * timestamp). {@code dataMissing}: why books were made unknown in the hour, by reason (empty: no gap intervened).
     * {@code marks}: the invalid marks that withdrew the hour, as replay honours them: none of its records was used,
     * every book is unknown from its start until the next full book (empty: the hour was used).
     */
    public record BookCheckHour(
            Instant hour,
            CheckFigures hash,
            CheckFigures rest,
            Map<String, Long> dataMissing,
            boolean belowGoal,
            List<MarkRef> marks) {}

    /** A mark as the rows it concerns name it (sections 1 and 9): its id and reason; section 10 has the rest. */
    public record MarkRef(String id, String reason) {}

    /** Whether a mark file reached the remote, from the offload ledger's latest line for it (kind {@code mark}). */
    public enum MarkUpload {
        /** Uploaded and verified, of the mark file's current bytes. */
        VERIFIED,
        /** Not (yet) verified on the remote: offload uploads marks on its next run. */
        PENDING,
        /** The remote copy did not match; offload uploads it again. */
        MISMATCH,
        /** No offload ledger in the data dir. */
        NO_LEDGER;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Section 10: one invalid mark (docs/DATA-FORMAT.md §8). {@code what}: its scope in one line; {@code markFile}
     * its data-dir relative path; {@code files}: the closed raw files of the range it takes in (active marks only);
     * {@code revokedBy}: the mark that withdrew it, or null.
     */
    public record Mark(
            String id,
            String scope,
            String what,
            String reason,
            String by,
            Instant at,
            String markFile,
            MarkUpload upload,
            List<String> files,
            Mark revokedBy) {}

    /** A mark file that is not used, and why (also an integrity problem in section 6). */
    public record UnusableMark(String file, String reason) {}

    /**
     * Section 10. {@code active} and {@code revoked}: the marks whose hours overlap the range; {@code outsideRange}:
     * the marks (active or revoked) that do not; {@code unusable}: every mark file not used, whatever it names.
     * {@code markedFiles}: closed files of the range an active mark takes in; {@code markedStreamHours}: rows of
     * section 1 with a mark; {@code bookHoursNotUsed}: hours of section 9 withdrawn.
     */
    public record InvalidMarks(
            List<Mark> active,
            List<Mark> revoked,
            List<UnusableMark> unusable,
            long outsideRange,
            long markedFiles,
            long markedStreamHours,
            long bookHoursNotUsed) {}

    /** Section 9; {@code run} false when {@code --no-book-checks} left it out (then everything else is empty). */
    public record BookChecks(
            boolean run, double goal, List<BookCheckHour> hours, CheckFigures hash, CheckFigures rest) {
        /** The agreement the project aims at where no gap intervened (docs/REPORT.md section 9). */
        public static final double GOAL = 0.999;

        public static final BookChecks NOT_RUN =
                new BookChecks(false, GOAL, List.of(), CheckFigures.NONE, CheckFigures.NONE);

        public long hoursBelowGoal() {
            return hours.stream().filter(BookCheckHour::belowGoal).count();
        }

        /** Hours below the goal where no gap intervened: findings to explain (the replay lists the first of each token). */
        public long hoursBelowGoalWithoutGap() {
            return hours.stream()
                    .filter(h -> h.belowGoal() && h.dataMissing().isEmpty())
                    .count();
        }
    }

    public record Summary(
            int hours,
            long files,
            long records,
            long bytes,
            long uncompressedBytes,
            double wsGapSeconds,
            Double wsCoverage,
            double slotSecondsLost,
            double slotSeconds,
            Double slotCoverage,
            Double collectorDownSeconds,
            long integrityProblems,
            long markedFiles,
            String verdict) {}
}
