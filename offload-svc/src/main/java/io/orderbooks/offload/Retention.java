package io.orderbooks.offload;

import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.LedgerAction;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.manifests.LedgerReason;
import io.orderbooks.shared.manifests.LedgerResult;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Local retention (docs/OFFLOAD.md "Retention"): a closed file whose data hour ended more than
 * {@code offload.keep-days} ago is deleted (ledger reason {@code keep-days}); and while the data dir has less than
 * {@code offload.retention-min-free} free, younger files are deleted too, oldest first, until it has that much again
 * (reason {@code disk-low}: a whole feed is tens of GB a day, issue 13). Either way a file is deleted,
 * with its manifest, only when (1) the ledger's latest lines say both were uploaded and verified with exactly the
 * manifest's hashes, and (2) a fresh {@code operations/stat} right now confirms both still exist remotely with the
 * same size and MD5. A failed recheck appends a {@code recheck} line, which makes the file pending again, so the next
 * run uploads it. {@code .open} files, quarantine and anything unverified are never candidates, however full the
 * disk is: then the service alerts instead.
 */
final class Retention {
    private static final Logger LOG = Logger.getLogger(Retention.class);

    private final DataDir dir;
    private final OffloadSettings settings;
    private final RcloneRemote remote;
    private final Ledger ledger;
    private final OffloadMetrics metrics;
    private final Clock clock;
    private final DiskForecast forecast;

    Retention(
            DataDir dir,
            OffloadSettings settings,
            RcloneRemote remote,
            Ledger ledger,
            OffloadMetrics metrics,
            Clock clock,
            DiskForecast forecast) {
        this.forecast = forecast;
        this.dir = dir;
        this.settings = settings;
        this.remote = remote;
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
    }

    void apply(List<LocalFile> all, RunCounters c, DryRunPlan plan) {
        Instant cutoff = clock.instant().minus(Duration.ofDays(settings.keepDays()));
        boolean lowLogged = false;
        for (LocalFile f : all) { // oldest first (LocalFiles.OLDEST_FIRST)
            boolean due = !f.hourEnd().isAfter(cutoff);
            // Measured again before every file: each deletion frees real space, and the writers keep using it.
            boolean low = !due && diskLow();
            if (!due && !low) {
                continue;
            }
            if (c.stopped()) {
                return;
            }
            if (!Files.exists(f.path())) {
                continue; // quarantined or removed during this run
            }
            String manifestMd5 = Checksums.md5Hex(f.manifestBytes());
            if (!ledger.isVerified(f, manifestMd5)) {
                if (due) {
                    c.keptUnverifiedOld.incrementAndGet();
                }
                continue;
            }
            if (low && !lowLogged) {
                lowLogged = true;
                LOG.warnf(
                        "retention: data dir free %s < %s (offload.retention-min-free): deleting verified files "
                                + "oldest-first before their %d days until it has that much again; unverified files are kept",
                        RunReport.gib(dir.usableBytes()),
                        RunReport.gib(settings.retentionMinFreeBytes()),
                        settings.keepDays());
            }
            RemoteCheck data = remote.check(
                    f.relative(), f.manifest().bytes(), f.manifest().md5());
            RemoteCheck manifest = data instanceof RemoteCheck.Match
                    ? remote.check(f.manifestRelative(), f.manifestBytes().length, manifestMd5)
                    : null;
            if (data instanceof RemoteCheck.Match && manifest instanceof RemoteCheck.Match) {
                delete(f, due ? LedgerReason.KEEP_DAYS : LedgerReason.DISK_LOW, c, plan);
            } else {
                recheckFailed(
                        f,
                        data instanceof RemoteCheck.Match ? LedgerKind.MANIFEST : LedgerKind.DATA,
                        data instanceof RemoteCheck.Match ? manifest : data,
                        manifestMd5,
                        c,
                        plan);
            }
        }
    }

    /** Free space below {@code offload.retention-min-free} (0: off). In a dry run nothing is freed, so never. */
    private boolean diskLow() {
        if (settings.retentionMinFreeBytes() <= 0) {
            return false;
        }
        long free = dir.usableBytes();
        return free >= 0 && free < settings.retentionMinFreeBytes();
    }

    private void delete(LocalFile f, LedgerReason reason, RunCounters c, DryRunPlan plan) {
        LedgerEntry line = new LedgerEntry(
                clock.instant(),
                LedgerAction.DELETE,
                LedgerKind.DATA,
                f.relative(),
                f.manifest().bytes(),
                f.manifest().sha256(),
                f.manifest().md5(),
                settings.remotePath(f.relative()),
                plan != null ? LedgerResult.DRY_RUN : LedgerResult.DELETED,
                f.manifest().md5(),
                f.manifest().bytes(),
                0,
                null,
                reason);
        String why = LedgerReason.KEEP_DAYS == reason
                ? "older than " + settings.keepDays() + " days"
                : "disk low: free below offload.retention-min-free " + RunReport.gib(settings.retentionMinFreeBytes());
        if (plan != null) {
            plan.add(line);
            LOG.infof("dry run: would delete local %s (verified remotely, %s)", f.relative(), why);
            return;
        }
        try {
            // Data first, then its manifest: a crash in between leaves a manifest without data, which nothing uploads
            // or deletes, never data without a manifest (which recovery would re-describe and offload re-upload).
            Files.deleteIfExists(f.path());
            Files.deleteIfExists(f.manifestPath());
            AtomicFiles.fsyncDirectory(f.path().getParent());
            ledger.append(line);
            forecast.freed(f.manifest().bytes() + f.manifestBytes().length);
            c.deleted.incrementAndGet();
            if (LedgerReason.DISK_LOW == reason) {
                c.deletedEarly.incrementAndGet();
            }
            metrics.deleted(reason);
            LOG.infof(
                    "retention: deleted local %s (%s; verified remotely at %s)",
                    f.relative(), why, settings.remotePath(f.relative()));
        } catch (IOException e) {
            LOG.warnf("retention: cannot delete %s: %s", f.relative(), e.getMessage());
        }
    }

    private void recheckFailed(
            LocalFile f, LedgerKind kind, RemoteCheck check, String manifestMd5, RunCounters c, DryRunPlan plan) {
        if (check instanceof RemoteCheck.CheckFailed failed) {
            // Unknown is not a mismatch: keep the file and the ledger as they are, and try again next run.
            LOG.warnf(
                    "retention: cannot recheck %s (%s); kept",
                    f.relative(), failed.failure().message());
            if (failed.failure().stopsRun()) {
                c.stop("recheck: " + failed.failure().message());
            }
            return;
        }
        c.recheckFailed.incrementAndGet();
        boolean isData = LedgerKind.DATA == kind;
        String rel = isData ? f.relative() : f.manifestRelative();
        LOG.errorf(
                "ALERT: retention recheck of %s found the remote copy %s; local copy kept and uploaded again%s",
                rel, check, plan != null ? " (dry run: nothing changed)" : "");
        if (plan != null) {
            return;
        }
        var obj = switch (check) {
            case RemoteCheck.Differ d -> d.remote();
            case RemoteCheck.NoHash n -> n.remote();
            default -> null;
        };
        try {
            ledger.append(new LedgerEntry(
                    clock.instant(),
                    LedgerAction.RECHECK,
                    kind,
                    rel,
                    isData ? f.manifest().bytes() : f.manifestBytes().length,
                    isData ? f.manifest().sha256() : Checksums.sha256Hex(f.manifestBytes()),
                    isData ? f.manifest().md5() : manifestMd5,
                    settings.remotePath(rel),
                    check.result(),
                    obj == null ? null : obj.md5(),
                    obj == null ? null : obj.size(),
                    0,
                    check.toString()));
        } catch (IOException e) {
            LOG.errorf("cannot append to the ledger: %s", e.getMessage());
        }
    }

    /**
     * The disk guard: offload never deletes unverified data to make room, so when free space is low it can only
     * say so, loudly, with the size of the backlog that blocks retention. Returns the free bytes (-1 unknown).
     */
    long checkDisk(List<LocalFile> pending) {
        long free = dir.usableBytes();
        metrics.diskFree(free);
        if (free >= 0 && free < settings.diskMinFreeBytes()) {
            long bytes = pending.stream().mapToLong(f -> f.manifest().bytes()).sum();
            LOG.errorf(
                    "ALERT: data dir nearly full: %s free < %s (offload.disk-min-free); %d file(s) (%s) are not verified "
                            + "remotely and are kept: nothing unverified is ever deleted. Fix the upload (rclone, remote, quota) or add disk.",
                    RunReport.gib(free),
                    RunReport.gib(settings.diskMinFreeBytes()),
                    pending.size(),
                    RunReport.gib(bytes));
        }
        return free;
    }
}
