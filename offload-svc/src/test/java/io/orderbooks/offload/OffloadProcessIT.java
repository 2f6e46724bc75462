package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.offload.testing.RcloneProcess;
import io.orderbooks.shared.testing.Eventually;
import io.orderbooks.shared.testing.PackagedService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * offload-svc as the container runs it (the packaged jar, configured by environment) refusing to start, each time
 * with one clear line and a non-zero exit code, so a restart loop is visible (issue 13 item 4 and item 8). The
 * unwritable data dir is real: a root-owned directory (mode 755) and the service run as another user ({@code nobody},
 * through {@code setpriv}) when the test runs as root, as the container's uid 1000 meets a root-owned bind mount; a
 * mode-555 directory when it does not run as root.
 */
@Tag("process")
class OffloadProcessIT {
    private Path base;

    @BeforeEach
    void setUp() throws IOException {
        base = Files.createTempDirectory("offload-exit-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(base)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aDataDirItCannotWriteEndsTheServiceWithOneLineAndExitCode73() throws Exception {
        Path data = Files.createDirectories(base.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString(root() ? "rwxr-xr-x" : "r-xr-xr-x"));
        Result r = run(data, Map.of("OFFLOAD_RCLONE_PASS", "a-real-secret-4f1c"));
        assertThat(r.exit()).as(r.output()).isEqualTo(73);
        assertThat(r.lines("FATAL"))
                .as(r.output())
                .singleElement()
                .asString()
                .contains(
                        "offload-svc cannot start",
                        "data dir " + data,
                        "not writable",
                        "exiting with code 73",
                        "chown");
        assertThat(r.output()).doesNotContain("\tat ");
        assertThat(data.toFile().list()).isEmpty();
    }

    /**
     * The placeholder rc password refused with one line and exit code 78, given as compose gives it: compose passes
     * RCLONE_RC_PASS through as an empty OFFLOAD_RCLONE_PASS, which SmallRye reads as unset (it once failed the whole
     * configuration), and the password file holds the placeholder. One JVM covers both the refusal and the empty
     * value (they were two process tests of the same start); the placeholder given directly is OffloadGuardsTest's.
     */
    @Test
    void thePlaceholderRcPasswordFromThePasswordFileEndsTheServiceWithOneLineAndExitCode78() throws Exception {
        Path data = Files.createDirectories(base.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path pass = Files.writeString(base.resolve("pass"), "change-me\n");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r--r--"));
        Result r = run(data, Map.of("OFFLOAD_RCLONE_PASS", "", "OFFLOAD_RCLONE_PASS_FILE", pass.toString()));
        assertThat(r.exit()).as(r.output()).isEqualTo(78);
        assertThat(r.output()).doesNotContain("SRCFG");
        assertThat(r.lines("FATAL"))
                .as(r.output())
                .singleElement()
                .asString()
                .contains("offload-svc cannot start", "RCLONE_RC_PASS", "placeholder", "exiting with code 78");
        assertThat(r.output()).doesNotContain("\tat ");
    }

    /**
     * Issue 13 "quiet logs": a clean start against a real {@code rclone rcd} (a local-disk remote) logs no WARN and no
     * ERROR from the launch up to its first run's summary line ({@code offload run:}; the configuration block, rclone's
     * version, the remote listed, the first run), while readiness is probed as Docker's healthcheck does.
     */
    @Test
    void aCleanStartLogsNoWarningUpToItsFirstRunLine() throws Exception {
        Path data = Files.createDirectories(base.resolve("data"));
        Path remote = Files.createDirectories(base.resolve("remote"));
        int rcPort = RcloneProcess.freePort();
        int httpPort = RcloneProcess.freePort();
        String pass = "a-real-secret-4f1c";
        try (RcloneProcess rcd = startRcd(rcPort, pass)) {
            Path log = base.resolve("clean.log");
            Process p = PackagedService.start(
                    Map.of(
                            "DATA_DIR",
                            data.toString(),
                            "QUARKUS_HTTP_PORT",
                            Integer.toString(httpPort),
                            "OFFLOAD_RCLONE_URL",
                            "http://127.0.0.1:" + rcPort,
                            "OFFLOAD_RCLONE_USER",
                            "it",
                            "OFFLOAD_RCLONE_PASS",
                            pass,
                            "OFFLOAD_REMOTE",
                            "testdisk:" + remote,
                            "OFFLOAD_INITIAL_DELAY",
                            "1s",
                            "OFFLOAD_INSTANCE",
                            "it"),
                    log);
            try {
                HttpClient http = HttpClient.newHttpClient();
                // The first run is due 1 s after the scheduler starts, possibly before the lifecycle has built the
                // offloader on a loaded machine: it waits for the start (StartGate) instead of being skipped for the
                // 5 min interval, which once left this test without a first run line.
                Eventually.untilProcess(p, log, Duration.ofSeconds(90), () -> {
                    try {
                        http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                    } catch (IOException notListeningYet) {
                        // the probe is only there to exercise the health logging during the start
                    }
                    return Files.readString(log).contains("offload run: ");
                });
                String stdout = Files.readString(log);
                assertThat(PackagedService.warningsUntil(stdout, "offload run: "))
                        .as(stdout)
                        .isEmpty();
                assertThat(stdout)
                        .as("SmallRye's per-probe health report is silenced")
                        .doesNotContain("SRHCK01001");
            } finally {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * Drain mode as the Kubernetes drain Job runs it (deploy/kubernetes/drain/): the packaged jar with
     * {@code OFFLOAD_DRAIN=true} against a real {@code rclone rcd} over a volume a replica left (closed files, and an
     * {@code .open} file its crash left): it recovers, uploads and verifies everything, writes its verdict, and exits
     * by itself with code 0. Run again on the drained volume, it finds nothing to do and exits 0 again.
     */
    @Test
    void aDrainEmptiesTheVolumeIntoTheRemoteWritesItsVerdictAndExitsZero() throws Exception {
        Path data = Files.createDirectories(base.resolve("data"));
        Path remote = Files.createDirectories(base.resolve("remote"));
        io.orderbooks.shared.layout.DataDir dir = io.orderbooks.shared.layout.DataDir.of(data.toString());
        java.time.Instant hour = java.time.Instant.now()
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                .minus(Duration.ofHours(3));
        Path kept = io.orderbooks.offload.testing.SampleData.closedFile(
                dir, io.orderbooks.shared.layout.StreamName.WS_MARKET, hour, 100);
        Path crashed = io.orderbooks.offload.testing.SampleData.closedFile(
                dir, io.orderbooks.shared.layout.StreamName.REST_BOOKS, hour, 100);
        var id = io.orderbooks.shared.layout.RawFile.parse(crashed);
        Files.move(crashed, dir.openPath(id));
        Files.delete(dir.manifestPath(id));
        String pass = "a-real-secret-4f1c";
        int rcPort = RcloneProcess.freePort();
        try (RcloneProcess rcd = startRcd(rcPort, pass)) {
            Map<String, String> env = Map.of(
                    "DATA_DIR",
                    data.toString(),
                    "QUARKUS_HTTP_PORT",
                    "0",
                    "OFFLOAD_RCLONE_URL",
                    "http://127.0.0.1:" + rcPort,
                    "OFFLOAD_RCLONE_USER",
                    "it",
                    "OFFLOAD_RCLONE_PASS",
                    pass,
                    "OFFLOAD_REMOTE",
                    "testdisk:" + remote,
                    "OFFLOAD_INSTANCE", // the replica whose files these are (SampleData)
                    "vps1",
                    "OFFLOAD_DRAIN",
                    "true");
            Result first = runToExit(env, base.resolve("drain1.log"));
            assertThat(first.exit()).as(first.output()).isZero();
            assertThat(first.lines("offload drain: "))
                    .as(first.output())
                    .singleElement()
                    .asString()
                    .contains("outcome=drained", "verified=2", "recovered=1", "left=0");
            assertThat(remote.resolve(dir.relative(kept))).hasSameBinaryContentAs(kept);
            assertThat(remote.resolve(dir.relative(crashed))).hasSameBinaryContentAs(crashed);
            assertThat(remote.resolve(dir.relative(dir.manifestPath(id)))).exists();
            Path verdict;
            try (Stream<Path> files = Files.list(data.resolve("offload"))) {
                verdict = files.filter(f -> f.getFileName().toString().startsWith("drain-"))
                        .findFirst()
                        .orElseThrow();
            }
            assertThat(Files.readString(verdict)).contains("\"outcome\" : \"drained\"", "\"exit_code\" : 0");
            try (Stream<Path> runs = Files.walk(data.resolve("runs"))) {
                assertThat(runs.filter(Files::isRegularFile).map(f -> {
                            try {
                                return Files.readString(f);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }))
                        .anySatisfy(m -> assertThat(m).contains("drain-drained"));
            }

            Result again = runToExit(env, base.resolve("drain2.log"));
            assertThat(again.exit()).as(again.output()).isZero();
            assertThat(again.lines("offload drain: "))
                    .singleElement()
                    .asString()
                    .contains("outcome=drained", "verified=0", "recovered=0");
        }
    }

    /**
     * One offloader per data dir: while another process holds {@code offload/.lock} (the replica's own offload-svc
     * when a drain is started too early), a second one refuses with one line and exit code 75.
     */
    @Test
    void aSecondOffloadOnTheSameDataDirIsRefusedWithExitCode75() throws Exception {
        Path data = Files.createDirectories(base.resolve("data"));
        Path offload = Files.createDirectories(data.resolve("offload"));
        Path lockFile = offload.resolve(".lock");
        Files.createFile(lockFile);
        for (Path p : List.of(data, offload, lockFile)) {
            Files.setPosixFilePermissions(
                    p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
        }
        try (var ch = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.WRITE);
                var held = ch.lock()) {
            assertThat(held.isValid()).isTrue();
            Result r = run(data, Map.of("OFFLOAD_RCLONE_PASS", "a-real-secret-4f1c", "OFFLOAD_DRAIN", "true"));
            assertThat(r.exit()).as(r.output()).isEqualTo(75);
            assertThat(r.lines("FATAL"))
                    .as(r.output())
                    .singleElement()
                    .asString()
                    .contains("another offload-svc runs on data dir", "offload/.lock", "exiting with code 75");
            assertThat(r.output()).doesNotContain("\tat ");
        }
    }

    private RcloneProcess startRcd(int rcPort, String pass) throws IOException {
        Files.writeString(base.resolve("rclone.conf"), "[testdisk]\ntype = local\n");
        return RcloneProcess.start(
                rcPort,
                base.resolve("rcd.log"),
                "rcd",
                "--rc-addr",
                "127.0.0.1:" + rcPort,
                "--rc-user",
                "it",
                "--rc-pass",
                pass,
                "--config",
                base.resolve("rclone.conf").toString(),
                "--cache-dir",
                base.resolve("cache").toString());
    }

    private Result runToExit(Map<String, String> env, Path log) throws Exception {
        Process p = PackagedService.start(env, log);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("offload-svc did not exit within 180 s: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    private record Result(int exit, String output) {
        List<String> lines(String marker) {
            return output.lines().filter(l -> l.contains(marker)).toList();
        }
    }

    private Result run(Path data, Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        if (root()) {
            cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        cmd.addAll(List.of(
                java,
                "-Xmx128m",
                "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString()));
        Path log = base.resolve("stdout.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DATA_DIR", data.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().put("OFFLOAD_RCLONE_URL", "http://127.0.0.1:9"); // never reached: the service stops before
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("offload-svc did not exit within 90 s: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
