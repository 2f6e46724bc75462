package io.orderbooks.report;

import static io.orderbooks.report.Fixture.us;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.shared.records.Json;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged command as an operator runs it ({@code java -jar report/target/quarkus-app/quarkus-run.jar}): Quarkus
 * starts, stdout carries the report and nothing else, and the exit codes are 0, 1 and 2.
 */
class ReportJarIT {
    record Run(int code, String out, String err) {}

    private static Run run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DATA_DIR");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("report-out", ".txt");
        Path err = Files.createTempFile("report-err", ".txt");
        try {
            Process p =
                    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("report did not finish within 120 s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void aUsageErrorExitsTwoWithAMessageOnStderrOnly() throws Exception {
        Run r = run(Map.of(), "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("report: unknown argument: --bogus", "usage:");
    }

    @Test
    void stdoutIsTheReportAndTheExitCodeSaysWhetherFilesAreIntact() throws Exception {
        try (Fixture f = new Fixture()) {
            try (Fixture.Writer ws = f.ws()) {
                ws.connected(us(1), "ws-00.0").frames("ws-00.0", 0, 999, us(2), 1);
            }
            Run clean = run(Map.of("DATA_DIR", f.root().toString()));
            assertThat(clean.code()).as(clean.err()).isZero();
            assertThat(clean.out())
                    .startsWith("orderbooks data quality report (orderbooks.quality-report/1)\n")
                    .contains("verdict              OK: 1 closed file intact");
            assertThat(clean.out()).doesNotContain("INFO", "WARN", "Quarkus", "__  ____");

            Path file =
                    f.root().resolve("raw/ws_market/dt=2026-11-24/hour=10/ws_market-20261124T10Z-vps1-0001.jsonl.gz");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(Files.size(file) - 100);
            }
            Path json = f.root().resolve("report.json");
            Run damaged = run(Map.of(), "--data-dir", f.root().toString(), "--json", json.toString());
            assertThat(damaged.code()).isEqualTo(1);
            assertThat(damaged.out()).contains("gzip-truncated  raw/ws_market/dt=2026-11-24/hour=10/");
            assertThat(Json.parse(Files.readAllBytes(json))
                            .path("summary")
                            .path("integrity_problems")
                            .asLong())
                    .isEqualTo(1);
        }
    }

    @Test
    void helpGoesToStdout() throws Exception {
        Run r = run(Map.of(), "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("usage:");
        assertThat(r.err()).doesNotContain("report:");
    }
}
