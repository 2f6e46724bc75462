package io.orderbooks.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.testing.TempDataDir;
import java.nio.file.Files;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class DataDirReadinessTest {
    @Test
    void upWhenWritableAndAboveTheThreshold() {
        try (TempDataDir t = TempDataDir.create()) {
            HealthCheckResponse r = DataDirReadiness.check(t.dataDir(), 1, "x.disk-min-free");
            assertThat(r.getName()).isEqualTo("data-dir");
            assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            assertThat(r.getData().orElseThrow())
                    .containsEntry("min_free_bytes", 1L)
                    .containsKey("free_bytes")
                    .containsEntry("path", t.root().toString());
        }
    }

    @Test
    void downBelowTheThresholdNamingTheKey() {
        try (TempDataDir t = TempDataDir.create()) {
            HealthCheckResponse r = DataDirReadiness.check(t.dataDir(), Long.MAX_VALUE, "collector.disk-min-free");
            assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(r.getData().orElseThrow()).containsEntry("error", "free space below collector.disk-min-free");
        }
    }

    @Test
    void aThresholdOfZeroIsOff() {
        try (TempDataDir t = TempDataDir.create()) {
            assertThat(DataDirReadiness.check(t.dataDir(), 0, "k").getStatus())
                    .isEqualTo(HealthCheckResponse.Status.UP);
        }
        assertThat(DataDirReadiness.belowMinFree(-1, Long.MAX_VALUE))
                .as("unknown free space")
                .isFalse();
    }

    @Test
    void downWhenTheDirTakesNoWrite() throws Exception {
        try (TempDataDir t = TempDataDir.create()) {
            // A file where the data dir should be: no write can succeed, even as root.
            java.nio.file.Path notADir = Files.writeString(t.root().resolve("file"), "x");
            HealthCheckResponse r = DataDirReadiness.check(DataDir.of(notADir), 0, "k");
            assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(r.getData().orElseThrow()).containsKey("error");
        }
    }

    @Test
    void downWhileStarting() {
        HealthCheckResponse r = DataDirReadiness.check(null, 0, "k");
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData().orElseThrow()).containsEntry("error", "starting");
    }
}
