package io.orderbooks.discovery;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The scheduler of discovery-svc (each service has one, beside its lifecycle bean): a run at start and then every {@code discovery.interval}; a run still going when the next is due skips it. Also
 * the periodic status line.
 */
@ApplicationScoped
public class DiscoveryScheduler {
    private static final Logger LOG = Logger.getLogger(DiscoveryScheduler.class);

    @Inject
    DiscoveryService service;

    private final AtomicLong completed = new AtomicLong();

    @Scheduled(
            identity = "discovery-run",
            every = "{discovery.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            service.runOnce();
        } catch (RuntimeException e) {
            LOG.errorf(e, "scheduled discovery run failed");
        } finally {
            completed.incrementAndGet();
        }
    }

    @Scheduled(
            identity = "discovery-status",
            every = "{discovery.status-interval}",
            delayed = "{discovery.status-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void status() {
        try {
            service.logStatus();
        } catch (RuntimeException e) {
            LOG.errorf(e, "status line failed");
        }
    }

    /** Scheduled runs that have ended. */
    long completed() {
        return completed.get();
    }
}
