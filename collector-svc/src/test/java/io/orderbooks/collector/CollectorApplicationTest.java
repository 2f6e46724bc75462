package io.orderbooks.collector;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The application boots with its packaged configuration and answers the probes compose uses honestly. */
@QuarkusTest
class CollectorApplicationTest {
    @Test
    void aliveButNotReadyWhileDiscoveryHasPublishedNoTokenList() {
        // The test data dir has no discovery/tokens.json: a collector with nothing to record is not ready.
        given().when().get("/q/health/ready").then().statusCode(503).body("status", is("DOWN"))
                .body("checks[0].data.error", is("waiting for discovery: no tokens.json yet"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsAreExposedInPrometheusFormat() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
