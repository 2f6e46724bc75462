package io.orderbooks.collector;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready = started, data dir writable, disk above {@code collector.disk-min-free}, and — while tokens are tracked —
 * data (a websocket frame or a REST book) received recently. Tokens and output are reported.
 */
@Readiness
@ApplicationScoped
public class CollectorReadiness implements HealthCheck {
    @Inject
    CollectorLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        CollectorLifecycle.Health h = lifecycle.health();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("collector").withData("tokens", h.tokens())
                .withData("lines_written", h.linesWritten()).withData("disk_free_bytes", h.freeBytes());
        if (h.tokensProblem() != null) {
            b.withData("tokens_problem", h.tokensProblem());
        }
        if (!h.started()) {
            return b.down().withData("error", "starting").build();
        }
        if (h.dataDirProblem() != null) {
            return b.down().withData("error", h.dataDirProblem()).build();
        }
        if (h.freeBytes() >= 0 && h.freeBytes() < h.minFree()) {
            return b.down().withData("error", "disk free below collector.disk-min-free").build();
        }
        if (h.tokens() > 0 && h.secondsSinceData() > h.maxSilenceSeconds()) {
            return b.down().withData("error", "no data received for " + h.secondsSinceData() + " s").build();
        }
        return b.up().withData("seconds_since_data", h.secondsSinceData()).build();
    }
}
