package io.orderbooks.collector.health;

import io.orderbooks.collector.CollectorConfig;
import io.orderbooks.collector.CollectorLifecycle;
import io.orderbooks.support.DataDirReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The data dir is writable and has more than {@code collector.disk-min-free} free ({@link DataDirReadiness}). */
@Readiness
@ApplicationScoped
public class DataDirReadinessCheck implements HealthCheck {
    @Inject
    CollectorLifecycle lifecycle;

    @Inject
    CollectorConfig config;

    @Override
    public HealthCheckResponse call() {
        return DataDirReadiness.check(lifecycle.dataDir(), config.diskMinFree(), "collector.disk-min-free");
    }
}
