package io.orderbooks.shared.files;

import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.QuarantineNote;
import io.orderbooks.shared.manifests.WriterInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Start-up recovery of one writer instance's files (docs/DATA-FORMAT.md §5: a crash loses at most the last flush
 * interval):
 * <ul>
 *   <li>every {@code .open} file: its complete lines are rewritten into the closed file of the same name, with a
 *       manifest saying {@code "recovered": true} and what was dropped; the damaged original moves to
 *       {@code quarantine/} with a note beside it;</li>
 *   <li>every closed file without a manifest (a crash between rename and manifest): the manifest is rebuilt from
 *       the file; if the file itself is damaged it is salvaged as above, the original kept in quarantine.</li>
 * </ul>
 * Nothing is deleted but our own half-written temp files. Each step is ordered so that a crash during recovery
 * leaves a state the next run finishes, and running it twice changes nothing.
 */
public final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class);

    private Recovery() {}

    /** One thing recovery did to one file. */
    public record Action(
            String file, String action, long records, long droppedLines, long droppedBytes, String detail) {}

    /** Everything one recovery run did; empty when there was nothing to recover. */
    public record Report(List<Action> actions) {
        public Report {
            actions = List.copyOf(actions);
        }

        public boolean isEmpty() {
            return actions.isEmpty();
        }

        public long droppedLines() {
            return actions.stream().mapToLong(Action::droppedLines).sum();
        }

        static Report merge(Collection<Report> reports) {
            List<Action> all = new ArrayList<>();
            reports.forEach(r -> all.addAll(r.actions()));
            return new Report(all);
        }
    }

    /**
     * Recovers the given streams of one instance, waiting (up to a minute per stream) for a concurrent recovery
     * to finish; fails if a live writer owns a stream.
     */
    public static Report run(
            DataDir dir, InstanceId instance, Collection<StreamName> streams, WriterInfo info, Clock clock)
            throws IOException {
        List<Report> reports = new ArrayList<>();
        for (StreamName stream : streams) {
            try (StreamLock ignored = StreamLock.acquire(dir, stream, instance, Duration.ofMinutes(1))) {
                reports.add(recoverStreamLocked(dir, stream, instance, info, clock));
            }
        }
        return Report.merge(reports);
    }

    /**
     * Recovers every stream of every instance found under {@code raw/}: the files a writer left and will never come
     * back for (a drained volume, docs/OFFLOAD.md "Draining a volume"). A stream counts when it has a file of the
     * instance or the instance's lock file; each lock is taken before anything is touched, waiting at most
     * {@code lockWait}, so a writer still running on the data dir fails this with an {@link IOException} naming the
     * stream and instance (and nothing of that stream is changed).
     */
    public static Report everyInstance(DataDir dir, WriterInfo info, Clock clock, Duration lockWait)
            throws IOException {
        java.util.SortedSet<String> pairs = new java.util.TreeSet<>();
        try {
            for (DataDirScan.RawEntry e : DataDirScan.raw(dir)) {
                pairs.add(e.id().stream().value() + '\0' + e.id().instance().value());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (Files.isDirectory(dir.raw())) {
            try (var streams = Files.list(dir.raw())) {
                for (Path streamDir : streams.filter(Files::isDirectory).toList()) {
                    try (var locks = Files.list(streamDir)) {
                        locks.map(l -> l.getFileName().toString())
                                .filter(n -> n.startsWith(StreamLock.PREFIX))
                                .forEach(n -> pairs.add(
                                        streamDir.getFileName() + "\0" + n.substring(StreamLock.PREFIX.length())));
                    }
                }
            }
        }
        List<Report> reports = new ArrayList<>();
        for (String pair : pairs) {
            int nul = pair.indexOf('\0');
            StreamName stream;
            InstanceId instance;
            try {
                stream = StreamName.of(pair.substring(0, nul));
                instance = InstanceId.of(pair.substring(nul + 1));
            } catch (IllegalArgumentException notOurs) {
                continue; // a folder or lock name no writer of ours makes (lost+found, an operator's file)
            }
            try (StreamLock ignored = StreamLock.acquire(dir, stream, instance, lockWait)) {
                reports.add(recoverStreamLocked(dir, stream, instance, info, clock));
            }
        }
        return Report.merge(reports);
    }

    /** The caller holds the stream lock. */
    static Report recoverStreamLocked(DataDir dir, StreamName stream, InstanceId instance, WriterInfo info, Clock clock)
            throws IOException {
        Path streamDir = dir.streamDir(stream);
        if (!Files.isDirectory(streamDir)) {
            return new Report(List.of());
        }
        List<Path> opens = new ArrayList<>();
        List<Path> closedWithoutManifest = new ArrayList<>();
        List<Path> temps = new ArrayList<>();
        List<DataDirScan.RawEntry> entries;
        try {
            entries = DataDirScan.raw(dir, stream);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (DataDirScan.RawEntry e : entries) {
            if (!e.id().instance().equals(instance)) {
                continue; // another instance's files: its own start recovers them
            }
            temps.addAll(e.temps());
            if (e.open() != null) {
                opens.add(e.open());
            }
            if (e.closed() != null && e.manifest() == null) {
                closedWithoutManifest.add(e.closed());
            }
        }
        List<Action> actions = new ArrayList<>();
        for (Path temp : temps) {
            Files.deleteIfExists(temp);
            actions.add(new Action(
                    dir.relative(temp), "deleted-temp", 0, 0, 0, "half-written temp file of an interrupted write"));
        }
        for (Path open : opens.stream().sorted().toList()) {
            actions.add(recoverOpenFile(dir, open, info, clock));
        }
        for (Path closed : closedWithoutManifest.stream().sorted().toList()) {
            if (!Files.exists(dir.manifestPath(RawFile.parse(closed)))) {
                actions.add(repairManifest(dir, closed, info, clock));
            }
        }
        actions.forEach(a -> LOG.warnf(
                "recovery: %s %s (records=%d, dropped lines=%d bytes=%d) %s",
                a.action(),
                a.file(),
                a.records(),
                a.droppedLines(),
                a.droppedBytes(),
                a.detail() == null ? "" : a.detail()));
        return new Report(actions);
    }

    /** Salvages one {@code .open} file into its closed name; used at start-up and for files a writer abandoned. */
    static Action recoverOpenFile(DataDir dir, Path openPath, WriterInfo info, Clock clock) throws IOException {
        RawFile id = RawFile.parse(openPath);
        Path closed = dir.closedPath(id);
        Path manifestPath = dir.manifestPath(id);
        String rel = dir.relative(closed);
        if (Files.exists(closed) && Files.exists(manifestPath)) {
            // A previous recovery finished everything but the move to quarantine.
            Path q = quarantine(dir, openPath, "already salvaged into " + rel, rel, clock);
            return new Action(
                    rel, "quarantined-original", 0, 0, 0, "salvage existed; original moved to " + dir.relative(q));
        }
        Path temp = AtomicFiles.tempSibling(closed);
        // The run that wrote the lines, from the file's own gzip header (null for a file written before it was kept
        // there); `info` is the run recovering it.
        String linesRun = GzipRunHeader.runIdOf(openPath);
        GzipSalvage.Result result;
        try {
            result = GzipSalvage.salvage(openPath, temp, WriterConfig.DEFAULT_LEVEL, linesRun);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        String why = "unclosed .open file left by a crash or an I/O error"
                + (result.problem() == null ? "" : " (" + result.problem() + ")");
        if (result.stats().records() == 0) {
            Files.deleteIfExists(temp);
            Path q = quarantine(dir, openPath, why + "; no complete line to keep", null, clock);
            return new Action(
                    dir.relative(openPath),
                    "quarantined-empty",
                    0,
                    result.droppedLines(),
                    result.droppedBytes(),
                    "nothing salvageable; original moved to " + dir.relative(q));
        }
        Path quarantined = QuarantineNote.freeTarget(dir, openPath);
        AtomicFiles.move(temp, closed);
        AtomicFiles.fsyncDirectory(closed.getParent());
        FileManifest manifest = result.stats()
                .manifest(
                        dir,
                        id,
                        result.digests(),
                        info,
                        "recovered",
                        clock.instant(),
                        new FileManifest.RecoveryInfo(
                                result.droppedLines(),
                                result.droppedBytes(),
                                dir.relative(quarantined),
                                why,
                                linesRun));
        AtomicFiles.replace(manifestPath, manifest.toJson());
        moveToQuarantine(dir, openPath, quarantined, why, rel, clock);
        return new Action(
                rel, "salvaged", manifest.records(), result.droppedLines(), result.droppedBytes(), result.problem());
    }

    /** A closed file without a manifest: rebuild the manifest, salvaging the file first if it is damaged. */
    private static Action repairManifest(DataDir dir, Path closed, WriterInfo info, Clock clock) throws IOException {
        RawFile id = RawFile.parse(closed);
        String rel = dir.relative(closed);
        String linesRun = GzipRunHeader.runIdOf(closed);
        GzipSalvage.Result check = GzipSalvage.salvage(closed, null, WriterConfig.DEFAULT_LEVEL, null);
        if (check.clean()) {
            FileManifest manifest = check.stats()
                    .manifest(
                            dir,
                            id,
                            Checksums.of(closed),
                            info,
                            "manifest-repaired",
                            clock.instant(),
                            new FileManifest.RecoveryInfo(
                                    0,
                                    0,
                                    null,
                                    "manifest missing (crash between rename and manifest); rebuilt from the intact file",
                                    linesRun));
            AtomicFiles.replace(dir.manifestPath(id), manifest.toJson());
            return new Action(rel, "manifest-repaired", manifest.records(), 0, 0, null);
        }
        // Damaged closed file: keep the original in quarantine first, then replace it with its salvage.
        Path quarantined = QuarantineNote.freeTarget(dir, closed);
        DataDir.ensureDir(quarantined.getParent());
        Files.copy(closed, quarantined, StandardCopyOption.COPY_ATTRIBUTES);
        AtomicFiles.fsync(quarantined);
        String why = "closed file without manifest was damaged (" + check.problem() + ")";
        writeNote(quarantined, rel, why, rel, clock);
        Path temp = AtomicFiles.tempSibling(closed);
        GzipSalvage.Result result = GzipSalvage.salvage(closed, temp, WriterConfig.DEFAULT_LEVEL, linesRun);
        AtomicFiles.move(temp, closed);
        AtomicFiles.fsyncDirectory(closed.getParent());
        FileManifest manifest = result.stats()
                .manifest(
                        dir,
                        id,
                        result.digests(),
                        info,
                        "recovered",
                        clock.instant(),
                        new FileManifest.RecoveryInfo(
                                result.droppedLines(),
                                result.droppedBytes(),
                                dir.relative(quarantined),
                                why,
                                linesRun));
        AtomicFiles.replace(dir.manifestPath(id), manifest.toJson());
        return new Action(
                rel, "salvaged", manifest.records(), result.droppedLines(), result.droppedBytes(), check.problem());
    }

    private static Path quarantine(DataDir dir, Path original, String reason, String replacement, Clock clock)
            throws IOException {
        Path target = QuarantineNote.freeTarget(dir, original);
        moveToQuarantine(dir, original, target, reason, replacement, clock);
        return target;
    }

    private static void moveToQuarantine(
            DataDir dir, Path original, Path target, String reason, String replacement, Clock clock)
            throws IOException {
        DataDir.ensureDir(target.getParent());
        String originalRel = dir.relative(original);
        writeNote(target, originalRel, reason, replacement, clock);
        AtomicFiles.move(original, target);
        AtomicFiles.fsyncDirectory(target.getParent());
        AtomicFiles.fsyncDirectory(original.getParent());
    }

    /** The short note OPERATIONS asks for beside every quarantined artifact: what it was, why, what replaces it. */
    private static void writeNote(Path quarantined, String original, String reason, String replacement, Clock clock)
            throws IOException {
        new QuarantineNote(original, clock.instant(), reason, replacement).writeBeside(quarantined);
    }
}
