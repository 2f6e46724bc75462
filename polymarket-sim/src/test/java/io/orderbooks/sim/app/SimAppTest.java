package io.orderbooks.sim.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Quarkus application maps sim.* (src/test/resources/application.properties) and serves on its port. */
@QuarkusTest
class SimAppTest {
    @Inject
    SimApp app;

    @Test
    void appStartsTheSimulatorFromConfiguration() throws Exception {
        assertThat(app.sim()).isNotNull();
        assertThat(app.sim().config().markets()).isEqualTo(12);
        assertThat(app.sim().config().host()).isEqualTo("127.0.0.1");
        assertThat(app.sim().config().rateLimits().book()).isEqualTo(1500);
        assertThat(app.sim().config().faultScript()).isEqualTo("1h drop");
        HttpResponse<String> r = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(app.sim().gammaUrl() + "/markets/keyset?limit=100"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"markets\":[");
    }
}
