package io.orderbooks.shared.files;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Exclusive ownership of one stream's files for one instance ({@code raw/<stream>/.lock-<instance>}), held by a
 * running writer and by recovery. An OS file lock (released by the kernel when a process dies, even by
 * {@code kill -9}) guards against a second process; a JVM-wide semaphore guards threads, since one JVM cannot hold
 * two overlapping OS locks (a semaphore, because the thread that releases may not be the one that acquired).
 */
final class StreamLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();

    private final Semaphore jvmLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private StreamLock(Semaphore jvmLock, FileChannel channel, FileLock fileLock) {
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** A lock file's name: this prefix and the instance id. */
    static final String PREFIX = ".lock-";

    static Path pathFor(DataDir dir, StreamName stream, InstanceId instance) {
        return dir.streamDir(stream).resolve(PREFIX + instance.value());
    }

    /** Waits up to {@code timeout} for the lock; throws with a clear message if another owner keeps it. */
    static StreamLock acquire(DataDir dir, StreamName stream, InstanceId instance, Duration timeout)
            throws IOException {
        Path path = pathFor(dir, stream, instance);
        DataDir.ensureDir(path.getParent());
        Semaphore jvm = IN_JVM.computeIfAbsent(path, p -> new Semaphore(1));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!jvm.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy(stream, instance, "another writer or recovery in this process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + path, e);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock fl;
                try {
                    fl = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    fl = null;
                }
                if (fl != null) {
                    return new StreamLock(jvm, ch, fl);
                }
                if (System.nanoTime() > deadline) {
                    throw busy(
                            stream,
                            instance,
                            "another process (is a second service running with the same instance id?)");
                }
                Thread.sleep(50);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            jvm.release();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + path, e);
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    private static IOException busy(StreamName stream, InstanceId instance, String who) {
        return new IOException("stream " + stream + " of instance " + instance + " is locked by " + who);
    }

    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            jvmLock.release();
        }
    }
}
