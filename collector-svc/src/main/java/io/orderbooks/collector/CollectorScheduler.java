package io.orderbooks.collector;

import io.orderbooks.support.DaemonThreads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The scheduler of collector-svc (each service has one, beside its lifecycle bean): polls {@code tokens.json} at
 * start and then every {@code collector.tokens-poll-interval}, and logs the status line every
 * {@code collector.status-interval}. Started by {@link CollectorLifecycle} once the streams are open, stopped first at
 * shutdown.
 *
 * <p>Unlike discovery's and offload's, it is not {@code @Scheduled}: Quarkus' built-in scheduler checks its triggers
 * once a second ({@code SimpleScheduler.CHECK_PERIOD}), and the collector's tests and bench poll the token list every
 * 200 ms; and a poll must not run before the lifecycle has opened the streams it feeds (docs/ARCHITECTURE.md).
 */
@ApplicationScoped
public class CollectorScheduler {
    private static final Logger LOG = Logger.getLogger(CollectorScheduler.class);

    @Inject
    CollectorConfig config;

    private ScheduledExecutorService executor;

    synchronized void start(Runnable pollTokens, Runnable status) {
        if (executor != null) {
            throw new IllegalStateException("the collector scheduler is already started");
        }
        executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("collector-scheduler"));
        executor.scheduleWithFixedDelay(
                guarded(pollTokens, "tokens watcher failed"),
                0,
                config.tokensPollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        long statusMs = config.statusInterval().toMillis();
        executor.scheduleAtFixedRate(guarded(status, "status line failed"), statusMs, statusMs, TimeUnit.MILLISECONDS);
    }

    /** Stops both tasks; a poll or status line in progress is interrupted. */
    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** An exception would cancel the periodic task for good: log it and keep the schedule. */
    private static Runnable guarded(Runnable task, String what) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, what);
            }
        };
    }
}
