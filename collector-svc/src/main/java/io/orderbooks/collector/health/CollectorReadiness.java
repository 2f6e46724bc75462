package io.orderbooks.collector.health;

import io.orderbooks.collector.CollectorLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready = started, tokens.json present and a token
 * tracked from it, no connection with assets silent for longer than {@code collector.ws.stale-after}, and — while
 * tokens are tracked — data (a websocket frame or a REST book) received recently. A collector that records nothing,
 * or only part of its tokens, is not ready (docs/COLLECTOR.md, Health). Tokens and output are reported. The data dir
 * (writable, above {@code collector.disk-min-free}) is the {@code data-dir} check, {@link DataDirReadinessCheck}.
 */
@Readiness
@ApplicationScoped
public class CollectorReadiness implements HealthCheck {
    @Inject
    CollectorLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        CollectorLifecycle.Health h = lifecycle.health();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("collector")
                .withData("tokens", h.tokens())
                .withData("tokens_skipped", h.tokensSkipped())
                .withData("lines_written", h.linesWritten())
                .withData("disk_free_bytes", h.freeBytes());
        if (h.tokensProblem() != null) {
            b.withData("tokens_problem", h.tokensProblem());
        }
        if (!h.started()) {
            return b.down().withData("error", "starting").build();
        }
        if (h.tokens() == 0 && !h.tokensFileExists()) {
            // Nothing to record yet: not ready, so a stack whose discovery never publishes is seen (compose:
            // unhealthy).
            return b.down()
                    .withData("error", "waiting for discovery: no tokens.json yet")
                    .build();
        }
        if (h.tokens() == 0) {
            return b.down()
                    .withData(
                            "error",
                            "tracking no token although tokens.json exists"
                                    + (h.tokensProblem() != null
                                            ? " (" + h.tokensProblem() + ")"
                                            : h.tokensSkipped() > 0
                                                    ? " (" + h.tokensSkipped() + " entries skipped as invalid)"
                                                    : " (none for this shard)"))
                    .build();
        }
        if (!h.silentConnections().isEmpty()) {
            return b.down()
                    .withData(
                            "error",
                            "no websocket data for longer than stale-after on "
                                    + h.silentConnections().size() + " connection(s) with assets")
                    .withData("silent_connections", String.join(",", h.silentConnections()))
                    .build();
        }
        if (h.tokens() > 0 && h.secondsSinceData() > h.maxSilenceSeconds()) {
            return b.down()
                    .withData("error", "no data received for " + h.secondsSinceData() + " s")
                    .build();
        }
        return b.up().withData("seconds_since_data", h.secondsSinceData()).build();
    }
}
