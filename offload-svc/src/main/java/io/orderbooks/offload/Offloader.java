package io.orderbooks.offload;

import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.manifests.LedgerAction;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.manifests.LedgerResult;
import io.orderbooks.support.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One offload run (docs/OFFLOAD.md §1): find closed files with manifests that the ledger does not show verified, oldest
 * first; check each against its manifest (a mismatch goes to quarantine, never upstream); upload file and manifest
 * with bounded parallelism; read back the remote size and MD5; append the outcome to the ledger; then apply
 * retention ({@link Retention}), prune quarantine ({@link QuarantinePruner}) and publish the daily upload manifest. A
 * line saying {@code verified} is appended
 * only after the remote's own size and MD5 equal the local ones, so an interrupted run (crash, kill, rclone dying)
 * can leave a partial remote object but never a false {@code verified}; the next run simply copies again.
 */
public final class Offloader {
    private static final Logger LOG = Logger.getLogger(Offloader.class);

    private final DataDir dir;
    private final OffloadSettings settings;
    private final RcloneRemote remote;
    private final Ledger ledger;
    private final OffloadMetrics metrics;
    private final Clock clock;
    private final LocalFiles localFiles;
    private final UploadManifests uploadManifests;
    private final Retention retention;
    private final QuarantinePruner quarantinePruner;
    private final LedgerCompactor compactor;
    private final DiskForecast forecast = new DiskForecast();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public Offloader(
            DataDir dir,
            InstanceId instance,
            OffloadSettings settings,
            RcloneRemote remote,
            Ledger ledger,
            OffloadMetrics metrics,
            Clock clock) {
        this.dir = dir;
        this.settings = settings;
        this.remote = remote;
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
        this.localFiles = new LocalFiles(dir);
        this.uploadManifests = new UploadManifests(dir, instance, ledger, remote, settings, today());
        this.retention = new Retention(dir, settings, remote, ledger, metrics, clock, forecast);
        this.quarantinePruner = new QuarantinePruner(dir, settings, ledger, clock);
        this.compactor = new LedgerCompactor(dir, ledger, settings, clock);
    }

    public OffloadSettings settings() {
        return settings;
    }

    LedgerCompactor compactor() {
        return compactor;
    }

    public Ledger ledger() {
        return ledger;
    }

    /** Closed files with a manifest that the ledger does not show verified upstream (what a drain still has to do). */
    List<LocalFile> unverified() {
        return localFiles.closedWithManifest().stream()
                .filter(f -> !isVerified(f))
                .toList();
    }

    /** Days whose daily upload manifest is not verified on the remote yet. */
    java.util.Set<LocalDate> unpublishedDays() {
        return uploadManifests.unpublished();
    }

    /** Stops scheduling transfers and abandons running copy jobs (shutdown); the next start resumes cleanly. */
    public void cancel() {
        cancelled.set(true);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** One complete run. Never throws for an rclone or remote problem: those are counted and reported. */
    public RunReport run() {
        Instant started = clock.instant();
        RunCounters c = new RunCounters();
        DryRunPlan plan = settings.dryRun() ? new DryRunPlan() : null;
        boolean reachable = probeRclone(c);
        List<LocalFile> all = localFiles.closedWithManifest();
        List<LocalFile> pending = all.stream().filter(f -> !isVerified(f)).toList();
        long pendingBytes =
                pending.stream().mapToLong(f -> f.manifest().bytes()).sum();
        if (reachable || plan != null) {
            upload(pending, c, plan);
        }
        if (reachable && plan == null && !c.stopped()) {
            uploadMarks(c);
        }
        if (!c.stopped()) {
            retention.apply(all, c, plan);
        }
        if (!c.stopped()) {
            quarantinePruner.prune(c, plan);
        }
        if (plan != null) {
            writePlan(plan, started);
        } else if (reachable && !c.stopped()) {
            ledger.forgetDaysBefore(today().minusDays(1));
            uploadManifests.publish();
        }
        if (plan == null) {
            // Local only, so whatever rclone did: at most once a day (a dry run leaves the ledger alone).
            LedgerCompactor.Result r = compactor.maybeCompact();
            if (r.compacted()) {
                c.ledgerCompactions.incrementAndGet();
                c.ledgerArchivedLines.addAndGet(r.linesArchived());
                metrics.ledgerCompacted(r.linesArchived());
            }
        }
        return report(started, c, reachable, pending.size(), pendingBytes, plan);
    }

    private boolean probeRclone(RunCounters c) {
        try {
            remote.client().version();
        } catch (RuntimeException e) {
            c.stop("rclone unreachable (" + Failure.of(e).message() + ")");
            LOG.warnf("rclone rc API unreachable: %s; nothing uploaded or deleted this run", e.getMessage());
            return false;
        }
        if (settings.bwlimit() != null && !settings.dryRun()) {
            try {
                remote.client().bandwidthLimit(settings.bwlimit());
            } catch (RuntimeException e) {
                LOG.warnf("could not set rclone bandwidth limit %s: %s", settings.bwlimit(), e.getMessage());
            }
        }
        return true;
    }

    /** The invalid marks, after the data they concern (docs/OFFLOAD.md §5); not in a dry run, never deleted. */
    private void uploadMarks(RunCounters c) {
        MarkUploads.Result r = new MarkUploads(dir, settings, remote, ledger, clock, this::appendLedger)
                .upload(() -> c.stopped() || cancelled.get());
        if (r.verified() > 0 || r.failed() > 0 || r.notUsable() > 0) {
            LOG.infof(
                    "marks: %d uploaded and verified, %d verified before, %d failed (retried next run), %d mark "
                            + "file(s) not usable",
                    r.verified(), r.alreadyVerified(), r.failed(), r.notUsable());
        }
    }

    private boolean isVerified(LocalFile f) {
        return ledger.isVerified(f, Checksums.md5Hex(f.manifestBytes()));
    }

    private void upload(List<LocalFile> pending, RunCounters c, DryRunPlan plan) {
        if (pending.isEmpty()) {
            return;
        }
        ExecutorService pool =
                Executors.newFixedThreadPool(settings.transfers(), DaemonThreads.factory("offload-transfer"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            // Oldest first: the pool takes tasks in submission order, so at most `transfers` files are in flight.
            for (LocalFile f : pending) {
                futures.add(pool.submit(() -> uploadOne(f, c, plan)));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.errorf(e.getCause(), "offload of a file failed unexpectedly");
                    c.failed.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.stop("interrupted");
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void uploadOne(LocalFile f, RunCounters c, DryRunPlan plan) {
        if (c.stopped() || cancelled.get()) {
            return;
        }
        Checksums.Digests local;
        try {
            local = Checksums.of(f.path());
        } catch (NoSuchFileException e) {
            return; // removed since the scan (an operator); nothing to upload
        } catch (IOException e) {
            LOG.errorf("cannot read %s: %s; not uploaded", f.relative(), e.getMessage());
            c.failed.incrementAndGet();
            return;
        }
        if (local.bytes() != f.manifest().bytes()
                || !local.sha256().equals(f.manifest().sha256())
                || !local.md5().equals(f.manifest().md5())) {
            quarantine(f, local, c, plan);
            return;
        }
        String manifestMd5 = Checksums.md5Hex(f.manifestBytes());
        if (plan != null) {
            plan.add(entry(
                    LedgerAction.UPLOAD,
                    LedgerKind.DATA,
                    f.relative(),
                    local.bytes(),
                    local.sha256(),
                    local.md5(),
                    LedgerResult.DRY_RUN,
                    null,
                    0,
                    null));
            plan.add(entry(
                    LedgerAction.UPLOAD,
                    LedgerKind.MANIFEST,
                    f.manifestRelative(),
                    f.manifestBytes().length,
                    Checksums.sha256Hex(f.manifestBytes()),
                    manifestMd5,
                    LedgerResult.DRY_RUN,
                    null,
                    0,
                    null));
            LOG.infof(
                    "dry run: would upload %s (%d bytes) and its manifest to %s",
                    f.relative(), local.bytes(), settings.remotePath(f.relative()));
            return;
        }
        for (int attempt = 0; attempt <= settings.mismatchRetries() && !c.stopped() && !cancelled.get(); attempt++) {
            LedgerResult result = uploadAndVerify(f, local, manifestMd5, c);
            metrics.files(result, 1);
            switch (result) {
                case VERIFIED -> {
                    c.verified.incrementAndGet();
                    c.consecutiveFailures.set(0);
                    metrics.verifiedBytes(local.bytes());
                    return;
                }
                case UNVERIFIED -> {
                    c.unverified.incrementAndGet();
                    LOG.warnf(
                            "%s uploaded, but the remote reports no MD5: unverified (kept locally, checked again next run)",
                            f.relative());
                    return;
                }
                case MISMATCH -> {
                    c.mismatch.incrementAndGet();
                    if (attempt == settings.mismatchRetries()) {
                        LOG.errorf(
                                "ALERT: the remote copy of %s still differs from the local file after %d upload(s); "
                                        + "local copy kept, retried next run",
                                f.relative(), attempt + 1);
                    } else {
                        LOG.warnf("remote copy of %s differs from the local file: uploading it again", f.relative());
                    }
                }
                default -> {
                    c.failed.incrementAndGet();
                    if (c.consecutiveFailures.incrementAndGet() >= settings.maxConsecutiveFailures()) {
                        c.stop(c.consecutiveFailures.get() + " failed files in a row");
                    }
                    return;
                }
            }
        }
    }

    /** Copy the data file, verify it, then the same for its manifest; one ledger line per object. */
    private LedgerResult uploadAndVerify(LocalFile f, Checksums.Digests local, String manifestMd5, RunCounters c) {
        LedgerResult data = copyAndVerify(LedgerKind.DATA, f.relative(), local.bytes(), local.sha256(), local.md5(), c);
        if (data != LedgerResult.VERIFIED) {
            return data;
        }
        // The manifest goes up after its file, as on disk: a remote manifest means its file is complete.
        return copyAndVerify(
                LedgerKind.MANIFEST,
                f.manifestRelative(),
                f.manifestBytes().length,
                Checksums.sha256Hex(f.manifestBytes()),
                manifestMd5,
                c);
    }

    private LedgerResult copyAndVerify(
            LedgerKind kind, String relative, long bytes, String sha256, String md5, RunCounters c) {
        Instant t0 = clock.instant();
        CopyOutcome copy = remote.copy(relative, cancelled::get);
        if (copy instanceof CopyOutcome.CopyFailed failed) {
            onFailure(failed.failure(), relative, c);
            appendLedger(entry(
                    LedgerAction.UPLOAD,
                    kind,
                    relative,
                    bytes,
                    sha256,
                    md5,
                    LedgerResult.FAILED,
                    null,
                    since(t0),
                    failed.failure().message()));
            return LedgerResult.FAILED;
        }
        if (LedgerKind.DATA == kind) {
            c.uploaded.incrementAndGet();
        }
        RemoteCheck check = remote.check(relative, bytes, md5);
        LedgerResult result = check.result();
        String error = switch (check) {
            case RemoteCheck.Match m -> null;
            case RemoteCheck.NoHash n -> null;
            case RemoteCheck.Differ d -> d.what();
            case RemoteCheck.Missing m -> "object missing on the remote after a successful copy";
            case RemoteCheck.CheckFailed cf -> {
                onFailure(cf.failure(), relative, c);
                yield "could not read the remote hash: " + cf.failure().message();
            }
        };
        appendLedger(remoteEntry(kind, relative, bytes, sha256, md5, result, check, since(t0), error));
        return result;
    }

    private void onFailure(Failure failure, String relative, RunCounters c) {
        switch (failure.kind()) {
            case QUOTA -> {
                c.stop("Google Drive quota or rate limit");
                LOG.errorf(
                        "ALERT: the remote refuses uploads for quota or rate limit (%s); backing off until the next "
                                + "run, all files kept locally",
                        failure.message());
            }
            case RCLONE_DOWN -> {
                c.stop("rclone unreachable");
                LOG.errorf("rclone became unreachable during %s: %s", relative, failure.message());
            }
            case REMOTE -> LOG.warnf("upload of %s failed: %s", relative, failure.message());
        }
    }

    private void quarantine(LocalFile f, Checksums.Digests local, RunCounters c, DryRunPlan plan) {
        String reason = String.format(
                "local bytes no longer match the manifest: %d bytes sha256 %s, manifest says %d bytes sha256 %s",
                local.bytes(),
                local.sha256(),
                f.manifest().bytes(),
                f.manifest().sha256());
        LedgerEntry line = entry(
                LedgerAction.QUARANTINE,
                LedgerKind.DATA,
                f.relative(),
                local.bytes(),
                local.sha256(),
                local.md5(),
                plan != null ? LedgerResult.DRY_RUN : LedgerResult.QUARANTINED,
                null,
                0,
                reason);
        if (plan != null) {
            plan.add(line);
            LOG.errorf("ALERT (dry run): would quarantine %s: %s", f.relative(), reason);
            return;
        }
        try {
            var target = Quarantine.move(dir, f, reason, clock);
            appendLedger(line);
            c.quarantined.incrementAndGet();
            metrics.files(LedgerResult.QUARANTINED, 1);
            LOG.errorf(
                    "ALERT: %s quarantined as %s, never uploaded as good data: %s",
                    f.relative(), dir.relative(target), reason);
        } catch (IOException e) {
            LOG.errorf(
                    "ALERT: %s does not match its manifest and could not be quarantined (%s); not uploaded",
                    f.relative(), e.getMessage());
            c.failed.incrementAndGet();
        }
    }

    LedgerEntry entry(
            LedgerAction action,
            LedgerKind kind,
            String relative,
            long bytes,
            String sha256,
            String md5,
            LedgerResult result,
            Long remoteBytes,
            long durationMs,
            String error) {
        return new LedgerEntry(
                clock.instant(),
                action,
                kind,
                relative,
                bytes,
                sha256,
                md5,
                settings.remotePath(relative),
                result,
                null,
                remoteBytes,
                durationMs,
                error);
    }

    private LedgerEntry remoteEntry(
            LedgerKind kind,
            String relative,
            long bytes,
            String sha256,
            String md5,
            LedgerResult result,
            RemoteCheck check,
            long durationMs,
            String error) {
        var obj = switch (check) {
            case RemoteCheck.Match m -> m.remote();
            case RemoteCheck.NoHash n -> n.remote();
            case RemoteCheck.Differ d -> d.remote();
            default -> null;
        };
        return new LedgerEntry(
                clock.instant(),
                LedgerAction.UPLOAD,
                kind,
                relative,
                bytes,
                sha256,
                md5,
                settings.remotePath(relative),
                result,
                obj == null ? null : obj.md5(),
                obj == null ? null : obj.size(),
                durationMs,
                error);
    }

    void appendLedger(LedgerEntry e) {
        try {
            ledger.append(e);
            uploadManifests.touched(LocalDate.ofInstant(e.time(), ZoneOffset.UTC));
        } catch (IOException ex) {
            // Without its ledger line an attempt counts as never made: the file stays pending, nothing is deleted.
            throw new UncheckedIOException("cannot append to the ledger " + ledger.path() + ": " + ex.getMessage(), ex);
        }
    }

    private long since(Instant t0) {
        return Duration.between(t0, clock.instant()).toMillis();
    }

    private void writePlan(DryRunPlan plan, Instant at) {
        try {
            plan.write(dir, settings.remote(), at);
            LOG.infof("dry run: plan of %d item(s) written to %s", plan.size(), DryRunPlan.FILE);
        } catch (IOException e) {
            LOG.warnf("dry run: cannot write the plan: %s", e.getMessage());
        }
    }

    private RunReport report(
            Instant started, RunCounters c, boolean reachable, int pendingAtStart, long pendingBytes, DryRunPlan plan) {
        Instant now = clock.instant();
        List<LocalFile> backlog = localFiles.closedWithManifest().stream()
                .filter(f -> !isVerified(f))
                .toList();
        long diskFree = retention.checkDisk(backlog);
        DiskForecast.Estimate disk = forecast.sample(now, diskFree);
        long backlogBytes =
                backlog.stream().mapToLong(f -> f.manifest().bytes()).sum();
        Duration oldest = backlog.stream()
                .map(LocalFile::closedAt)
                .min(Instant::compareTo)
                .map(t -> Duration.between(t, now))
                .map(d -> d.isNegative() ? Duration.ZERO : d)
                .orElse(null);
        metrics.backlog(backlog.size(), backlogBytes, oldest == null ? 0 : oldest.toSeconds());
        metrics.ledgerLines(ledger.lines());
        return new RunReport(
                started,
                Duration.between(started, now),
                reachable,
                settings.dryRun(),
                pendingAtStart,
                pendingBytes,
                c.uploaded.get(),
                c.verified.get(),
                c.unverified.get(),
                c.mismatch.get(),
                c.failed.get(),
                c.quarantined.get(),
                c.deleted.get(),
                c.deletedEarly.get(),
                c.quarantinePruned.get(),
                c.recheckFailed.get(),
                c.keptUnverifiedOld.get(),
                plan == null ? 0 : plan.size(),
                backlog.size(),
                backlogBytes,
                oldest,
                disk,
                c.ledgerCompactions.get(),
                c.ledgerArchivedLines.get(),
                ledger.lines(),
                c.stopReason());
    }
}
