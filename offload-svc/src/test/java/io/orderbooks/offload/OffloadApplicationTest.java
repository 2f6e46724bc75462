package io.orderbooks.offload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.orderbooks.offload.testing.RcloneRcdResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The application boots with its packaged configuration and answers the probes compose uses. */
@QuarkusTest
@WithTestResource(RcloneRcdResource.class)
class OffloadApplicationTest {
    @Test
    void readinessAndLivenessProbesAnswerUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsAreExposedInPrometheusFormat() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
