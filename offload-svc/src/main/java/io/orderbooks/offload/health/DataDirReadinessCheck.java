package io.orderbooks.offload.health;

import io.orderbooks.offload.OffloadConfig;
import io.orderbooks.offload.OffloadService;
import io.orderbooks.support.DataDirReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The data dir is writable (ledger, manifests, quarantine) and has more than {@code offload.disk-min-free} free
 * ({@link DataDirReadiness}, the check every service reports alike).
 */
@Readiness
@ApplicationScoped
public class DataDirReadinessCheck implements HealthCheck {
    @Inject
    OffloadService service;

    @Inject
    OffloadConfig config;

    @Override
    public HealthCheckResponse call() {
        return DataDirReadiness.check(service.dataDir(), config.diskMinFree().asLongValue(), "offload.disk-min-free");
    }
}
