package io.orderbooks.shared.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.MutableClock;
import io.orderbooks.shared.testing.TempDataDir;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunManifestTest {
    private final TempDataDir temp = TempDataDir.create();
    private final DataDir dir = temp.dataDir();
    private final MutableClock clock = MutableClock.at("2026-11-24T12:00:00Z");
    private final InstanceId vps1 = InstanceId.of("vps1");

    @AfterEach
    void cleanUp() {
        temp.close();
    }

    private JsonNode read(RunManifest run) throws Exception {
        return Json.parse(Files.readAllBytes(dir.runManifest("collector-svc", run.runId())));
    }

    @Test
    void aCleanRunEndsWithShutdownAndItsFilesAndCounters() throws Exception {
        RunManifest run =
                RunManifest.start(dir, "collector-svc", vps1, "0.1.0", Map.of("collector.shard", "0/1"), clock);
        assertThat(run.runId()).startsWith("20261124T120000Z-vps1-");
        assertThat(read(run).get("status").asText()).isEqualTo("running");
        run.fileClosed("raw/ws_market/a.jsonl.gz");
        run.counter("frames", 42);
        clock.advance(Duration.ofMinutes(3));
        run.finish("shutdown");
        JsonNode n = read(run);
        assertThat(n.get("status").asText()).isEqualTo("ended");
        assertThat(n.get("exit_reason").asText()).isEqualTo("shutdown");
        assertThat(n.get("stopped_at").asText()).isEqualTo("2026-11-24T12:03:00Z");
        assertThat(n.get("files_closed").get(0).asText()).isEqualTo("raw/ws_market/a.jsonl.gz");
        assertThat(n.get("counters").get("frames").asLong()).isEqualTo(42);
        assertThat(n.get("config").get("collector.shard").asText()).isEqualTo("0/1");
    }

    @Test
    void histogramsAreWrittenOnlyOnceSetAndReplacedByName() throws Exception {
        RunManifest run = RunManifest.start(dir, "collector-svc", vps1, "0.1.0", Map.of(), clock);
        assertThat(read(run).has("histograms")).isFalse();
        run.histogram("markets_by_version", Map.of("v1", 2200L, "v2", 750L, "missing", 30L));
        run.histogram("tokens_by_protocol", Map.of("v1", 4400L, "v2", 1500L));
        run.checkpoint();
        run.histogram("markets_by_version", Map.of("v1", 2190L, "v2", 760L));
        run.finish("shutdown");
        JsonNode h = read(run).get("histograms");
        assertThat(h.get("markets_by_version").get("v1").asLong()).isEqualTo(2190);
        assertThat(h.get("markets_by_version").get("v2").asLong()).isEqualTo(760);
        assertThat(h.get("markets_by_version").has("missing")).isFalse();
        assertThat(h.get("tokens_by_protocol").get("v2").asLong()).isEqualTo(1500);
    }

    @Test
    void aRunThatNeverFinishedIsMarkedCrashRecoveredByTheNextOne() throws Exception {
        RunManifest crashed = RunManifest.start(dir, "collector-svc", vps1, "0.1.0", Map.of(), clock);
        RunManifest otherInstance =
                RunManifest.start(dir, "collector-svc", InstanceId.of("vps2"), "0.1.0", Map.of(), clock);
        clock.advance(Duration.ofMinutes(1));
        RunManifest next = RunManifest.start(dir, "collector-svc", vps1, "0.1.0", Map.of(), clock);
        assertThat(read(crashed).get("exit_reason").asText()).isEqualTo("crash-recovered");
        assertThat(read(otherInstance).get("status").asText()).isEqualTo("running");
        assertThat(read(next).get("previous_runs_crash_recovered").get(0).asText())
                .isEqualTo(crashed.runId());
    }

    @Test
    void everyRunOfAnInstanceGetsItsOwnToken() throws Exception {
        java.util.Set<String> tokens = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            RunManifest run = RunManifest.start(dir, "collector-svc", vps1, "0.1.0", Map.of(), clock);
            assertThat(run.runToken()).matches("[0-9a-f]{4}");
            assertThat(run.runId()).endsWith("-vps1-" + run.runToken());
            assertThat(tokens.add(run.runToken()))
                    .as("token %s is new", run.runToken())
                    .isTrue();
            run.finish("shutdown");
        }
        assertThat(RunManifest.usedTokens(dir, "collector-svc", vps1)).isEqualTo(tokens);
        // A random source that repeats itself: the used token is rolled again.
        java.util.Iterator<Integer> rolls =
                java.util.List.of(0x3f2a, 0x3f2a, 0x0b17).iterator();
        assertThat(RunManifest.freeToken(java.util.Set.of("3f2a"), rolls::next)).isEqualTo("0b17");
    }
}
