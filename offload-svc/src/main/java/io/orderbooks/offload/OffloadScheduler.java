package io.orderbooks.offload;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The timer: one run every {@code offload.interval}; a run still going when the next is due makes it skip. Idle in
 * drain mode, whose runs follow each other ({@link Drain}).
 */
@ApplicationScoped
public class OffloadScheduler {
    @Inject
    OffloadService service;

    @Inject
    OffloadLifecycle lifecycle;

    @Inject
    OffloadConfig config;

    @Scheduled(
            identity = "offload-run",
            every = "{offload.interval}",
            delayed = "{offload.initial-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        if (config.drain()) {
            return; // the drain runs its own runs, back to back (OffloadLifecycle)
        }
        service.runOnce();
        lifecycle.checkpoint();
    }
}
