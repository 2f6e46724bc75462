package io.orderbooks.offload;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What one offload run did, and the backlog it left. {@code statusLine()} is the one line per run in the log, in the
 * {@code key=value} style every service's status line uses (docs/OPERATIONS.md "Reading the logs"); sizes in GiB.
 *
 * @param pendingAtStart      files not yet verified when the run started
 * @param deletedEarly        of {@code deleted}, files removed before their keep-days because the disk was low
 * @param quarantinePruned    quarantined originals pruned (their replacement verified upstream, older than the limit)
 * @param backlogFiles        files still not verified when it ended (their bytes in {@code backlogBytes})
 * @param oldestBacklogAge    how long ago the oldest of them closed; null when there is none
 * @param keptUnverifiedOld   files past {@code keep-days} kept because they are not verified
 * @param disk                free space, its rate of use and the time until full ({@link DiskForecast})
 * @param ledgerCompactions   ledger compactions this run (0 or 1: at most one a day), {@code ledgerArchived} the lines
 *                            they moved to {@code offload/ledger-archive/}, {@code ledgerLines} the ledger's lines after
 *                            the run
 * @param stopReason          why the run stopped early (rclone down, quota, too many failures), or null
 */
public record RunReport(
        Instant startedAt,
        Duration took,
        boolean rcloneReachable,
        boolean dryRun,
        int pendingAtStart,
        long pendingBytesAtStart,
        long uploaded,
        long verified,
        long unverified,
        long mismatch,
        long failed,
        long quarantined,
        long deleted,
        long deletedEarly,
        long quarantinePruned,
        long recheckFailed,
        long keptUnverifiedOld,
        long planned,
        int backlogFiles,
        long backlogBytes,
        Duration oldestBacklogAge,
        DiskForecast.Estimate disk,
        long ledgerCompactions,
        long ledgerArchived,
        long ledgerLines,
        String stopReason) {

    public long diskFreeBytes() {
        return disk.freeBytes();
    }

    public String statusLine() {
        StringBuilder b = new StringBuilder("offload run:");
        if (dryRun) {
            b.append(" dry_run=true planned=").append(planned);
        }
        b.append(" pending_at_start=")
                .append(pendingAtStart)
                .append(" pending_size=")
                .append(gib(pendingBytesAtStart))
                .append(" uploaded=")
                .append(uploaded)
                .append(" verified=")
                .append(verified)
                .append(" unverified=")
                .append(unverified)
                .append(" mismatch=")
                .append(mismatch)
                .append(" failed=")
                .append(failed)
                .append(" quarantined=")
                .append(quarantined)
                .append(" deleted=")
                .append(deleted)
                .append(" deleted_disk_low=")
                .append(deletedEarly)
                .append(" recheck_failed=")
                .append(recheckFailed)
                .append(" quarantine_pruned=")
                .append(quarantinePruned)
                .append(" ledger_compacted=")
                .append(ledgerCompactions)
                .append(" ledger_archived=")
                .append(ledgerArchived)
                .append(" ledger_lines=")
                .append(ledgerLines)
                .append(" backlog=")
                .append(backlogFiles)
                .append(" backlog_size=")
                .append(gib(backlogBytes))
                .append(" oldest_unverified=")
                .append(oldestBacklogAge == null ? "none" : human(oldestBacklogAge))
                .append(" rclone=")
                .append(rcloneReachable ? "ok" : "UNREACHABLE")
                .append(' ')
                .append(disk.describe())
                .append(" took=")
                .append(String.format(Locale.ROOT, "%.1fs", took.toMillis() / 1000.0));
        if (stopReason != null) {
            b.append(" stopped=\"").append(stopReason.replace('"', '\'')).append('"');
        }
        return b.toString();
    }

    /** The one size unit of every log line (docs/OPERATIONS.md): GiB with two decimals, e.g. {@code 12.34GiB}. */
    public static String gib(long bytes) {
        return io.orderbooks.shared.logging.LogFormat.gib(bytes);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "min" : String.format(Locale.ROOT, "%.1fh", s / 3600.0);
    }
}
