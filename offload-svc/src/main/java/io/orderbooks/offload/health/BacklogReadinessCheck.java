package io.orderbooks.offload.health;

import io.orderbooks.offload.OffloadConfig;
import io.orderbooks.offload.OffloadService;
import io.orderbooks.offload.RunReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready when the oldest file not yet verified remotely closed more than {@code offload.max-backlog-age} ago:
 * uploads are failing or falling behind, and local retention is blocked.
 */
@Readiness
@ApplicationScoped
public class BacklogReadinessCheck implements HealthCheck {
    @Inject
    OffloadService service;

    @Inject
    OffloadConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("offload-backlog")
                .withData("max_age_s", config.maxBacklogAge().toSeconds());
        Optional<RunReport> last = service.lastReport();
        if (last.isEmpty()) {
            return b.up().withData("runs", "none yet").build();
        }
        RunReport r = last.get();
        b.withData("files", r.backlogFiles())
                .withData("bytes", r.backlogBytes())
                .withData(
                        "oldest_age_s",
                        r.oldestBacklogAge() == null ? 0 : r.oldestBacklogAge().toSeconds())
                .withData("last_run", r.startedAt().toString());
        if (r.stopReason() != null) {
            b.withData("last_run_stopped", r.stopReason());
        }
        boolean tooOld = r.oldestBacklogAge() != null && r.oldestBacklogAge().compareTo(config.maxBacklogAge()) > 0;
        return b.status(!tooOld).build();
    }
}
