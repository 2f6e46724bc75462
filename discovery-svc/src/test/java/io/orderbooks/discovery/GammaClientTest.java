package io.orderbooks.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.support.UserAgent;
import org.junit.jupiter.api.Test;

/** Retry-After in both forms is io.orderbooks.support.RetryAfterTest; here, what Gamma is told about us. */
class GammaClientTest {
    @Test
    void theUserAgentSaysWhoWeAreAndThatWeOnlyRead() {
        assertThat(UserAgent.value()).startsWith("orderbooks-discovery/").contains("read-only");
    }
}
