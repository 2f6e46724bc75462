package io.orderbooks.offload;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerResult;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Stream;
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
    static final String NOTE_SUFFIX = ".note.json";
    static final String NOTE_SCHEMA = "orderbooks.quarantine-note/1";

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
        Path root = dir.quarantine();
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> notes;
        try (Stream<Path> walk = Files.walk(root)) {
            notes = walk.filter(p -> p.getFileName().toString().endsWith(NOTE_SUFFIX)).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("quarantine: cannot list %s: %s; nothing pruned", root, e.getMessage());
            return;
        }
        Instant cutoff = clock.instant().minus(Duration.ofDays(settings.quarantineKeepDays()));
        for (Path note : notes) {
            if (c.stopped()) {
                return;
            }
            pruneOne(note, cutoff, c, plan);
        }
    }

    private void pruneOne(Path note, Instant cutoff, RunCounters c, DryRunPlan plan) {
        String name = note.getFileName().toString();
        Path artifact = note.resolveSibling(name.substring(0, name.length() - NOTE_SUFFIX.length()));
        JsonNode n;
        try {
            n = Json.parse(Files.readAllBytes(note));
        } catch (IOException | RuntimeException e) {
            return; // unreadable: an operator's to look at
        }
        String replacement = text(n, "replacement");
        if (!NOTE_SCHEMA.equals(text(n, "schema")) || replacement == null || replacement.isBlank()) {
            return;
        }
        Instant at;
        try {
            at = Instant.parse(text(n, "quarantined_at"));
        } catch (DateTimeParseException | NullPointerException e) {
            return;
        }
        if (at.isAfter(cutoff) || !ledger.verifiedUpstream(replacement)) {
            return;
        }
        Path manifest = artifact.resolveSibling(artifact.getFileName() + ".manifest.json");
        long bytes = size(artifact) + size(manifest);
        LedgerEntry line = new LedgerEntry(clock.instant(), LedgerEntry.PRUNE, LedgerEntry.QUARANTINE,
                dir.relative(artifact), bytes, null, null, settings.remotePath(replacement),
                plan != null ? LedgerResult.DRY_RUN : LedgerResult.PRUNED, null, null, 0, null, LedgerEntry.REPLACEMENT_VERIFIED);
        if (plan != null) {
            plan.add(line);
            LOG.infof("dry run: would prune %s (quarantined %s; its replacement %s is verified upstream)",
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
            LOG.infof("quarantine: pruned %s (%s; quarantined %s, older than %d days; its replacement %s is verified upstream)",
                    dir.relative(artifact), RunReport.gib(bytes), at, settings.quarantineKeepDays(), replacement);
        } catch (IOException e) {
            LOG.warnf("quarantine: cannot prune %s: %s", dir.relative(artifact), e.getMessage());
        }
    }

    /** The {@code replacement} a note names (any note that can be read), for ledger compaction. */
    static java.util.Optional<String> replacementOf(Path note) {
        try {
            String r = text(Json.parse(Files.readAllBytes(note)), "replacement");
            return r == null || r.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(r);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
