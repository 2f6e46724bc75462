package io.orderbooks.report;

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
record QualityReport(
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
        Summary summary) {
    static final String SCHEMA = "orderbooks.quality-report/1";
    static final List<String> STREAMS = List.of("gamma_markets", "rest_books", "ws_market");

    /** Section 1: one stream in one hour, from the manifests of its closed files. */
    record StreamHour(
            String stream,
            Instant hour,
            long files,
            long records,
            long bytes,
            long uncompressedBytes,
            Map<String, Long> counts,
            long recovered,
            long openFiles,
            List<String> writers) {}

    /**
     * Section 2: the gaps of one stream overlapping one hour, clipped to it. {@code seconds} is the union (overlapping
     * gaps count once); {@code bySlot} the union per connection slot (gaps without a connection count for every slot
     * of their instance); {@code slotSeconds} their sum over the {@code slots} seen in the hour.
     */
    record GapHour(
            String stream,
            Instant hour,
            long gaps,
            double seconds,
            Map<String, ReasonGaps> byReason,
            Map<String, Double> bySlot,
            int slots,
            double slotSeconds,
            long lostLines) {}

    record ReasonGaps(long gaps, double seconds) {}

    /** Section 3a: websocket events and frames of one hour. {@code collectorDownSeconds} is null when unknown. */
    record WsHour(
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
    record Continuity(
            long connections,
            long frames,
            long holes,
            long missingFrames,
            HoleCount explainedByLossGap,
            HoleCount outsideRange,
            HoleCount unexplained,
            long overClaimedFrames,
            HoleCount outOfOrder) {}

    record HoleCount(long holes, long frames, List<WsContinuity.Hole> examples) {}

    /** Section 4: REST snapshots of one hour. */
    record RestHour(
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
    record GammaHour(
            Instant hour, long pages, long rateLimited, long requestFailed, Map<Integer, Long> errorsByStatus) {}

    /** An integrity problem: {@code kind} is a stable keyword, {@code file} the data-dir relative path (or a connection). */
    record Problem(String kind, String file, String detail) {}

    record RecoveredFile(
            String file,
            String closedReason,
            long droppedLines,
            long droppedBytes,
            String reason,
            String writerRunId,
            String recoveredByRunId) {}

    /** {@code replacement} is the recovered file that holds the salvaged data, or null (nothing replaced it). */
    record QuarantineEntry(String path, String original, String reason, String quarantinedAt, String replacement) {}

    record OpenFile(String file, long bytes, Instant modifiedAt) {}

    /**
     * Section 6. {@code problemCount} counts every problem; {@code problems} lists them all except seq holes, of
     * which the first {@value WsContinuity#EXAMPLES} are listed. {@code vanished}: closed files deleted between
     * listing and reading (retention on a live data dir), not read and not counted.
     */
    record Integrity(
            long filesChecked,
            long problemCount,
            List<Problem> problems,
            List<RecoveredFile> recovered,
            List<QuarantineEntry> quarantine,
            List<OpenFile> openFiles,
            List<String> deletedByRetention,
            List<String> vanished) {}

    /** Section 7; {@code ledger} false when there is no {@code offload/ledger.jsonl}. */
    record Offload(
            boolean ledger,
            long files,
            long verified,
            long pending,
            long mismatch,
            List<String> pendingFiles,
            List<String> mismatchFiles,
            long deletedByRetention) {}

    /** Section 8: a run manifest overlapping the range; {@code endedAt} is its stop (or last update) time. */
    record Run(
            String service,
            String runId,
            String instance,
            String status,
            Instant startedAt,
            Instant endedAt,
            String exitReason) {}

    record Summary(
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
            String verdict) {}
}
