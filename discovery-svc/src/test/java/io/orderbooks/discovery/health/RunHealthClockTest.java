package io.orderbooks.discovery.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.discovery.DiscoveryService;
import io.orderbooks.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The run checks' ages come from the injected {@link java.time.Clock}, so a test moves time instead of waiting three
 * discovery intervals (before, they read {@code Instant.now()} and this could not be tested).
 */
class RunHealthClockTest {
    static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
    static final Duration INTERVAL = Duration.ofMinutes(10);

    static DiscoveryService serviceWith(DiscoveryService.Health health) {
        return new DiscoveryService() {
            @Override
            public Health health() {
                return health;
            }
        };
    }

    @Test
    void readinessGoesDownWhenTheLastSuccessIsOlderThanThreeIntervals() {
        MutableClock clock = new MutableClock(T0);
        RunReadiness check = new RunReadiness();
        check.clock = clock;
        check.service = serviceWith(new DiscoveryService.Health(true, T0, null, null, INTERVAL, 5, null));

        clock.advance(INTERVAL.multipliedBy(3));
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        clock.advance(Duration.ofSeconds(1));
        HealthCheckResponse r = check.call();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData().orElseThrow().get("error").toString()).contains("1801 s ago", "more than 3 intervals");
    }

    @Test
    void livenessGoesDownWhenOneRunTakesLongerThanThreeIntervals() {
        MutableClock clock = new MutableClock(T0);
        RunLiveness check = new RunLiveness();
        check.clock = clock;
        check.service = serviceWith(new DiscoveryService.Health(true, null, null, T0, INTERVAL, 0, null));

        clock.advance(Duration.ofMinutes(29));
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        clock.advance(Duration.ofMinutes(2));
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }
}
