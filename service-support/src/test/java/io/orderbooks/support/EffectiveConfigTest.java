package io.orderbooks.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.support.testing.MappingKeys;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class EffectiveConfigTest {
    @ConfigMapping(prefix = "demo")
    interface Demo {
        @WithDefault("60s")
        Duration snapshotInterval();

        Optional<String> instance();

        @WithDefault("2G")
        MemorySize diskMinFree();

        Optional<String> rclonePass();

        Optional<Path> rclonePassFile();

        Optional<String> apiToken();

        @WithDefault("x")
        String signingKey();

        Group group();

        interface Group {
            @WithName("min-volume-24h")
            OptionalDouble minVolume24h();

            Optional<List<String>> tagIds();

            @WithDefault("5")
            int maxRequestsPerSecond();

            @WithDefault("5")
            int tokensPerFrame();
        }
    }

    static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withMapping(Demo.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build();
    }

    @Test
    void everyKeyOfTheMappingIsThereWithItsTypedValue() {
        SmallRyeConfig c = config(Map.of("demo.group.tag-ids", "1,2", "demo.rclone-pass", "hunter2-secret-value"));
        Map<String, String> m =
                EffectiveConfig.of(Demo.class, c.getConfigMapping(Demo.class)).asMap();

        assertThat(m.keySet()).isEqualTo(MappingKeys.of(Demo.class));
        assertThat(m)
                .containsEntry("demo.snapshot-interval", "PT1M")
                .containsEntry("demo.instance", "(unset)")
                .containsEntry("demo.disk-min-free", "2.00GiB")
                .containsEntry("demo.group.min-volume-24h", "(unset)")
                .containsEntry("demo.group.tag-ids", "1,2")
                .containsEntry("demo.group.max-requests-per-second", "5");
    }

    @Test
    void secretsAreMaskedAndTokenCountsAreNot() {
        SmallRyeConfig c =
                config(Map.of("demo.rclone-pass", "hunter2-secret-value", "demo.rclone-pass-file", "/run/pass"));
        EffectiveConfig e = EffectiveConfig.of(Demo.class, c.getConfigMapping(Demo.class));
        Map<String, String> m = e.asMap();

        assertThat(m)
                .containsEntry("demo.rclone-pass", "(set)")
                .containsEntry("demo.api-token", "(unset)")
                .containsEntry("demo.rclone-pass-file", "/run/pass")
                .containsEntry("demo.group.tokens-per-frame", "5");
        assertThat(m.toString()).doesNotContain("hunter2");
        assertThat(e.secret("demo.signing-key").asMap()).containsEntry("demo.signing-key", "(set)");
    }

    @Test
    void settingsOutsideTheMappingAndResolvedValuesAreAdded() {
        SmallRyeConfig c = config(Map.of());
        Map<String, String> m = EffectiveConfig.of(Demo.class, c.getConfigMapping(Demo.class))
                .with("data.dir", "/data")
                .with("demo.instance", "vps1")
                .asMap();
        assertThat(m).containsEntry("data.dir", "/data").containsEntry("demo.instance", "vps1");
    }

    @Test
    void keysAreNamedAsSmallRyeNamesThem() {
        assertThat(EffectiveConfig.kebab("maxRequestsPerSecond")).isEqualTo("max-requests-per-second");
        assertThat(EffectiveConfig.looksSecret("offload.rclone-pass")).isTrue();
        assertThat(EffectiveConfig.looksSecret("offload.rclone-pass-file")).isFalse();
        assertThat(EffectiveConfig.looksSecret("collector.tokens-poll-interval"))
                .isFalse();
        assertThat(EffectiveConfig.looksSecret("x.password")).isTrue();
    }
}
