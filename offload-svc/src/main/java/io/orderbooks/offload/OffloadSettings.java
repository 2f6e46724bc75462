package io.orderbooks.offload;

import java.time.Duration;

/**
 * The settings one {@link Offloader} runs with: {@link OffloadConfig} as a plain record, so that tests can build
 * offloaders for other remotes, retention limits or dry-run against the same real rclone.
 *
 * @param rcloneDataDir the data dir's absolute path as rclone sees it (source fs of every copy)
 * @param remote        destination fs, e.g. {@code gdrive:orderbooks}
 * @param bwlimit       rate for {@code core/bwlimit}, or null to leave rclone's setting alone
 * @param retentionMinFreeBytes below this free space, retention deletes verified files oldest-first before their
 *                      keep-days (never an unverified one); 0 turns this off
 * @param quarantineKeepDays a quarantined original whose replacement is verified upstream is pruned after this many days
 * @param ledgerKeepDays every ledger line younger than this stays in {@code ledger.jsonl}; older lines that no longer
 *                      decide anything move to {@code offload/ledger-archive/} (ledger compaction, {@link LedgerCompactor})
 */
public record OffloadSettings(
        String rcloneDataDir,
        String remote,
        int transfers,
        String bwlimit,
        int keepDays,
        boolean dryRun,
        long diskMinFreeBytes,
        Duration maxBacklogAge,
        Duration transferTimeout,
        Duration jobPollInterval,
        int mismatchRetries,
        int maxConsecutiveFailures,
        long retentionMinFreeBytes,
        int quarantineKeepDays,
        int ledgerKeepDays) {
    public OffloadSettings {
        if (retentionMinFreeBytes < 0) {
            throw new IllegalArgumentException("offload.retention-min-free must be >= 0: " + retentionMinFreeBytes);
        }
        if (quarantineKeepDays < 0) {
            throw new IllegalArgumentException("offload.quarantine-keep-days must be >= 0: " + quarantineKeepDays);
        }
        if (ledgerKeepDays < LedgerCompactor.MIN_KEEP_DAYS) {
            throw new IllegalArgumentException("offload.ledger-keep-days must be >= " + LedgerCompactor.MIN_KEEP_DAYS
                    + " (the daily upload manifests of yesterday and today are rebuilt from the ledger): "
                    + ledgerKeepDays);
        }
        if (transfers < 1 || transfers > 32) {
            throw new IllegalArgumentException("offload.transfers must be 1..32: " + transfers);
        }
        if (keepDays < 0) {
            throw new IllegalArgumentException("offload.keep-days must be >= 0: " + keepDays);
        }
        if (remote == null || remote.isBlank() || !remote.contains(":")) {
            throw new IllegalArgumentException(
                    "offload.remote must be an rclone remote such as gdrive:orderbooks: " + remote);
        }
        if (rcloneDataDir == null || !rcloneDataDir.startsWith("/")) {
            throw new IllegalArgumentException("offload.rclone-data-dir must be an absolute path: " + rcloneDataDir);
        }
        if (mismatchRetries < 0 || maxConsecutiveFailures < 1) {
            throw new IllegalArgumentException(
                    "offload.mismatch-retries >= 0 and offload.max-consecutive-failures >= 1");
        }
    }

    public static OffloadSettings from(OffloadConfig c) {
        // A relative path (the local-run default ./data) means rclone runs beside us, in the same working directory.
        String rcloneDir = java.nio.file.Path.of(c.rcloneDataDir())
                .toAbsolutePath()
                .normalize()
                .toString();
        return new OffloadSettings(
                rcloneDir,
                c.remote(),
                c.transfers(),
                c.bwlimit().filter(s -> !s.isBlank()).orElse(null),
                c.keepDays(),
                c.dryRun(),
                c.diskMinFree().asLongValue(),
                c.maxBacklogAge(),
                c.transferTimeout(),
                c.jobPollInterval(),
                c.mismatchRetries(),
                c.maxConsecutiveFailures(),
                c.retentionMinFree().asLongValue(),
                c.quarantineKeepDays(),
                c.ledgerKeepDays());
    }

    /** Defaults of {@link OffloadConfig} for the given source and remote (tests). */
    public static OffloadSettings defaults(String rcloneDataDir, String remote) {
        return new OffloadSettings(
                rcloneDataDir,
                remote,
                2,
                null,
                7,
                false,
                2L << 30,
                Duration.ofHours(3),
                Duration.ofHours(2),
                Duration.ofSeconds(1),
                1,
                3,
                5L << 30,
                7,
                30);
    }

    public OffloadSettings withRemote(String r) {
        return new OffloadSettings(
                rcloneDataDir,
                r,
                transfers,
                bwlimit,
                keepDays,
                dryRun,
                diskMinFreeBytes,
                maxBacklogAge,
                transferTimeout,
                jobPollInterval,
                mismatchRetries,
                maxConsecutiveFailures,
                retentionMinFreeBytes,
                quarantineKeepDays,
                ledgerKeepDays);
    }

    public OffloadSettings withDryRun(boolean d) {
        return new OffloadSettings(
                rcloneDataDir,
                remote,
                transfers,
                bwlimit,
                keepDays,
                d,
                diskMinFreeBytes,
                maxBacklogAge,
                transferTimeout,
                jobPollInterval,
                mismatchRetries,
                maxConsecutiveFailures,
                retentionMinFreeBytes,
                quarantineKeepDays,
                ledgerKeepDays);
    }

    public OffloadSettings withKeepDays(int days) {
        return new OffloadSettings(
                rcloneDataDir,
                remote,
                transfers,
                bwlimit,
                days,
                dryRun,
                diskMinFreeBytes,
                maxBacklogAge,
                transferTimeout,
                jobPollInterval,
                mismatchRetries,
                maxConsecutiveFailures,
                retentionMinFreeBytes,
                quarantineKeepDays,
                ledgerKeepDays);
    }

    public OffloadSettings withTransfers(int t) {
        return new OffloadSettings(
                rcloneDataDir,
                remote,
                t,
                bwlimit,
                keepDays,
                dryRun,
                diskMinFreeBytes,
                maxBacklogAge,
                transferTimeout,
                jobPollInterval,
                mismatchRetries,
                maxConsecutiveFailures,
                retentionMinFreeBytes,
                quarantineKeepDays,
                ledgerKeepDays);
    }

    public OffloadSettings withBwlimit(String rate) {
        return new OffloadSettings(
                rcloneDataDir,
                remote,
                transfers,
                rate,
                keepDays,
                dryRun,
                diskMinFreeBytes,
                maxBacklogAge,
                transferTimeout,
                jobPollInterval,
                mismatchRetries,
                maxConsecutiveFailures,
                retentionMinFreeBytes,
                quarantineKeepDays,
                ledgerKeepDays);
    }

    public OffloadSettings withJobPollInterval(Duration d) {
        return new OffloadSettings(
                rcloneDataDir,
                remote,
                transfers,
                bwlimit,
                keepDays,
                dryRun,
                diskMinFreeBytes,
                maxBacklogAge,
                transferTimeout,
                d,
                mismatchRetries,
                maxConsecutiveFailures,
                retentionMinFreeBytes,
                quarantineKeepDays,
                ledgerKeepDays);
    }

    public OffloadSettings withDiskMinFreeBytes(long bytes) {
        return new OffloadSettings(
                rcloneDataDir,
                remote,
                transfers,
                bwlimit,
                keepDays,
                dryRun,
                bytes,
                maxBacklogAge,
                transferTimeout,
                jobPollInterval,
                mismatchRetries,
                maxConsecutiveFailures,
                retentionMinFreeBytes,
                quarantineKeepDays,
                ledgerKeepDays);
    }

    public OffloadSettings withRetentionMinFreeBytes(long bytes) {
        return new OffloadSettings(
                rcloneDataDir,
                remote,
                transfers,
                bwlimit,
                keepDays,
                dryRun,
                diskMinFreeBytes,
                maxBacklogAge,
                transferTimeout,
                jobPollInterval,
                mismatchRetries,
                maxConsecutiveFailures,
                bytes,
                quarantineKeepDays,
                ledgerKeepDays);
    }

    public OffloadSettings withQuarantineKeepDays(int days) {
        return new OffloadSettings(
                rcloneDataDir,
                remote,
                transfers,
                bwlimit,
                keepDays,
                dryRun,
                diskMinFreeBytes,
                maxBacklogAge,
                transferTimeout,
                jobPollInterval,
                mismatchRetries,
                maxConsecutiveFailures,
                retentionMinFreeBytes,
                days,
                ledgerKeepDays);
    }

    public OffloadSettings withLedgerKeepDays(int days) {
        return new OffloadSettings(
                rcloneDataDir,
                remote,
                transfers,
                bwlimit,
                keepDays,
                dryRun,
                diskMinFreeBytes,
                maxBacklogAge,
                transferTimeout,
                jobPollInterval,
                mismatchRetries,
                maxConsecutiveFailures,
                retentionMinFreeBytes,
                quarantineKeepDays,
                days);
    }

    /** The remote path of a data-dir-relative file, as written in the ledger: {@code gdrive:orderbooks/raw/...}. */
    public String remotePath(String relative) {
        return remote.endsWith(":") || remote.endsWith("/") ? remote + relative : remote + "/" + relative;
    }
}
