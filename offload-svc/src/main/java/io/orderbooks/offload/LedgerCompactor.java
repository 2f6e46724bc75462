package io.orderbooks.offload;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Ledger compaction (docs/OFFLOAD.md "Ledger compaction"): the ledger is append-only, one or more lines per object and
 * attempt, so once a day it is rewritten without the lines that no longer decide anything, and those lines go to a gzip
 * archive {@code offload/ledger-archive/ledger-<YYYYMMDDTHHMMSSZ>.jsonl.gz} (kept locally, read by the report).
 *
 * <p>Every reader of the ledger asks only for the <em>latest</em> line of an object ({@code kind} + {@code file}):
 * {@link Ledger#isVerified} (its data and manifest lines must be {@code verified} uploads of the current hashes),
 * {@link Ledger#verifiedUpstream} (verified, or a retention {@code delete}), and the daily upload manifests of yesterday
 * and today ({@link Ledger#entriesOf}). A line older than {@code offload.ledger-keep-days} is therefore archived when:
 * <ul>
 *   <li>a later line of the same object exists (superseded), or</li>
 *   <li>it is the latest line but says neither {@code verified} nor {@code deleted} (failed, mismatch, unverified,
 *       recheck, quarantine, prune): every reader treats it exactly like no line at all, or</li>
 *   <li>it is a retention {@code delete} of a file that is gone (no data file, no manifest left locally) and that no
 *       quarantine note names as its replacement; the file's verified manifest line goes with it (it decides only
 *       together with a verified data line).</li>
 * </ul>
 * An object whose latest line is archived is archived whole, so every object is either in the ledger with its true
 * latest line or only in the archive. Lines younger than the limit stay as written, so the last days stay auditable in
 * the ledger itself, and the daily manifests are rebuilt exactly. Hence offload decides exactly as before.
 *
 * <p>Crash safety ({@link Ledger#compact}): the archive is written first (temp, fsync, rename), then the new ledger
 * (temp, fsync, rename over the old one, fsync the directory). A kill at any point leaves the old ledger or the new one,
 * never a broken one; a kill between the two renames leaves lines in both the archive and the old ledger (the next
 * compaction archives them again: duplicates in the archive, never a loss).
 */
final class LedgerCompactor {
    private static final Logger LOG = Logger.getLogger(LedgerCompactor.class);
    /** The daily upload manifests are rebuilt from the lines of yesterday and today: those always stay. */
    static final int MIN_KEEP_DAYS = 2;

    private final DataDir dir;
    private final Ledger ledger;
    private final OffloadSettings settings;
    private final Clock clock;
    private LocalDate lastCompacted;

    LedgerCompactor(DataDir dir, Ledger ledger, OffloadSettings settings, Clock clock) {
        this.dir = dir;
        this.ledger = ledger;
        this.settings = settings;
        this.clock = clock;
    }

    /** What one compaction did; {@code archive} is null when nothing was old enough to archive. */
    record Result(long linesBefore, long linesKept, long linesArchived, Path archive) {
        static final Result NONE = new Result(0, 0, 0, null);

        boolean compacted() {
            return archive != null;
        }
    }

    /** Compacts once per UTC day (the first run of the day, and the first run after a start). */
    Result maybeCompact() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (today.equals(lastCompacted)) {
            return Result.NONE;
        }
        lastCompacted = today;
        try {
            return compact(clock.instant().minus(Duration.ofDays(settings.ledgerKeepDays())), Ledger.Steps.NONE);
        } catch (IOException | UncheckedIOException e) {
            // The old ledger is intact (the new one replaces it only by a rename); try again tomorrow.
            LOG.warnf("ledger compaction failed, the ledger is unchanged: %s", e.getMessage());
            return Result.NONE;
        }
    }

    /** Archives the lines older than {@code cutoff} that no longer decide anything. */
    Result compact(Instant cutoff, Ledger.Steps steps) throws IOException {
        cleanArchiveTemps();
        Set<String> named = replacementsNamedInQuarantine();
        Predicate<String> pinned = file -> named.contains(file)
                || Files.exists(dir.root().resolve(file))
                || Files.exists(dir.root().resolve(file + ".manifest.json"));
        Result r = ledger.compact(cutoff, pinned, dir.ledgerArchive(), clock.instant(), steps);
        if (r.compacted()) {
            LOG.infof(
                    "ledger compacted: %d lines -> %d (%d older than %s archived in %s)",
                    r.linesBefore(), r.linesKept(), r.linesArchived(), cutoff, dir.relative(r.archive()));
        }
        return r;
    }

    /**
     * The plan: which lines stay in the ledger, in their order. {@code entries} holds each line's parsed entry, null
     * for an unreadable line (archived: it decides nothing, and the archive keeps it for a human).
     */
    static boolean[] keep(List<LedgerEntry> entries, Instant cutoff, Predicate<String> pinned) {
        Map<String, Integer> latest = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            LedgerEntry e = entries.get(i);
            if (e != null) {
                latest.put(key(e.kind(), e.file()), i);
            }
        }
        Set<String> droppedObjects = new HashSet<>();
        // Deleted data files first: their manifest lines follow them.
        Set<String> goneDataFiles = new HashSet<>();
        for (Map.Entry<String, Integer> l : latest.entrySet()) {
            LedgerEntry e = entries.get(l.getValue());
            if (LedgerKind.DATA == e.kind() && deleted(e) && e.time().isBefore(cutoff) && !pinned.test(e.file())) {
                goneDataFiles.add(e.file());
            }
        }
        for (Map.Entry<String, Integer> l : latest.entrySet()) {
            LedgerEntry e = entries.get(l.getValue());
            if (!e.time().isBefore(cutoff)) {
                continue;
            }
            boolean drop;
            if (LedgerKind.DATA == e.kind() && deleted(e)) {
                drop = goneDataFiles.contains(e.file());
            } else if (e.verified()) {
                drop = LedgerKind.MANIFEST == e.kind()
                        && e.file().endsWith(".manifest.json")
                        && goneDataFiles.contains(e.file().substring(0, e.file().length() - ".manifest.json".length()));
            } else {
                drop = true; // not verified, not a deletion: the same as no line for every reader
            }
            if (drop) {
                droppedObjects.add(l.getKey());
            }
        }
        boolean[] keep = new boolean[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            LedgerEntry e = entries.get(i);
            if (e == null) {
                continue;
            }
            String k = key(e.kind(), e.file());
            keep[i] = !droppedObjects.contains(k)
                    && (latest.get(k) == i || !e.time().isBefore(cutoff));
        }
        return keep;
    }

    private static boolean deleted(LedgerEntry e) {
        return e.deletedByRetention();
    }

    private static String key(LedgerKind kind, String file) {
        return kind + "|" + file;
    }

    /** Files named as {@code replacement} by a quarantine note on disk: their deletion lines stay (quarantine pruning). */
    private Set<String> replacementsNamedInQuarantine() {
        Set<String> out = new HashSet<>();
        List<DataDirScan.Quarantined> quarantined;
        try {
            quarantined = DataDirScan.quarantine(dir);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException(
                    "cannot list " + dir.quarantine() + " (needed to compact the ledger safely)", e.getCause());
        }
        for (DataDirScan.Quarantined q : quarantined) {
            if (q.note() != null) {
                QuarantinePruner.replacementOf(q.note()).ifPresent(out::add);
            }
        }
        return out;
    }

    private void cleanArchiveTemps() {
        Path archive = dir.ledgerArchive();
        if (!Files.isDirectory(archive)) {
            return;
        }
        try (Stream<Path> s = Files.list(archive)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp")) {
                    Files.deleteIfExists(p); // left by a kill during an earlier compaction
                }
            }
        } catch (IOException e) {
            LOG.debugf("cannot clean %s: %s", archive, e.getMessage());
        }
    }
}
