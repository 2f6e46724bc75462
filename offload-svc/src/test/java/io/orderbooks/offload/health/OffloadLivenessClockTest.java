package io.orderbooks.offload.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.offload.OffloadConfig;
import io.orderbooks.offload.OffloadService;
import io.orderbooks.shared.testing.MutableClock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * The loop's liveness is measured on the injected {@link java.time.Clock}: a test moves time past three intervals
 * instead of waiting (before, the check read {@code Instant.now()}).
 */
class OffloadLivenessClockTest {
    static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void deadWhenNoRunStartedWithinThreeIntervalsAfterTheInitialDelay() {
        MutableClock clock = new MutableClock(T0);
        OffloadLivenessCheck check = new OffloadLivenessCheck();
        check.clock = clock;
        check.config = config(Duration.ofMinutes(5), Duration.ofSeconds(20));
        check.service = new OffloadService() {
            @Override
            public Optional<Instant> lastRunStarted() {
                return Optional.empty();
            }

            @Override
            public Instant startedAt() {
                return T0;
            }

            @Override
            public boolean running() {
                return false;
            }
        };

        clock.advance(Duration.ofMinutes(15).plusSeconds(20));
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        clock.advance(Duration.ofSeconds(1));
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    /** Only the two keys the check reads. */
    static OffloadConfig config(Duration interval, Duration initialDelay) {
        return (OffloadConfig) Proxy.newProxyInstance(
                OffloadConfig.class.getClassLoader(),
                new Class<?>[] {OffloadConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "interval" -> interval;
                    case "initialDelay" -> initialDelay;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
