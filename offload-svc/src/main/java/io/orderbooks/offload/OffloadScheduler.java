package io.orderbooks.offload;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The timer: one run every {@code offload.interval}; a run still going when the next is due makes it skip. */
@ApplicationScoped
public class OffloadScheduler {
    @Inject
    OffloadService service;

    @Inject
    OffloadLifecycle lifecycle;

    @Scheduled(
            identity = "offload-run",
            every = "{offload.interval}",
            delayed = "{offload.initial-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trigger() {
        service.runOnce();
        lifecycle.checkpoint();
    }
}
