package io.orderbooks.offload;

import io.orderbooks.shared.layout.DataDir;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One offload-svc per data dir: an OS file lock on {@code offload/.lock}, held for the life of the process and
 * released by the kernel when it dies, even by {@code kill -9}. Two offloaders on one ledger (a drain started while the
 * replica still runs, a second compose project on the same directory) would interleave their ledger lines and
 * retention decisions; the second one refuses to start instead.
 */
final class OffloadLock implements AutoCloseable {
    static final String FILE = "offload/.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private OffloadLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path path(DataDir dir) {
        return dir.root().resolve(FILE);
    }

    /** The lock, or empty when another process (or this one) holds it. */
    static Optional<OffloadLock> tryAcquire(DataDir dir) throws IOException {
        Path path = path(dir);
        DataDir.ensureDir(path.getParent());
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock fl;
        try {
            fl = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            fl = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (fl == null) {
            ch.close();
            return Optional.empty();
        }
        return Optional.of(new OffloadLock(ch, fl));
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
