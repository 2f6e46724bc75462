package io.orderbooks.discovery.health;

import io.orderbooks.discovery.DiscoveryService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/** Alive unless one run has been going for more than 3 intervals (stuck: retries are bounded well below that). */
@Liveness
@ApplicationScoped
public class RunLiveness implements HealthCheck {
    @Inject
    DiscoveryService service;

    @Inject
    Clock clock;

    @Override
    public HealthCheckResponse call() {
        DiscoveryService.Health h = service.health();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("discovery-loop");
        if (h.runningSince() != null) {
            Duration running = Duration.between(h.runningSince(), clock.instant());
            b.withData("run_seconds", running.toSeconds());
            if (running.compareTo(h.interval().multipliedBy(3)) > 0) {
                return b.down()
                        .withData("error", "one run has been going for " + running.toSeconds() + " s")
                        .build();
            }
        }
        return b.up().build();
    }
}
