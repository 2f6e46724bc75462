package io.orderbooks.shared.files;

import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InvalidNameException;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Line;
import io.orderbooks.shared.records.LostLines;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.jboss.logging.Logger;

/**
 * Writes one stream as hourly gzip JSONL files (docs/DATA-FORMAT.md §1). A record goes to the file of the UTC hour of
 * its
 * {@code recv_us}; the file is written under {@code .open}, flushed (gzip SYNC_FLUSH, so plain {@code zcat} reads
 * up to the flush point) at least every {@code readable-within} and fsynced at least every flush interval, and on
 * rotation or close it is finished, fsynced, renamed to its final name, and then its manifest is written. A closed
 * file is never touched again.
 * <p>
 * Thread-safe: any number of threads may append to the one writer of a stream. Compression runs on the appending
 * thread under a short lock; fsync, rename and manifest writing run on background threads, so no caller waits for
 * the disk to sync.
 */
public final class RotatingJsonlWriter implements Closeable {
    private static final Logger LOG = Logger.getLogger(RotatingJsonlWriter.class);
    private static final int GZIP_BUFFER = 64 * 1024;
    private static final int INPUT_BUFFER = 64 * 1024;

    private final DataDir dir;
    private final WriterConfig config;
    private final WriterInfo info;
    private final Clock clock;
    private final StreamLock streamLock;
    private final Recovery.Report recoveryReport;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Instant, OpenFile> open = new TreeMap<>();
    private final Map<Instant, Integer> lastSeq = new TreeMap<>();
    private final List<Path> abandoned = new CopyOnWriteArrayList<>();
    private final List<Consumer<FileManifest>> closeListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<LostLines>> lossListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService flusher;
    private final ScheduledExecutorService syncer;
    private final ExecutorService closer;

    private long records;
    private long uncompressedBytes;
    /** Written by the closer thread only. */
    private volatile long filesClosed;
    /** Counted from appenders, the flusher, the fsync thread, flush() callers and the closer: atomic. */
    private final LongAdder writeErrors = new LongAdder();

    private volatile String lastError;
    private boolean closed;

    private RotatingJsonlWriter(
            DataDir dir,
            WriterConfig config,
            WriterInfo info,
            Clock clock,
            StreamLock streamLock,
            Recovery.Report recoveryReport) {
        this.dir = dir;
        this.config = config;
        this.info = info;
        this.clock = clock;
        this.streamLock = streamLock;
        this.recoveryReport = recoveryReport;
        String name = "writer-" + config.stream();
        this.closer = Executors.newSingleThreadExecutor(daemon(name + "-closer"));
        this.flusher = Executors.newSingleThreadScheduledExecutor(daemon(name + "-flusher"));
        this.syncer = Executors.newSingleThreadScheduledExecutor(daemon(name + "-fsync"));
        // Ticking at half of each bound keeps the age of data that is not yet readable (resp. not yet durable) under
        // the bound plus scheduling delay. fsync has its own thread: a slow disk must not hold readability back.
        long flushPeriod = Math.max(5, config.readableWithin().toMillis() / 2);
        flusher.scheduleAtFixedRate(this::tick, flushPeriod, flushPeriod, TimeUnit.MILLISECONDS);
        long syncPeriod = Math.max(5, config.flushInterval().toMillis() / 2);
        syncer.scheduleAtFixedRate(this::syncTick, syncPeriod, syncPeriod, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes ownership of the stream for this instance (failing if another live writer holds it), recovers the
     * {@code .open} files a crashed predecessor left, and starts writing.
     */
    public static RotatingJsonlWriter open(DataDir dir, WriterConfig config, WriterInfo info, Clock clock)
            throws IOException {
        if (!info.instance().equals(config.instance())) {
            throw new IllegalArgumentException(
                    "writer info instance " + info.instance() + " != config instance " + config.instance());
        }
        StreamLock lock = StreamLock.acquire(dir, config.stream(), config.instance(), Duration.ofSeconds(5));
        try {
            Recovery.Report report = Recovery.recoverStreamLocked(dir, config.stream(), config.instance(), info, clock);
            return new RotatingJsonlWriter(dir, config, info, clock, lock, report);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** What start-up recovery did before this writer began. */
    public Recovery.Report recoveryReport() {
        return recoveryReport;
    }

    public StreamName stream() {
        return config.stream();
    }

    /**
     * Called, under the writer's lock and on whichever thread hit the error, with the lines an abandoned file may
     * not hold (see {@link LostLines}). Must be quick and must not append to this writer.
     */
    public void onLinesLost(Consumer<LostLines> listener) {
        lossListeners.add(listener);
    }

    /** Called (on a background thread) with each manifest after its file is closed. */
    public void onFileClosed(Consumer<FileManifest> listener) {
        closeListeners.add(listener);
    }

    /**
     * Appends one record to the file of its hour. On an I/O error the current file is abandoned as {@code .open}
     * (everything flushed before stays recoverable and is salvaged as soon as the disk accepts writes again), the
     * error is counted, and a {@link WriterException} tells the caller that this record was not stored.
     */
    public void append(Line line) throws WriterException {
        lock.lock();
        try {
            if (closed) {
                throw new WriterException("writer for " + config.stream() + " is closed", null);
            }
            Instant hour = RawFile.hourOf(line.recvUs());
            OpenFile file = open.get(hour);
            if (file == null) {
                retireExpired(line.recvUs());
                file = openFile(hour);
            }
            try {
                file.write(line.bytes());
            } catch (IOException e) {
                abandon(file, e);
                throw new WriterException("write to " + file.path + " failed: " + e.getMessage(), e);
            }
            file.stats.add(line.recvUs(), line.kind(), line.assets(), line.bytes().length, line.gap());
            file.unflushed(line.recvUs());
            file.dirty = true;
            records++;
            uncompressedBytes += line.bytes().length;
        } finally {
            lock.unlock();
        }
    }

    /** Makes everything appended so far readable by {@code zcat} and durable (SYNC_FLUSH, then fsync). */
    public void flush() {
        syncFlush();
        force(takeUnsynced());
    }

    /**
     * Hands everything appended so far to the file (gzip SYNC_FLUSH, no fsync): from here on {@code zcat} of the
     * {@code .open} file reads it and a crash of the process cannot lose it; the next fsync makes it durable.
     */
    private void syncFlush() {
        lock.lock();
        try {
            for (OpenFile f : List.copyOf(open.values())) {
                if (f.dirty) {
                    try {
                        f.drain();
                        f.gzip.flush();
                        f.flushed();
                        f.dirty = false;
                        f.unsynced = true;
                    } catch (IOException e) {
                        abandon(f, e);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The open files with bytes written since their last fsync (and marks them synced). */
    private List<OpenFile> takeUnsynced() {
        lock.lock();
        try {
            List<OpenFile> due = new ArrayList<>();
            for (OpenFile f : open.values()) {
                if (f.unsynced) {
                    f.unsynced = false;
                    due.add(f);
                }
            }
            return due;
        } finally {
            lock.unlock();
        }
    }

    /** fsync outside the lock, so appends go on meanwhile (FileSink.force may run beside write). */
    private void force(List<OpenFile> files) {
        for (OpenFile f : files) {
            try {
                f.sink.force();
            } catch (ClosedChannelException e) {
                // Rotated meanwhile: the closer forces it again before the rename.
            } catch (IOException e) {
                noteError("fsync of " + f.path + " failed", e);
            }
        }
    }

    /** Closes files whose hour ended more than the late grace ago by the clock (idle streams rotate too). */
    public void closeExpired() {
        lock.lock();
        try {
            retireExpired(Math.multiplyExact(clock.millis(), 1000L));
        } finally {
            lock.unlock();
        }
    }

    private void tick() {
        try {
            syncFlush();
            closeExpired();
        } catch (RuntimeException e) {
            noteError("flusher tick failed", e);
        }
    }

    private void syncTick() {
        try {
            force(takeUnsynced());
        } catch (RuntimeException e) {
            noteError("fsync tick failed", e);
        }
    }

    private void retireExpired(long nowUs) {
        long grace = config.lateGrace().toNanos() / 1000;
        for (OpenFile f : List.copyOf(open.values())) {
            if (f.id.hourEndUs() + grace <= nowUs) {
                retire(f, "rotation");
            }
        }
    }

    private OpenFile openFile(Instant hour) throws WriterException {
        Path hourDir = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            RawFile id = new RawFile(config.stream(), hour, config.instance(), nextSeq(hour));
            Path path = dir.openPath(id);
            try {
                hourDir = DataDir.ensureDir(path.getParent());
                FileSink sink = config.opener().create(path);
                lastSeq.put(hour, id.seq());
                OpenFile f;
                try {
                    f = new OpenFile(id, path, sink, config.compressionLevel(), info.runId());
                } catch (IOException e) {
                    sink.close();
                    abandoned.add(path);
                    throw e;
                }
                open.put(hour, f);
                salvageAbandoned();
                return f;
            } catch (FileAlreadyExistsException e) {
                lastSeq.put(hour, id.seq());
            } catch (IOException | RuntimeException e) {
                noteError("cannot open " + path, e);
                throw new WriterException(
                        "cannot open a new file in " + (hourDir == null ? path.getParent() : hourDir) + ": "
                                + e.getMessage(),
                        e);
            }
        }
        throw new WriterException("no free sequence number for " + config.stream() + " hour " + hour, null);
    }

    private int nextSeq(Instant hour) {
        int max = lastSeq.getOrDefault(hour, 0);
        RawFile probe = new RawFile(config.stream(), hour, config.instance(), 1);
        Path hourDir = dir.dirOf(probe);
        if (Files.isDirectory(hourDir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(hourDir)) {
                for (Path p : files) {
                    try {
                        RawFile other = RawFile.parse(p);
                        if (other.stream().equals(config.stream())
                                && other.instance().equals(config.instance())
                                && other.hour().equals(hour)) {
                            max = Math.max(max, other.seq());
                        }
                    } catch (InvalidNameException ignored) {
                        // temp files, locks, foreign names
                    }
                }
            } catch (IOException e) {
                noteError("cannot list " + hourDir, e);
            }
        }
        return max + 1;
    }

    /** Under the lock: finish the gzip stream, then let the closer sync, rename and write the manifest. */
    private void retire(OpenFile f, String reason) {
        open.remove(f.id.hour());
        try {
            f.drain();
            f.gzip.finish();
            f.gzip.flush();
            f.flushed();
        } catch (IOException e) {
            abandon(f, e);
            return;
        }
        closer.execute(() -> finalizeFile(f, reason));
    }

    private void finalizeFile(OpenFile f, String reason) {
        Path closedPath = dir.closedPath(f.id);
        try {
            f.sink.force();
            f.sink.close();
            if (Files.exists(closedPath)) {
                throw new FileAlreadyExistsException(closedPath.toString(), null, "a closed file is never replaced");
            }
            AtomicFiles.move(f.path, closedPath);
            AtomicFiles.fsyncDirectory(closedPath.getParent());
            FileManifest manifest = f.stats.manifest(dir, f.id, f.digests(), info, reason, clock.instant(), null);
            AtomicFiles.replace(dir.manifestPath(f.id), manifest.toJson());
            filesClosed++;
            tell(closeListeners, manifest, "file-closed", manifest.file());
        } catch (IOException | RuntimeException e) {
            // The data is on disk under .open (or closed without a manifest): recovery completes it.
            noteError("closing " + f.path + " failed; recovery will complete it", e);
            if (Files.exists(f.path)) {
                abandoned.add(f.path);
            }
        }
    }

    private void abandon(OpenFile f, Exception cause) {
        open.remove(f.id.hour());
        try {
            f.sink.close();
        } catch (IOException ignored) {
            // The file is being given up on; its flushed part is salvaged later.
        }
        abandoned.add(f.path);
        LostLines lost = f.unflushedLines();
        noteError(
                "abandoned " + f.path + " after an I/O error (" + f.stats.records() + " records in it; the part "
                        + "flushed before the error is salvaged later"
                        + (lost == null
                                ? ""
                                : "; " + lost.count()
                                        + " appended after the last flush may be lost and are reported as lost")
                        + ")",
                cause);
        if (lost != null) {
            tell(lossListeners, lost, "lines-lost", f.path);
        }
    }

    /** A listener that throws is logged and skipped: the others, and the writer, go on. */
    private static <T> void tell(List<Consumer<T>> listeners, T value, String kind, Object file) {
        for (Consumer<T> l : listeners) {
            try {
                l.accept(value);
            } catch (RuntimeException e) {
                LOG.warnf(e, "%s listener failed for %s", kind, file);
            }
        }
    }

    /** Once the disk takes writes again, salvage abandoned files in the background (same code as start-up). */
    private void salvageAbandoned() {
        if (abandoned.isEmpty()) {
            return;
        }
        List<Path> todo = List.copyOf(abandoned);
        closer.execute(() -> {
            for (Path p : todo) {
                try {
                    Recovery.recoverOpenFile(dir, p, info, clock);
                    abandoned.remove(p);
                } catch (IOException | RuntimeException e) {
                    noteError("salvage of " + p + " failed; retried at the next file or start", e);
                }
            }
        });
    }

    /** Counts and logs an error; called from appenders, the flusher, the fsync thread and the closer. Package-private for tests. */
    void noteError(String what, Exception e) {
        writeErrors.increment();
        lastError = what + ": " + e;
        LOG.errorf("%s: %s", what, e.toString());
    }

    public WriterStats stats() {
        lock.lock();
        try {
            return new WriterStats(
                    records,
                    uncompressedBytes,
                    filesClosed,
                    writeErrors.sum(),
                    open.size(),
                    abandoned.size(),
                    lastError);
        } finally {
            lock.unlock();
        }
    }

    /** The files currently being written, relative to the data dir (for status lines). */
    public List<String> currentFiles() {
        lock.lock();
        try {
            return open.values().stream().map(f -> dir.relative(f.path)).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Closes every open file (reason {@code shutdown}) and waits until each is renamed and has its manifest. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (OpenFile f : List.copyOf(open.values())) {
                retire(f, "shutdown");
            }
        } finally {
            lock.unlock();
        }
        // shutdown(), never shutdownNow(): an interrupt that reaches the fsync thread inside FileChannel.force closes
        // the file's channel (ClosedByInterruptException, which force() takes for "rotated meanwhile"), and the
        // closer, forcing the same file next, then fails: the file stayed .open without a manifest until the next
        // start's recovery. Under CPU load (fsync taking a good part of its period) about one close in 30 did that.
        // The periodic ticks stop; one that is running finishes undisturbed.
        flusher.shutdown();
        syncer.shutdown();
        closer.shutdown();
        try {
            if (!closer.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.errorf(
                        "closing %s files took over 60 s; recovery completes them at the next start", config.stream());
            }
            // A flush or fsync tick that was running when close began may still be inside a native call on a file's
            // channel: the descriptor stays in use until it returns (a real tmpfs could not be unmounted right after
            // close under load). Closed means no thread of this writer touches a file any more.
            flusher.awaitTermination(60, TimeUnit.SECONDS);
            syncer.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streamLock.close();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * One file being written: its sink, the digests of the compressed bytes, the gzip stream and its stats. Lines
     * are gathered into {@link #INPUT_BUFFER} before they reach the deflater, so it is called once per ~100 lines
     * instead of once per line (each call crosses into native zlib; see docs/PERFORMANCE.md). The gathered lines
     * go in before every flush, finish and close, so what is on disk at each flush point is unchanged.
     */
    private static final class OpenFile {
        final RawFile id;
        final Path path;
        final FileSink sink;
        final DigestingStream digesting;
        final GZIPOutputStream gzip;
        final FileStats stats = new FileStats();
        private final byte[] pending = new byte[INPUT_BUFFER];
        private int pendingLength;
        /** Appended since the last SYNC_FLUSH (not yet readable in the file). */
        boolean dirty;
        /** SYNC_FLUSHed since the last fsync (readable, not yet durable). Guarded by the writer's lock. */
        boolean unsynced;
        /** Lines appended since the last SYNC_FLUSH and their recv_us bounds: what an I/O error may cost. */
        private long unflushed;

        private long unflushedFromUs = Long.MAX_VALUE;
        private long unflushedToUs = Long.MIN_VALUE;

        void unflushed(long recvUs) {
            unflushed++;
            unflushedFromUs = Math.min(unflushedFromUs, recvUs);
            unflushedToUs = Math.max(unflushedToUs, recvUs);
        }

        void flushed() {
            unflushed = 0;
            unflushedFromUs = Long.MAX_VALUE;
            unflushedToUs = Long.MIN_VALUE;
        }

        LostLines unflushedLines() {
            return unflushed == 0 ? null : new LostLines(unflushed, unflushedFromUs, unflushedToUs);
        }

        void write(byte[] line) throws IOException {
            if (pendingLength + line.length > pending.length) {
                drain();
                if (line.length > pending.length) {
                    gzip.write(line);
                    return;
                }
            }
            System.arraycopy(line, 0, pending, pendingLength, line.length);
            pendingLength += line.length;
        }

        /** Hands the gathered lines to the deflater (no flush of its own). */
        void drain() throws IOException {
            if (pendingLength > 0) {
                int n = pendingLength;
                pendingLength = 0;
                gzip.write(pending, 0, n);
            }
        }

        OpenFile(RawFile id, Path path, FileSink sink, int level, String runId) throws IOException {
            this.id = id;
            this.path = path;
            this.sink = sink;
            this.digesting = new DigestingStream(sink);
            // syncFlush=true: flush() emits a deflate SYNC_FLUSH block, so the bytes so far decompress completely.
            // The header names the run writing the lines (GzipRunHeader): recovery reads it after a crash.
            this.gzip = new GZIPOutputStream(GzipRunHeader.wrap(digesting, runId), GZIP_BUFFER, true) {
                {
                    def.setLevel(level);
                }
            };
        }

        Checksums.Digests digests() {
            return digesting.digests();
        }
    }

    /** Counts and hashes the compressed bytes on their way to the sink, so closing needs no second read. */
    private static final class DigestingStream extends OutputStream {
        private final FileSink sink;
        private final java.security.MessageDigest sha = Checksums.sha256();
        private final java.security.MessageDigest md5 = Checksums.md5();
        private long bytes;

        DigestingStream(FileSink sink) {
            this.sink = sink;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            sink.write(b, off, len);
            sha.update(b, off, len);
            md5.update(b, off, len);
            bytes += len;
        }

        Checksums.Digests digests() {
            return new Checksums.Digests(bytes, Checksums.hex(sha.digest()), Checksums.hex(md5.digest()));
        }
    }
}
