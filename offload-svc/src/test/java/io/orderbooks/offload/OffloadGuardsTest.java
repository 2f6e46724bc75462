package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rc password (placeholder, generated file) and the disk forecast's arithmetic (plain unit tests). */
class OffloadGuardsTest {
    @Test
    void thePlaceholderRcPasswordOfEnvExampleIsRefused() {
        assertThat(RcPassword.problem("change-me"))
                .get()
                .asString()
                .contains("RCLONE_RC_PASS", "placeholder", "openssl rand");
        assertThat(RcPassword.problem(" Change-Me ")).isPresent();
        assertThat(RcPassword.problem("3f9c1a7e55d04b2a9e1f0c6d8b7a2e41")).isEmpty();
    }

    @Test
    void anEmptyPasswordIsReadFromTheGeneratedFileWhichMustExistAndHoldOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pass");
        Files.writeString(file, "9b2f0c4d1e7a6b3c5d8e0f1a2b3c4d5e\n");
        RcPassword.Resolved fromFile = RcPassword.resolve("", Optional.of(file));
        assertThat(fromFile.problem()).isEmpty();
        assertThat(fromFile.password()).isEqualTo("9b2f0c4d1e7a6b3c5d8e0f1a2b3c4d5e");
        assertThat(fromFile.describe(Optional.of(file), ""))
                .isEqualTo("(from " + file + ")")
                .doesNotContain("9b2f");
        // The configured password wins over the file.
        assertThat(RcPassword.resolve("own-secret-1", Optional.of(file)).password())
                .isEqualTo("own-secret-1");
        // A placeholder is refused wherever it comes from.
        Files.writeString(file, "change-me\n");
        assertThat(RcPassword.resolve("", Optional.of(file)).problem())
                .get()
                .asString()
                .contains("placeholder");
        Files.writeString(file, "");
        assertThat(RcPassword.resolve("", Optional.of(file)).problem())
                .get()
                .asString()
                .contains("is empty");
        assertThat(RcPassword.resolve("", Optional.of(dir.resolve("absent"))).problem())
                .get()
                .asString()
                .contains("cannot be read", "NoSuchFileException", "init service");
        // Nothing configured at all: empty, for an `rclone rcd --rc-no-auth` started by hand.
        assertThat(RcPassword.resolve("", Optional.empty())).isEqualTo(new RcPassword.Resolved("", Optional.empty()));
    }

    @Test
    void theDiskForecastAddsRetentionsDeletionsBackAndSaysWhenTheDiskIsFull() {
        DiskForecast f = new DiskForecast();
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        long gib = 1L << 30;
        assertThat(f.sample(t0, 100 * gib).describe()).contains("disk_full_in=unknown");
        // 10 minutes later: the writers used 2 GiB, retention freed 1 GiB of it, so free fell by only 1 GiB.
        f.freed(gib);
        DiskForecast.Estimate e = f.sample(t0.plus(Duration.ofMinutes(10)), 99 * gib);
        assertThat(e.bytesPerHour()).isEqualTo(12 * gib);
        assertThat(e.fullIn()).isEqualTo(Duration.ofSeconds((long) (99.0 / 12 * 3600)));
        assertThat(e.describe()).isEqualTo("disk_free=99.00GiB disk_use_rate=12.00GiB/h disk_full_in=8.3h");
        // Free space growing: not filling.
        assertThat(f.sample(t0.plus(Duration.ofMinutes(20)), 200 * gib).describe())
                .endsWith("disk_full_in=never");
    }
}
