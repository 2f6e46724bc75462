package io.orderbooks.discovery.health;

import io.orderbooks.discovery.DiscoveryService;
import io.orderbooks.support.DataDirReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the data dir takes a write: tokens.json and the raw pages go there ({@link DataDirReadiness}, the check
 * every service reports alike). Discovery writes little, so it has no free-space threshold of its own.
 */
@Readiness
@ApplicationScoped
public class DataDirReadinessCheck implements HealthCheck {
    @Inject
    DiscoveryService service;

    @Override
    public HealthCheckResponse call() {
        return DataDirReadiness.check(service.dataDir(), 0, "discovery");
    }
}
