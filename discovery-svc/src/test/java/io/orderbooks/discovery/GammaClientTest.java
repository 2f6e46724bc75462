package io.orderbooks.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class GammaClientTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        assertThat(GammaClient.retryAfterMs("3", NOW)).isEqualTo(3000);
        assertThat(GammaClient.retryAfterMs(" 0 ", NOW)).isZero();
        assertThat(GammaClient.retryAfterMs("Tue, 24 Nov 2026 12:00:05 GMT", NOW)).isEqualTo(5000);
        assertThat(GammaClient.retryAfterMs("Tue, 24 Nov 2026 11:00:00 GMT", NOW)).as("in the past").isZero();
        assertThat(GammaClient.retryAfterMs(null, NOW)).isZero();
        assertThat(GammaClient.retryAfterMs("soon", NOW)).isZero();
    }

    @Test
    void theUserAgentSaysWhoWeAreAndThatWeOnlyRead() {
        assertThat(UserAgent.value()).startsWith("orderbooks-discovery/").contains("read-only");
    }
}
