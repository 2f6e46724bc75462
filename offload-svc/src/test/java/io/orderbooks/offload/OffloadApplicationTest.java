package io.orderbooks.offload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.offload.testing.RcloneRcdResource;
import io.orderbooks.offload.testing.SampleData;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.records.Json;
import io.orderbooks.support.testing.MappingKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The application as compose runs it: packaged configuration, the fixed config keys pointing at a real rclone rcd,
 * its own run over its data dir, and the probes and metrics an operator reads.
 */
@QuarkusTest
@WithTestResource(RcloneRcdResource.class)
class OffloadApplicationTest {
    @Inject
    OffloadService service;

    @Inject
    OffloadLifecycle lifecycle;

    @Test
    void theEffectiveConfigurationNamesEveryKeyOfTheMappingAndMasksThePassword() {
        Map<String, String> effective = lifecycle.effectiveConfig();
        assertThat(effective.keySet())
                .containsAll(MappingKeys.of(OffloadConfig.class))
                .contains("data.dir");
        assertThat(effective).containsEntry("offload.rclone-pass", "(set)");
        assertThat(effective.toString()).doesNotContain(rcdPassword());
    }

    @Test
    void readinessAndLivenessProbesAnswerUp() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems("rclone", "remote", "offload-backlog", "data-dir"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void theServiceUploadsItsDataDirAndReportsItOnMetricsAndHealth() throws Exception {
        RcloneRcdResource rcd = RcloneRcdResource.current();
        DataDir dir = DataDir.of(rcd.appData());
        List<Path> files = SampleData.hourlyFiles(
                dir,
                StreamName.REST_BOOKS,
                Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS),
                3,
                20);

        RunReport report = service.runOnce().orElseThrow();

        assertThat(report.verified()).isEqualTo(3);
        for (Path f : files) {
            assertThat(rcd.appRemote().resolve(dir.relative(f))).hasSameBinaryContentAs(f);
        }
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics)
                .contains(
                        "offload_files_total{result=\"verified\"} 3.0",
                        "offload_pending 0.0",
                        "offload_oldest_pending_age",
                        "offload_bytes_total");
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'offload-backlog' }.data.files", is(0));

        // One run manifest per process run, with the effective config and no secret.
        try (Stream<Path> runs = Files.list(dir.runsDir(OffloadLifecycle.SERVICE))) {
            JsonNode run = Json.parse(Files.readAllBytes(runs.findFirst().orElseThrow()));
            assertThat(run.get("status").asText()).isEqualTo("running");
            assertThat(run.path("config").path("offload.rclone-url").asText()).isEqualTo(rcd.url());
            assertThat(run.path("config").toString()).doesNotContain(rcdPassword());
        }
    }

    @Test
    void metricsAreExposedInPrometheusFormat() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    private static String rcdPassword() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("offload.rclone-pass", String.class);
    }
}
