package io.orderbooks.offload.health;

import io.orderbooks.offload.OffloadConfig;
import io.orderbooks.offload.OffloadService;
import io.orderbooks.shared.layout.DataDir;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** The data dir is writable (ledger, manifests, quarantine) and has more than {@code offload.disk-min-free} free. */
@Readiness
@ApplicationScoped
public class DataDirReadinessCheck implements HealthCheck {
    @Inject
    OffloadService service;
    @Inject
    OffloadConfig config;

    @Override
    public HealthCheckResponse call() {
        DataDir dir = service.dataDir();
        long free = dir.usableBytes();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("data-dir").withData("path", dir.root().toString())
                .withData("free_bytes", free).withData("min_free_bytes", config.diskMinFree().asLongValue());
        Optional<String> problem = dir.checkWritable();
        if (problem.isPresent()) {
            return b.down().withData("error", problem.get()).build();
        }
        if (free >= 0 && free < config.diskMinFree().asLongValue()) {
            return b.down().withData("error", "free space below offload.disk-min-free").build();
        }
        return b.up().build();
    }
}
