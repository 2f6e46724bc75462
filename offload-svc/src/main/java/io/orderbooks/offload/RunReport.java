package io.orderbooks.offload;

import java.time.Duration;
import java.time.Instant;

/**
 * What one offload run did, and the backlog it left. {@code statusLine()} is the one line per run in the log.
 *
 * @param pendingAtStart      files not yet verified when the run started
 * @param backlogFiles        files still not verified when it ended (their bytes in {@code backlogBytes})
 * @param oldestBacklogAge    how long ago the oldest of them closed; null when there is none
 * @param keptUnverifiedOld   files past {@code keep-days} kept because they are not verified
 * @param stopReason          why the run stopped early (rclone down, quota, too many failures), or null
 */
public record RunReport(Instant startedAt, Duration took, boolean rcloneReachable, boolean dryRun, int pendingAtStart,
                        long pendingBytesAtStart, long uploaded, long verified, long unverified, long mismatch,
                        long failed, long quarantined, long deleted, long recheckFailed, long keptUnverifiedOld,
                        long planned, int backlogFiles, long backlogBytes, Duration oldestBacklogAge,
                        long diskFreeBytes, String stopReason) {

    public String statusLine() {
        return String.format("offload run%s: pending %d files / %s at start; uploaded %d, verified %d, unverified %d, "
                        + "mismatch %d, failed %d, quarantined %d, deleted %d%s; backlog %d files / %s, oldest unverified %s; "
                        + "rclone %s; disk free %s; took %.1f s%s",
                dryRun ? " (DRY RUN, planned " + planned + ")" : "", pendingAtStart, human(pendingBytesAtStart), uploaded,
                verified, unverified, mismatch, failed, quarantined, deleted,
                recheckFailed > 0 ? ", recheck failed " + recheckFailed : "", backlogFiles, human(backlogBytes),
                oldestBacklogAge == null ? "none" : human(oldestBacklogAge), rcloneReachable ? "ok" : "UNREACHABLE",
                diskFreeBytes < 0 ? "unknown" : human(diskFreeBytes), took.toMillis() / 1000.0,
                stopReason == null ? "" : "; stopped early: " + stopReason);
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min" : String.format("%.1f h", s / 3600.0);
    }
}
