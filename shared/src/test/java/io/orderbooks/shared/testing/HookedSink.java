package io.orderbooks.shared.testing;

import io.orderbooks.shared.files.FileSink;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Real files on disk with a hook run before every write: the seam for disk faults in tests (a full disk, a disk
 * that stalls). The hook returns how many of the bytes to write; fewer than asked, and the write then fails.
 */
public final class HookedSink implements FileSink.Opener {
    /** Decides the fate of one write of {@code len} bytes. */
    @FunctionalInterface
    public interface BeforeWrite {
        /** @return the number of bytes that fit (0..len); throw to fail before writing anything */
        int allow(Path path, int len) throws IOException;
    }

    private final BeforeWrite hook;

    public HookedSink(BeforeWrite hook) {
        this.hook = hook;
    }

    @Override
    public FileSink create(Path path) throws IOException {
        hook.allow(path, 0);
        FileSink real = FileSink.DISK.create(path);
        return new FileSink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int fits = hook.allow(path, len);
                real.write(b, off, fits);
                if (fits < len) {
                    throw new IOException("No space left on device");
                }
            }

            @Override
            public void force() throws IOException {
                real.force();
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }
}
