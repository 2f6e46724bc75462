package io.orderbooks.offload.health;

import io.orderbooks.offload.OffloadConfig;
import io.orderbooks.offload.OffloadService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the run loop ticks: a run is in progress, or one started within three intervals (after the initial delay). */
@Liveness
@ApplicationScoped
public class OffloadLivenessCheck implements HealthCheck {
    @Inject
    OffloadService service;

    @Inject
    OffloadConfig config;

    @Inject
    Clock clock;

    @Override
    public HealthCheckResponse call() {
        Instant last = service.lastRunStarted().orElse(service.startedAt().plus(config.initialDelay()));
        Duration since = Duration.between(last, clock.instant());
        boolean ok = service.running() || since.compareTo(config.interval().multipliedBy(3)) <= 0;
        return HealthCheckResponse.named("offload-loop")
                .status(ok)
                .withData("running", service.running())
                .withData("since_last_run_s", Math.max(0, since.toSeconds()))
                .build();
    }
}
