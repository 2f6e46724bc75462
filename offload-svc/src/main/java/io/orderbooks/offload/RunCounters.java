package io.orderbooks.offload;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The counts of one run, updated by its transfer threads, and the run's early-stop switch. */
final class RunCounters {
    final AtomicLong uploaded = new AtomicLong();
    final AtomicLong verified = new AtomicLong();
    final AtomicLong unverified = new AtomicLong();
    final AtomicLong mismatch = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong quarantined = new AtomicLong();
    final AtomicLong deleted = new AtomicLong();
    /** Of {@code deleted}: removed before their keep-days because the disk was low. */
    final AtomicLong deletedEarly = new AtomicLong();

    final AtomicLong quarantinePruned = new AtomicLong();
    final AtomicLong recheckFailed = new AtomicLong();
    final AtomicLong keptUnverifiedOld = new AtomicLong();
    /** Ledger compactions this run (0 or 1) and the lines they moved to the archive. */
    final AtomicLong ledgerCompactions = new AtomicLong();

    final AtomicLong ledgerArchivedLines = new AtomicLong();
    final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    void stop(String reason) {
        stopReason.compareAndSet(null, reason);
        stop.set(true);
    }

    boolean stopped() {
        return stop.get();
    }

    String stopReason() {
        return stopReason.get();
    }
}
