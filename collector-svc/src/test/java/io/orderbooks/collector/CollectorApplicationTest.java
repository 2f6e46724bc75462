package io.orderbooks.collector;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.orderbooks.support.testing.MappingKeys;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The application boots with its packaged configuration and answers the probes compose uses honestly. */
@QuarkusTest
class CollectorApplicationTest {
    @Inject
    CollectorLifecycle lifecycle;

    @Test
    void theEffectiveConfigurationNamesEveryKeyOfTheMapping() {
        Map<String, String> effective = lifecycle.effectiveConfig();
        assertThat(effective.keySet())
                .containsAll(MappingKeys.of(CollectorConfig.class))
                .contains("data.dir", "quarkus.rest-client.clob-api.url");
        // The five the hand-kept map it replaces had left out (issue 14).
        assertThat(effective.keySet())
                .contains(
                        "collector.tokens-poll-interval",
                        "collector.status-interval",
                        "collector.ws.custom-feature-enabled",
                        "collector.ws.reconnect-min-backoff",
                        "collector.ws.reconnect-max-backoff");
        assertThat(effective)
                .containsEntry("collector.instance", "test")
                .containsEntry("collector.ws.reconnect-max-backoff", "PT1M")
                .containsEntry("collector.tokens-poll-interval", "PT5S");
    }

    @Test
    void aliveButNotReadyWhileDiscoveryHasPublishedNoTokenList() {
        // The test data dir has no discovery/tokens.json: a collector with nothing to record is not ready.
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("status", is("DOWN"))
                .body(
                        "checks.find { it.name == 'collector' }.data.error",
                        is("waiting for discovery: no tokens.json yet"))
                .body("checks.find { it.name == 'data-dir' }.status", is("UP"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsAreExposedInPrometheusFormat() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
