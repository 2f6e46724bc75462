package io.orderbooks.discovery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the data dir takes a write: tokens.json and the raw pages go there. */
@Readiness
@ApplicationScoped
public class DataDirReadiness implements HealthCheck {
    @Inject
    DiscoveryService service;

    @Override
    public HealthCheckResponse call() {
        String problem = service.health().dataDirProblem();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("data-dir");
        return problem == null ? b.up().build() : b.down().withData("error", problem).build();
    }
}
