package io.orderbooks.shared.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.Eventually;
import io.orderbooks.shared.testing.GzipTools;
import io.orderbooks.shared.testing.TempDataDir;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real crash: a child JVM writes records at a steady rate and is killed with SIGKILL mid-file. Recovery must
 * then produce closed files holding every record written well before the kill, with no duplicated or torn line, and
 * the standard gzip tools must accept every closed file. A killed process keeps what it handed to the kernel, so
 * what it may lose is bounded by {@code readable-within}, not by the fsync interval (that one bounds a crash of the
 * machine, which a test cannot stage).
 */
class CrashRecoveryTest {
    /** Generous against scheduling delay on a loaded machine; both bounds under test are far smaller. */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private final TempDataDir temp = TempDataDir.create();
    private final DataDir dir = temp.dataDir();

    @AfterEach
    void cleanUp() {
        temp.close();
    }

    @Test
    void killMinus9MidHourWithTheDefaultsLosesOnlyTheLastMoments() throws Exception {
        crashAndRecover(WriterConfig.DEFAULT_FLUSH_INTERVAL, WriterConfig.DEFAULT_READABLE_WITHIN);
    }

    @Test
    void whatAKilledProcessKeepsDoesNotDependOnFsync() throws Exception {
        // No fsync for 10 minutes: everything recovered below reached the file through the SYNC_FLUSH ticks alone.
        crashAndRecover(Duration.ofMinutes(10), WriterConfig.DEFAULT_READABLE_WITHIN);
    }

    private void crashAndRecover(Duration flush, Duration readableWithin) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        javaBin,
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashWriterMain.class.getName(),
                        dir.root().toString(),
                        "2000",
                        String.valueOf(flush.toMillis()),
                        String.valueOf(readableWithin.toMillis()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        ConcurrentHashMap<Long, Long> reportedAt = new ConcurrentHashMap<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("w ")) {
                        reportedAt.put(Long.parseLong(line.substring(2)), System.nanoTime());
                    }
                }
            } catch (java.io.IOException ignored) {
                // the pipe breaks when the child dies
            }
        });
        pump.start();
        Eventually.until("the child started writing", () -> !reportedAt.isEmpty());
        Thread.sleep(2500 + ThreadLocalRandom.current().nextInt(1500));

        long killedAt = System.nanoTime();
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, no flush
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        pump.join(10_000);
        assertThat(child.exitValue()).isEqualTo(137);

        DataDirReader reader = new DataDirReader(dir);
        assertThat(reader.openFiles(StreamName.WS_MARKET))
                .as("the kill left an .open file")
                .isNotEmpty();
        InstanceId instance = InstanceId.of("crash");
        Recovery.Report report = Recovery.run(
                dir,
                instance,
                List.of(StreamName.WS_MARKET),
                new WriterInfo("crash-test", "test", instance, "recovery-run"),
                Clock.systemUTC());
        assertThat(report.actions()).extracting(Recovery.Action::action).contains("salvaged");
        assertThat(reader.openFiles(StreamName.WS_MARKET)).isEmpty();

        List<JsonNode> records = reader.records(StreamName.WS_MARKET); // parses every line: none is torn
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).get("seq").asLong())
                    .as("record %d: contiguous, no duplicate", i)
                    .isEqualTo(i);
        }
        Set<Long> kept = ConcurrentHashMap.newKeySet();
        records.forEach(r -> kept.add(r.get("seq").asLong()));
        long mustHave = reportedAt.entrySet().stream()
                .filter(e -> e.getValue() < killedAt - MARGIN.toNanos())
                .mapToLong(java.util.Map.Entry::getKey)
                .max()
                .orElse(-1);
        assertThat(mustHave)
                .as("records were written over a second before the kill")
                .isGreaterThan(1000);
        assertThat(records.size() - 1L)
                .as("last kept seq covers every record reported over %s before the kill", MARGIN)
                .isGreaterThanOrEqualTo(mustHave);
        long reported =
                reportedAt.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(records.size() - 1L).isLessThanOrEqualTo(reported + 1);

        for (Path f : reader.closedFiles(StreamName.WS_MARKET)) {
            assertThat(GzipTools.gzipTest(f).exit()).as("gzip -t " + f).isZero();
            assertThat(GzipTools.zcat(f).exit()).isZero();
        }
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
        FileManifest last =
                reader.manifest(reader.closedFiles(StreamName.WS_MARKET).getLast());
        assertThat(last.recovered()).isTrue();
        assertThat(last.recovery().quarantinedAs()).startsWith("quarantine/raw/ws_market/");
        assertThat(Files.exists(dir.root().resolve(last.recovery().quarantinedAs())))
                .isTrue();
        // The manifest names both runs: the recovering one as its writer, the killed one as the writer of its lines.
        JsonNode manifestJson = Json.parse(Files.readAllBytes(dir.root().resolve(last.file() + ".manifest.json")));
        assertThat(manifestJson.path("writer").path("run_id").asText()).isEqualTo("recovery-run");
        assertThat(manifestJson.path("recovery").path("writer_run_id").asText(null))
                .as("the run that wrote the recovered lines")
                .isEqualTo("child-run");

        // The next start of the same instance finds nothing more to do.
        assertThat(Recovery.run(
                                dir,
                                instance,
                                List.of(StreamName.WS_MARKET),
                                new WriterInfo("crash-test", "test", instance, "again"),
                                Clock.systemUTC())
                        .isEmpty())
                .isTrue();
        System.out.printf(
                "crash test (flush %s, readable-within %s): %d records kept, %d reported written, %d dropped lines%n",
                flush, readableWithin, records.size(), reported + 1, report.droppedLines());
    }
}
