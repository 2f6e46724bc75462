package io.orderbooks.offload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderbooks.shared.manifests.LedgerReason;
import io.orderbooks.shared.manifests.LedgerResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters of offload-svc (dotted names, low-cardinality tags; Prometheus shows {@code offload_files_total}
 * etc.): {@code offload.files{result}} per upload or retention outcome, {@code offload.bytes} verified bytes uploaded,
 * {@code offload.pending} and {@code offload.pending.bytes} files not yet verified remotely,
 * {@code offload.oldest.pending.age} seconds since the oldest of them closed, {@code offload.deleted{reason}} local files
 * removed by retention, {@code offload.disk.free} bytes free on the data dir, {@code offload.ledger.compactions} and
 * {@code offload.ledger.archived} (lines moved to the archive) by ledger compaction, {@code offload.ledger.lines} the
 * ledger's lines.
 */
public final class OffloadMetrics {
    private final MeterRegistry registry;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong oldestPendingAgeSeconds = new AtomicLong();
    private final AtomicLong diskFree = new AtomicLong(-1);
    private final Counter bytes;
    private final Counter compactions;
    private final Counter archivedLines;
    private final AtomicLong ledgerLines = new AtomicLong();

    public OffloadMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("offload.pending", pending);
        registry.gauge("offload.pending.bytes", pendingBytes);
        registry.gauge("offload.oldest.pending.age", oldestPendingAgeSeconds);
        registry.gauge("offload.disk.free", diskFree);
        this.bytes = Counter.builder("offload.bytes")
                .description("bytes uploaded and verified")
                .baseUnit("bytes")
                .register(registry);
        registry.gauge("offload.ledger.lines", ledgerLines);
        this.compactions = Counter.builder("offload.ledger.compactions")
                .description("ledger compactions")
                .register(registry);
        this.archivedLines = Counter.builder("offload.ledger.archived")
                .description("ledger lines moved to offload/ledger-archive by compaction")
                .register(registry);
        deleted(LedgerReason.KEEP_DAYS, 0);
        deleted(LedgerReason.DISK_LOW, 0);
        for (LedgerResult r : UPLOAD_OUTCOMES) {
            files(r, 0);
        }
    }

    /** The outcomes of an upload attempt (a fixed, small set of {@code result} tags). */
    static final List<LedgerResult> UPLOAD_OUTCOMES = List.of(
            LedgerResult.VERIFIED,
            LedgerResult.MISMATCH,
            LedgerResult.MISSING,
            LedgerResult.FAILED,
            LedgerResult.UNVERIFIED,
            LedgerResult.QUARANTINED);

    /** {@code result}: one of {@link #UPLOAD_OUTCOMES}. */
    public void files(LedgerResult result, long n) {
        Counter.builder("offload.files")
                .description("data files by upload outcome")
                .tag("result", result.wire())
                .register(registry)
                .increment(n);
    }

    public void verifiedBytes(long n) {
        bytes.increment(n);
    }

    /** {@code reason}: keep-days or disk-low (docs/OFFLOAD.md "Retention"). */
    public void deleted(LedgerReason reason) {
        deleted(reason, 1);
    }

    private void deleted(LedgerReason reason, long n) {
        Counter.builder("offload.deleted")
                .description("local files deleted by retention")
                .tag("reason", reason.wire())
                .register(registry)
                .increment(n);
    }

    public void backlog(long files, long bytesPending, long oldestAgeSeconds) {
        pending.set(files);
        pendingBytes.set(bytesPending);
        oldestPendingAgeSeconds.set(oldestAgeSeconds);
    }

    public void ledgerCompacted(long archived) {
        compactions.increment();
        archivedLines.increment(archived);
    }

    public void ledgerLines(long n) {
        ledgerLines.set(n);
    }

    public void diskFree(long b) {
        diskFree.set(b);
    }
}
