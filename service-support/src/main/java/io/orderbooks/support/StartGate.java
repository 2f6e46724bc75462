package io.orderbooks.support;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Between a service's scheduler and its lifecycle: Quarkus starts the {@code @Scheduled} triggers on the same
 * start-up event as the lifecycle bean, so the first run can be due before the lifecycle has opened the data dir. A
 * run waits here for the start instead of being skipped until the next interval (minutes later); a lifecycle that
 * refuses to start, or stops, closes the gate so no run waits for a start that will not come.
 */
public final class StartGate {
    private final CountDownLatch decided = new CountDownLatch(1);
    private volatile boolean started;
    private volatile boolean closed;

    /** The service is ready to run. */
    public void open() {
        started = true;
        decided.countDown();
    }

    /** The service will not run (refused to start, or stopping). */
    public void close() {
        closed = true;
        decided.countDown();
    }

    /** Started and not closed, now. */
    public boolean isOpen() {
        return started && !closed;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Waits at most {@code max} for the lifecycle to open or close the gate; true if a run may go ahead.
     *
     * @throws InterruptedException if the waiting thread is interrupted (the scheduler is shutting down)
     */
    public boolean awaitOpen(Duration max) throws InterruptedException {
        decided.await(max.toMillis(), TimeUnit.MILLISECONDS);
        return isOpen();
    }
}
