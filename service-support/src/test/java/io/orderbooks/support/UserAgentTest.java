package io.orderbooks.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserAgentTest {
    @Test
    void namesTheServiceItsVersionAndThatItOnlyReads() {
        assertThat(UserAgent.of("collector-svc", "0.1.0"))
                .isEqualTo("orderbooks-collector/0.1.0 (+read-only market-data recorder)");
        assertThat(UserAgent.of("discovery-svc", "0.1.0-SNAPSHOT")).startsWith("orderbooks-discovery/0.1.0-SNAPSHOT ");
    }

    @Test
    void aMissingVersionIsSaidAndTheAgentStaysOneToken() {
        assertThat(UserAgent.of("offload-svc", null)).startsWith("orderbooks-offload/unknown (");
        assertThat(UserAgent.of("Odd Name", "1 2")).startsWith("orderbooks-odd-name/1_2 (");
    }
}
