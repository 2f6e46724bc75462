package io.orderbooks.shared.layout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic replace (docs/ARCHITECTURE.md "Design decisions"): write a temp file in the same directory, fsync it, rename
 * it over the target, fsync the
 * directory. A reader sees the old file or the new one, never a torn one, even across a power loss.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void replace(Path target, byte[] content) throws IOException {
        Path dir = DataDir.ensureDir(target.toAbsolutePath().getParent());
        Path temp = tempSibling(target);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            DataDir.applyMode(temp, DataDir.FILE_MODE);
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
        fsyncDirectory(dir);
    }

    /**
     * A hidden temp name beside the target ({@code .name.<random>.tmp}), so that readers' globs such as
     * {@code *.jsonl.gz} or {@code *.json} never pick up a half-written file.
     */
    public static Path tempSibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /** An atomic rename within one file system; replaces an existing target. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(
                    "cannot rename atomically " + source + " -> " + target + " (different file systems?)", e);
        }
    }

    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Makes a rename or create in {@code dir} durable (Linux: fsync on the directory descriptor). */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems (and non-Linux platforms) refuse fsync on a directory; the rename itself is done.
            if (!(e.getMessage() != null && e.getMessage().contains("Is a directory"))) {
                throw e;
            }
        }
    }
}
