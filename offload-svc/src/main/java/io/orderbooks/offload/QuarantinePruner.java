package io.orderbooks.offload;

import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.manifests.LedgerAction;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.manifests.LedgerReason;
import io.orderbooks.shared.manifests.LedgerResult;
import io.orderbooks.shared.manifests.QuarantineNote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Prunes {@code quarantine/} by age (issue 13: "a full copy per crash"). A quarantined artifact is deleted, with its
 * note and any manifest beside it, only when its note (schema {@code orderbooks.quarantine-note/1}, docs/DATA-FORMAT.md
 * §5) names a {@code replacement}, the note is older than {@code offload.quarantine-keep-days}, and the ledger shows
 * that replacement verified upstream (or deleted by retention, which happens only after verification). Anything else
 * (no replacement, offload's own mismatch quarantine, unreadable notes, stray files) stays for an operator. Each
 * pruned artifact gets a ledger line {@code action=prune kind=quarantine reason=replacement-verified}.
 */
final class QuarantinePruner {
    private static final Logger LOG = Logger.getLogger(QuarantinePruner.class);

    private final DataDir dir;
    private final OffloadSettings settings;
    private final Ledger ledger;
    private final Clock clock;

    QuarantinePruner(DataDir dir, OffloadSettings settings, Ledger ledger, Clock clock) {
        this.dir = dir;
        this.settings = settings;
        this.ledger = ledger;
        this.clock = clock;
    }

    void prune(RunCounters c, DryRunPlan plan) {
        List<DataDirScan.Quarantined> quarantined;
        try {
            quarantined = DataDirScan.quarantine(dir);
        } catch (UncheckedIOException e) {
            LOG.warnf("quarantine: cannot list %s: %s; nothing pruned", dir.quarantine(), e.getMessage());
            return;
        }
        Instant cutoff = clock.instant().minus(Duration.ofDays(settings.quarantineKeepDays()));
        for (DataDirScan.Quarantined q : quarantined) {
            if (c.stopped()) {
                return;
            }
            if (q.note() != null) {
                pruneOne(q.artifact(), q.note(), cutoff, c, plan);
            }
        }
    }

    private void pruneOne(Path artifact, Path note, Instant cutoff, RunCounters c, DryRunPlan plan) {
        QuarantineNote n;
        try {
            n = QuarantineNote.read(note);
        } catch (IOException | RuntimeException e) {
            return; // unreadable, or not a quarantine note: an operator's to look at
        }
        String replacement = n.replacement();
        Instant at = n.quarantinedAt();
        if (replacement == null || at == null) {
            return;
        }
        if (at.isAfter(cutoff) || !ledger.verifiedUpstream(replacement)) {
            return;
        }
        Path manifest = artifact.resolveSibling(artifact.getFileName() + ".manifest.json");
        long bytes = size(artifact) + size(manifest);
        LedgerEntry line = new LedgerEntry(
                clock.instant(),
                LedgerAction.PRUNE,
                LedgerKind.QUARANTINE,
                dir.relative(artifact),
                bytes,
                null,
                null,
                settings.remotePath(replacement),
                plan != null ? LedgerResult.DRY_RUN : LedgerResult.PRUNED,
                null,
                null,
                0,
                null,
                LedgerReason.REPLACEMENT_VERIFIED);
        if (plan != null) {
            plan.add(line);
            LOG.infof(
                    "dry run: would prune %s (quarantined %s; its replacement %s is verified upstream)",
                    dir.relative(artifact), at, replacement);
            return;
        }
        try {
            // The note goes last: a crash in between leaves a note without its artifact, which the next run prunes.
            Files.deleteIfExists(artifact);
            Files.deleteIfExists(manifest);
            Files.deleteIfExists(note);
            AtomicFiles.fsyncDirectory(note.getParent());
            ledger.append(line);
            c.quarantinePruned.incrementAndGet();
            LOG.infof(
                    "quarantine: pruned %s (%s; quarantined %s, older than %d days; its replacement %s is verified upstream)",
                    dir.relative(artifact), RunReport.gib(bytes), at, settings.quarantineKeepDays(), replacement);
        } catch (IOException e) {
            LOG.warnf("quarantine: cannot prune %s: %s", dir.relative(artifact), e.getMessage());
        }
    }

    /** The {@code replacement} a note names (any note that can be read), for ledger compaction. */
    static Optional<String> replacementOf(Path note) {
        try {
            return Optional.ofNullable(QuarantineNote.read(note).replacement());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
