package io.orderbooks.shared.testing;

import io.orderbooks.shared.files.FileSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real files on disk whose writes fail like a full disk once a shared byte budget is spent ("No space left on
 * device"); {@link #refill(long)} makes room again. Bytes written before the failure really are on disk.
 */
public final class FaultySink implements FileSink.Opener {
    private final AtomicLong budget;
    private final HookedSink sink;

    public FaultySink(long budget) {
        this.budget = new AtomicLong(budget);
        this.sink = new HookedSink(this::allow);
    }

    public void refill(long bytes) {
        budget.set(bytes);
    }

    private int allow(Path path, int len) throws IOException {
        if (len == 0) {
            if (budget.get() <= 0) {
                throw new IOException("No space left on device: " + path);
            }
            return 0;
        }
        long left = budget.addAndGet(-len);
        if (left < 0) {
            budget.set(0);
            return (int) Math.max(0, len + left);
        }
        return len;
    }

    @Override
    public FileSink create(Path path) throws IOException {
        return sink.create(path);
    }
}
