package io.orderbooks.sim.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No WARN at a clean start of the simulator's image (issue 13): Quarkus warns about every {@code -Dquarkus.*} system
 * property no extension of the app recognises, and this app has no Quarkus HTTP server, so the image must not pass
 * {@code -Dquarkus.http.host}. It sets the environment variable {@code QUARKUS_HTTP_HOST} instead, which Quarkus does
 * not warn about and {@link SimSettings#host()} follows. The Dockerfiles are this module's own files.
 */
class ContainerImageTest {
    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native"})
    void theImageBindsAllInterfacesThroughTheEnvironmentNotAnUnrecognisedSystemProperty(String name)
            throws IOException {
        String dockerfile = Files.readString(Path.of("src/main/docker", name));
        String entrypoint = dockerfile
                .lines()
                .filter(l -> l.startsWith("ENTRYPOINT"))
                .findFirst()
                .orElseThrow();
        assertThat(entrypoint).doesNotContain("-Dquarkus.");
        assertThat(dockerfile).containsPattern("(?m)^\\s+QUARKUS_HTTP_HOST=0\\.0\\.0\\.0 \\\\$");
    }
}
