package io.orderbooks.offload.health;

import io.orderbooks.offload.OffloadService;
import io.orderbooks.offload.RemoteState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the upload remote cannot be listed (missing rclone.conf section, missing or expired token). */
@Readiness
@ApplicationScoped
public class RemoteReadinessCheck implements HealthCheck {
    @Inject
    OffloadService service;

    @Override
    public HealthCheckResponse call() {
        RemoteState s = service.remoteState();
        return HealthCheckResponse.named("remote")
                .status(s.listable())
                .withData("remote", s.remote())
                .withData("detail", s.detail())
                .withData("checked_at", s.checkedAt().toString())
                .build();
    }
}
