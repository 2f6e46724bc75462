package io.orderbooks.offload;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every setting of offload-svc (prefix {@code offload}; env form {@code OFFLOAD_<KEY>} with dashes as underscores).
 * docs/OFFLOAD.md lists them with their defaults; the service logs every one at start (EffectiveConfig, from this
 * mapping), the rc password only as where it came from.
 */
@ConfigMapping(prefix = "offload")
@RegisterForReflection // EffectiveConfig walks it at start, in a native image too
public interface OffloadConfig {

    /** rclone's remote-control API ({@code rclone rcd}); compose: the rclone container on the compose network. */
    @WithDefault("http://rclone:5572")
    String rcloneUrl();

    /** Basic-auth user of the rc API ({@code --rc-user}); compose passes RCLONE_RC_USER. */
    @WithDefault("orderbooks")
    String rcloneUser();

    /**
     * Basic-auth password of the rc API ({@code --rc-pass}); a secret: never logged. Unset or empty (compose passes
     * an empty RCLONE_RC_PASS, which SmallRye Config reads as unset): see rclone-pass-file.
     */
    Optional<String> rclonePass();

    /**
     * File holding the rc password, read when {@code rclone-pass} is empty. Compose points it at the password the
     * {@code init} service generates at the first {@code up} (docs/OPERATIONS.md §4.2), so the stack starts from
     * .env.example with a random password and no placeholder.
     */
    Optional<Path> rclonePassFile();

    /**
     * The data dir as the rclone process sees it. rc calls name local files by absolute path, and the rclone
     * container mounts the same data dir read-only at the same path, so this defaults to {@code data.dir}.
     */
    @WithDefault("${data.dir}")
    String rcloneDataDir();

    /** rclone remote and folder to upload to, {@code <remote in rclone.conf>:<folder>}. */
    @WithDefault("gdrive:orderbooks")
    String remote();

    /** How often a run starts; runs never overlap. */
    @WithDefault("5m")
    Duration interval();

    /** Delay before the first run after start. */
    @WithDefault("20s")
    Duration initialDelay();

    /** Files uploaded in parallel. */
    @WithDefault("2")
    int transfers();

    /**
     * rclone bandwidth limit set through {@code core/bwlimit} before each run ({@code 1M}, {@code 512k},
     * {@code off}); unset leaves rclone's own setting alone.
     */
    Optional<String> bwlimit();

    /** Closed files older than this many days are deleted locally, once verified and re-checked remotely. */
    @WithDefault("7")
    int keepDays();

    /** Plan and log everything, write the plan, change nothing local or remote. */
    @WithDefault("false")
    boolean dryRun();

    /**
     * Drain mode (docs/OFFLOAD.md "Draining a volume"): for a data dir whose collector and discovery are gone for good
     * (a replica removed by a scale-down, a VPS being retired). At start, recover what the writers left
     * ({@code .open} files, closed files without a manifest), then run back to back until every file, mark and daily
     * upload manifest is verified upstream or {@code drain-timeout} passes, write the verdict to
     * {@code offload/drain-<time>.json} and exit: 0 when nothing is left to upload, 1 when something is, 75 when a
     * writer or another offload-svc still runs on the data dir. Env {@code OFFLOAD_DRAIN}, default false.
     */
    @WithDefault("false")
    boolean drain();

    /** How long a drain keeps trying before it gives up with exit code 1. Env {@code OFFLOAD_DRAIN_TIMEOUT}. */
    @WithDefault("6h")
    Duration drainTimeout();

    /**
     * Pause after a drain run that verified nothing and left something (rclone down, a quota), before the next one.
     * Env {@code OFFLOAD_DRAIN_RETRY}.
     */
    @WithDefault("1m")
    Duration drainRetry();

    /** Instance id of this service (run manifests); default: the host name, sanitised. */
    Optional<String> instance();

    /** Below this much free space on the data dir, the service alerts loudly and reports not ready. */
    @WithDefault("2G")
    MemorySize diskMinFree();

    /**
     * Retention that knows the disk (docs/OFFLOAD.md "Retention"): while the data dir has less than this free, verified
     * files are deleted oldest-first before their {@code keep-days}, each re-checked remotely first, until it has this
     * much again; an unverified file never is. {@code 0} turns it off. Env {@code OFFLOAD_RETENTION_MIN_FREE}, default 5G
     * (above {@code disk-min-free}, so the disk makes room before it alerts).
     */
    @WithDefault("5G")
    MemorySize retentionMinFree();

    /**
     * A quarantined original (crash recovery's copy of a damaged file) is deleted once it is older than this many days
     * and the file recovered from it is verified upstream; anything else in quarantine is kept for inspection.
     * Env {@code OFFLOAD_QUARANTINE_KEEP_DAYS}, default 7.
     */
    @WithDefault("7")
    int quarantineKeepDays();

    /**
     * Ledger compaction (docs/OFFLOAD.md "Ledger compaction"): every line younger than this many days stays in
     * {@code offload/ledger.jsonl} as written; older lines that no longer decide anything (superseded attempts, and the
     * whole history of a file deleted by retention longer ago) move to {@code offload/ledger-archive/}. At least 2.
     * Env {@code OFFLOAD_LEDGER_KEEP_DAYS}, default 30.
     */
    @WithDefault("30")
    int ledgerKeepDays();

    /** Readiness fails when the oldest file not yet verified remotely closed longer ago than this. */
    @WithDefault("3h")
    Duration maxBacklogAge();

    /** Upper bound on one file's copy (an rclone async job); the job is stopped after it. */
    @WithDefault("2h")
    Duration transferTimeout();

    /** How often a running copy job is polled ({@code job/status}). */
    @WithDefault("1s")
    Duration jobPollInterval();

    /** Immediate re-uploads after a verification mismatch, before the file waits for the next run. */
    @WithDefault("1")
    int mismatchRetries();

    /** A run stops early (and waits for the next interval) after this many failed files in a row. */
    @WithDefault("3")
    int maxConsecutiveFailures();
}
