package io.orderbooks.shared.testing;

import io.orderbooks.shared.FileSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real files on disk whose writes fail like a full disk once a shared byte budget is spent ("No space left on
 * device"); {@link #refill(long)} makes room again. Bytes written before the failure really are on disk.
 */
public final class FaultySink implements FileSink.Opener {
    private final AtomicLong budget;

    public FaultySink(long budget) {
        this.budget = new AtomicLong(budget);
    }

    public void refill(long bytes) {
        budget.set(bytes);
    }

    @Override
    public FileSink create(Path path) throws IOException {
        if (budget.get() <= 0) {
            throw new IOException("No space left on device: " + path);
        }
        FileSink real = FileSink.DISK.create(path);
        return new FileSink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                long left = budget.addAndGet(-len);
                if (left < 0) {
                    int fits = (int) Math.max(0, len + left);
                    real.write(b, off, fits);
                    budget.set(0);
                    throw new IOException("No space left on device");
                }
                real.write(b, off, len);
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
