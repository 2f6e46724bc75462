package io.orderbooks.offload;

import io.orderbooks.shared.files.Recovery;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.manifests.WriterInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Drain mode (docs/OFFLOAD.md "Draining a volume"): empties a data dir whose writers are gone for good into the
 * remote, then says whether anything is left. First the files the writers left are recovered exactly as their own
 * start would ({@link Recovery#everyInstance}: a writer still holding a stream refuses the drain), then ordinary
 * offload runs follow back to back, the same code and the same guarantees as the scheduled ones (a file is
 * {@code verified} only after the remote's size and MD5 match), until a run leaves nothing that belongs upstream.
 * A volume with files of other instances only is refused: it is most likely not the replica's. A run that verified
 * nothing waits {@code retry}; after {@code timeout}, or when only things no run can fix are
 * left (a file recovery could not salvage, a mark file that cannot be read), the drain ends and lists them.
 */
final class Drain {
    private static final Logger LOG = Logger.getLogger(Drain.class);
    /** How long recovery waits for a stream's lock before it decides that a writer still runs. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(5);

    private final DataDir dir;
    private final Offloader offloader;
    private final Supplier<Optional<RunReport>> runs;
    private final WriterInfo recoverAs;
    private final Duration timeout;
    private final Duration retry;
    private final Clock clock;
    private final Object pause = new Object();
    private volatile boolean stopping;

    Drain(
            DataDir dir,
            Offloader offloader,
            Supplier<Optional<RunReport>> runs,
            WriterInfo recoverAs,
            Duration timeout,
            Duration retry,
            Clock clock) {
        this.dir = dir;
        this.offloader = offloader;
        this.runs = runs;
        this.recoverAs = recoverAs;
        this.timeout = timeout;
        this.retry = retry;
        this.clock = clock;
    }

    /** Ends the drain after the current run (shutdown); its verdict says what is left. */
    void stop() {
        stopping = true;
        synchronized (pause) {
            pause.notifyAll();
        }
    }

    DrainVerdict run() {
        Instant started = clock.instant();
        String remote = offloader.settings().remote();
        java.util.Set<String> instances = new java.util.TreeSet<>();
        DataDirScan.raw(dir).forEach(e -> instances.add(e.id().instance().value()));
        if (!instances.isEmpty() && !instances.contains(recoverAs.instance().value())) {
            // Most likely the wrong volume for this replica (or the replica's name mistyped): its uploads would go into
            // another replica's remote folder, where the daily upload manifests collide (docs/SCALING.md).
            return DrainVerdict.wrongVolume(
                    "this data dir holds files of instance(s) " + instances + " and none of offload.instance "
                            + recoverAs.instance() + ": set the instance (the Job's REPLICA) to the replica the volume "
                            + "belonged to",
                    started,
                    clock.instant(),
                    remote);
        }
        List<String> recovered;
        try {
            recovered = Recovery.everyInstance(dir, recoverAs, clock, LOCK_WAIT).actions().stream()
                    .map(a -> a.action() + " " + a.file())
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return DrainVerdict.refused(
                    "a writer still runs on this data dir, or its files cannot be recovered (" + e.getMessage()
                            + "); stop the replica's collector and discovery, then drain again",
                    started,
                    clock.instant(),
                    remote);
        }
        if (!recovered.isEmpty()) {
            LOG.infof("drain: recovered %d file(s) the writers left: %s", recovered.size(), recovered);
        }
        Instant deadline = started.plus(timeout);
        int count = 0;
        long verified = 0;
        while (true) {
            Optional<RunReport> report = runs.get();
            count++;
            verified += report.map(RunReport::verified).orElse(0L);
            DrainLeftovers left = DrainLeftovers.scan(dir, offloader);
            boolean clean = report.map(r -> r.rcloneReachable() && r.stopReason() == null)
                    .orElse(false);
            String end = null;
            if (clean && left.nothingLeft()) {
                return verdict(DrainVerdict.Outcome.DRAINED, null, started, remote, count, verified, recovered, left);
            } else if (clean && left.onlyAnOperatorCanFix()) {
                end = "what is left cannot be uploaded by another run: it needs an operator";
            } else if (stopping) {
                end = "stopped before everything was verified upstream";
            } else if (!clock.instant().isBefore(deadline)) {
                end = "offload.drain-timeout (" + timeout + ") passed";
            }
            if (end != null) {
                return verdict(
                        DrainVerdict.Outcome.NOT_DRAINED, end, started, remote, count, verified, recovered, left);
            }
            if (report.map(r -> r.verified() == 0).orElse(true)) {
                Duration wait = min(retry, Duration.between(clock.instant(), deadline));
                LOG.infof(
                        "drain: %d thing(s) left and this run verified nothing%s; next run in %s",
                        left.count(),
                        report.map(r -> r.stopReason() == null ? "" : " (" + r.stopReason() + ")")
                                .orElse(" (the run did not happen)"),
                        wait);
                sleep(wait);
            }
        }
    }

    private DrainVerdict verdict(
            DrainVerdict.Outcome outcome,
            String detail,
            Instant started,
            String remote,
            int count,
            long verified,
            List<String> recovered,
            DrainLeftovers left) {
        return new DrainVerdict(outcome, detail, started, clock.instant(), remote, count, verified, recovered, left);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b.isNegative() ? Duration.ZERO : b;
    }

    private void sleep(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        synchronized (pause) {
            long left;
            while (!stopping && (left = until - System.nanoTime()) > 0) {
                try {
                    pause.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                }
            }
        }
    }
}
