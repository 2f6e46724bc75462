package io.orderbooks.offload.health;

import io.orderbooks.offload.OffloadConfig;
import io.orderbooks.offload.rclone.RcloneClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while rclone's rc API answers {@code core/version} (through the same breaker as the uploads). */
@Readiness
@ApplicationScoped
public class RcloneReadinessCheck implements HealthCheck {
    @Inject
    RcloneClient rclone;

    @Inject
    OffloadConfig config;

    @Override
    public HealthCheckResponse call() {
        try {
            return HealthCheckResponse.named("rclone")
                    .up()
                    .withData("url", config.rcloneUrl())
                    .withData("version", rclone.version())
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("rclone")
                    .down()
                    .withData("url", config.rcloneUrl())
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
