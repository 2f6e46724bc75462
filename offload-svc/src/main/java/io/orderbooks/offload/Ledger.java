package io.orderbooks.offload;

import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * {@code offload/ledger.jsonl}: append-only, one JSON line per attempt, fsynced after every line. It is the only
 * memory of what is verified remotely: the latest line of a file and kind decides its state, so a later
 * {@code recheck} or {@code mismatch} line withdraws an earlier {@code verified}.
 *
 * <p>A crash in the middle of an append leaves a torn last line (no newline). Opening the ledger keeps every
 * complete line, copies the torn bytes to {@code ledger.jsonl.torn-<millis>} for inspection and cuts them off, so the
 * next append starts on a fresh line. Nothing before the tear is lost.
 */
public final class Ledger {
    private static final Logger LOG = Logger.getLogger(Ledger.class);

    private final Path path;
    private final Map<String, LedgerEntry> latest = new HashMap<>();
    private final Map<LocalDate, List<LedgerEntry>> byDay = new TreeMap<>();
    private LocalDate keepDaysFrom;
    private long lines;

    private Ledger(Path path, LocalDate keepDaysFrom) {
        this.path = path;
        this.keepDaysFrom = keepDaysFrom;
    }

    /** Loads (and if needed repairs) the ledger; keeps the lines of {@code recentFrom} and later for daily manifests. */
    public static Ledger open(DataDir dir, Instant now) throws IOException {
        LocalDate recentFrom = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1);
        Ledger ledger = new Ledger(dir.ledger(), recentFrom);
        ledger.load();
        return ledger;
    }

    public Path path() {
        return path;
    }

    private void load() throws IOException {
        removeCompactionTemps();
        if (!Files.exists(path)) {
            return;
        }
        byte[] all = Files.readAllBytes(path);
        int end = lastNewline(all) + 1;
        if (end < all.length) {
            repairTornTail(all, end);
        }
        int skipped = 0;
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (all[i] != '\n') {
                continue;
            }
            if (i > start) {
                try {
                    remember(LedgerEntry.parse(Json.parse(java.util.Arrays.copyOfRange(all, start, i))));
                    lines++;
                } catch (IOException | RuntimeException e) {
                    skipped++;
                }
            }
            start = i + 1;
        }
        if (skipped > 0) {
            LOG.warnf("ledger %s: %d unreadable line(s) ignored (kept in the file)", path, skipped);
        }
        LOG.infof("ledger %s: %d lines, %d objects known", path, lines, latest.size());
    }

    /** A kill during a compaction can leave its temp file ({@code .ledger.jsonl.<random>.tmp}); it is never the ledger. */
    private void removeCompactionTemps() throws IOException {
        Path parent = path.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String prefix = "." + path.getFileName() + ".";
        try (java.util.stream.Stream<Path> s = Files.list(parent)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                    LOG.warnf(
                            "ledger %s: removed %s, left by a compaction that was interrupted (the ledger itself is whole)",
                            path, n);
                }
            }
        }
    }

    private static int lastNewline(byte[] all) {
        for (int i = all.length - 1; i >= 0; i--) {
            if (all[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void repairTornTail(byte[] all, int end) throws IOException {
        byte[] torn = java.util.Arrays.copyOfRange(all, end, all.length);
        Path keep = path.resolveSibling(path.getFileName() + ".torn-" + System.currentTimeMillis());
        AtomicFiles.replace(keep, torn);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.truncate(end);
            ch.force(true);
        }
        LOG.warnf(
                "ledger %s: cut a torn last line of %d bytes (a crash during an append); kept it in %s",
                path, torn.length, keep.getFileName());
    }

    private void remember(LedgerEntry e) {
        latest.put(key(e.file(), e.kind()), e);
        LocalDate day = LocalDate.ofInstant(e.time(), ZoneOffset.UTC);
        if (!day.isBefore(keepDaysFrom)) {
            byDay.computeIfAbsent(day, d -> new ArrayList<>()).add(e);
        }
    }

    private static String key(String file, LedgerKind kind) {
        return kind + "|" + file;
    }

    /** Appends one line and fsyncs it before returning: a line that is not on disk never counts. */
    public synchronized void append(LedgerEntry e) throws IOException {
        DataDir.ensureDir(path.getParent());
        ByteBuffer buf = ByteBuffer.wrap(e.toJsonLine());
        try (FileChannel ch = FileChannel.open(
                path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
        }
        remember(e);
        lines++;
    }

    /** The latest line for a file's data or manifest object. */
    public synchronized LedgerEntry latest(String file, LedgerKind kind) {
        return latest.get(key(file, kind));
    }

    /**
     * Verified means: the latest data line is a {@code verified} upload of exactly these bytes (sha256 and md5 of the
     * manifest) and the latest manifest line is a {@code verified} upload of exactly these manifest bytes.
     */
    public synchronized boolean isVerified(LocalFile f, String manifestMd5) {
        LedgerEntry data = latest.get(key(f.relative(), LedgerKind.DATA));
        LedgerEntry manifest = latest.get(key(f.manifestRelative(), LedgerKind.MANIFEST));
        return data != null
                && data.verified()
                && f.manifest().sha256().equals(data.sha256())
                && f.manifest().md5().equals(data.md5())
                && manifest != null
                && manifest.verified()
                && manifestMd5.equals(manifest.md5());
    }

    /**
     * Whether a data file's latest line says it is upstream: a {@code verified} upload, or a retention
     * {@code deleted} (which follows only a verification and a fresh remote recheck). Quarantine pruning asks this of a
     * recovered file before it deletes the original it replaced.
     */
    public synchronized boolean verifiedUpstream(String relative) {
        LedgerEntry data = latest.get(key(relative, LedgerKind.DATA));
        return data != null && (data.verified() || data.deletedByRetention());
    }

    /** Forgets the in-memory lines of days before {@code day} (they stay in the file). */
    public synchronized void forgetDaysBefore(LocalDate day) {
        keepDaysFrom = day;
        byDay.keySet().removeIf(d -> d.isBefore(day));
    }

    public synchronized List<LedgerEntry> entriesOf(LocalDate day) {
        return List.copyOf(byDay.getOrDefault(day, List.of()));
    }

    public synchronized long lines() {
        return lines;
    }

    /** The points between the steps of a compaction: tests copy the files there, as a kill would leave them. */
    interface Steps {
        Steps NONE = step -> {};

        void reached(String step) throws IOException;
    }

    /**
     * Rewrites the ledger without the lines {@link LedgerCompactor#keep} does not keep, after writing those lines to
     * a new gzip archive in {@code archiveDir}. Holds the ledger's lock throughout, so no append interleaves. Steps:
     * archive (temp, fsync, rename, directory fsync), then the new ledger (temp, fsync, rename over the ledger,
     * directory fsync), then the in-memory state is rebuilt from the kept lines.
     */
    synchronized LedgerCompactor.Result compact(
            Instant cutoff, java.util.function.Predicate<String> pinned, Path archiveDir, Instant now, Steps steps)
            throws IOException {
        if (!Files.exists(path)) {
            return LedgerCompactor.Result.NONE;
        }
        byte[] all = Files.readAllBytes(path);
        if (all.length > 0 && all[all.length - 1] != '\n') {
            LOG.warnf("ledger %s does not end with a whole line; not compacted this time", path);
            return LedgerCompactor.Result.NONE;
        }
        List<byte[]> raw = new ArrayList<>();
        List<LedgerEntry> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != '\n') {
                continue;
            }
            if (i > start) {
                byte[] line = java.util.Arrays.copyOfRange(all, start, i + 1);
                raw.add(line);
                entries.add(parseOrNull(line));
            }
            start = i + 1;
        }
        boolean[] keep = LedgerCompactor.keep(entries, cutoff, pinned);
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream(all.length);
        java.io.ByteArrayOutputStream archived = new java.io.ByteArrayOutputStream();
        long keptLines = 0;
        long archivedLines = 0;
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(archived)) {
            for (int i = 0; i < raw.size(); i++) {
                if (keep[i]) {
                    kept.write(raw.get(i));
                    keptLines++;
                } else {
                    gz.write(raw.get(i));
                    archivedLines++;
                }
            }
        }
        if (archivedLines == 0) {
            return new LedgerCompactor.Result(raw.size(), keptLines, 0, null);
        }
        steps.reached("start");
        Path archive = freeArchiveName(archiveDir, now);
        AtomicFiles.replace(archive, archived.toByteArray());
        steps.reached("archived");
        byte[] next = kept.toByteArray();
        Path temp = AtomicFiles.tempSibling(path);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                int half = next.length / 2;
                writeFully(ch, ByteBuffer.wrap(next, 0, half));
                steps.reached("temp-half-written");
                writeFully(ch, ByteBuffer.wrap(next, half, next.length - half));
                ch.force(true);
            }
            steps.reached("temp-synced");
            AtomicFiles.move(temp, path);
        } finally {
            Files.deleteIfExists(temp);
        }
        steps.reached("renamed");
        AtomicFiles.fsyncDirectory(path.getParent());
        latest.clear();
        byDay.clear();
        lines = 0;
        for (int i = 0; i < raw.size(); i++) {
            if (keep[i]) {
                remember(entries.get(i));
                lines++;
            }
        }
        steps.reached("done");
        return new LedgerCompactor.Result(raw.size(), keptLines, archivedLines, archive);
    }

    private static LedgerEntry parseOrNull(byte[] lineWithNewline) {
        try {
            return LedgerEntry.parse(Json.parse(java.util.Arrays.copyOf(lineWithNewline, lineWithNewline.length - 1)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static final java.time.format.DateTimeFormatter ARCHIVE_STAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** {@code ledger-<YYYYMMDDTHHMMSSZ>.jsonl.gz}; name order is time order (the report reads them in that order). */
    private static Path freeArchiveName(Path archiveDir, Instant now) {
        String stamp = ARCHIVE_STAMP.format(now);
        Path p = archiveDir.resolve("ledger-" + stamp + ".jsonl.gz");
        for (int i = 1; Files.exists(p); i++) {
            p = archiveDir.resolve(String.format("ledger-%s_%03d.jsonl.gz", stamp, i)); // sorts after the first
        }
        return p;
    }

    /** The latest line of every object (tests compare it before and after a compaction). */
    synchronized Map<String, LedgerEntry> latestByObject() {
        return Map.copyOf(latest);
    }

    /** The raw text, for tests and the {@code tools}: every complete line. */
    public List<String> readLines() throws IOException {
        return Files.exists(path)
                ? List.of(Files.readString(path, StandardCharsets.UTF_8).split("\n"))
                : List.of();
    }
}
