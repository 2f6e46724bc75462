package io.orderbooks.discovery.health;

import io.orderbooks.discovery.DiscoveryService;
import io.orderbooks.discovery.RunReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the last successful run (published, or unchanged) ended within 3 intervals and the last run did not
 * refuse its list: a refused publication (shrink guard, validation) keeps the old list, and a human should look.
 */
@Readiness
@ApplicationScoped
public class RunReadiness implements HealthCheck {
    @Inject
    DiscoveryService service;

    @Inject
    Clock clock;

    @Override
    public HealthCheckResponse call() {
        DiscoveryService.Health h = service.health();
        HealthCheckResponseBuilder b =
                HealthCheckResponse.named("discovery-run").withData("tokens", h.tokens());
        RunReport last = h.last();
        if (last != null) {
            b.withData("last_run", last.outcome().tag()).withData("last_run_no", last.run());
            if (last.reason() != null) {
                b.withData("last_run_reason", last.reason());
            }
        }
        if (h.lastSuccessAt() != null) {
            b.withData("last_success", h.lastSuccessAt().toString());
        }
        if (!h.started()) {
            return b.down().withData("error", "starting").build();
        }
        if (last != null && last.outcome() == RunReport.Outcome.REFUSED) {
            return b.down()
                    .withData("degraded", true)
                    .withData("error", "publication refused, the previous tokens.json is kept: " + last.reason())
                    .build();
        }
        if (h.lastSuccessAt() == null) {
            return b.down()
                    .withData(
                            "error",
                            last == null ? "first discovery run in progress" : "no successful discovery run yet")
                    .build();
        }
        Duration age = Duration.between(h.lastSuccessAt(), clock.instant());
        if (age.compareTo(h.interval().multipliedBy(3)) > 0) {
            return b.down()
                    .withData("error", "last successful run was " + age.toSeconds() + " s ago, more than 3 intervals")
                    .build();
        }
        return b.up().build();
    }
}
