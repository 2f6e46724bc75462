package io.orderbooks.shared.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service's packaged jar ({@code target/quarkus-app/quarkus-run.jar} of the module under test) as the container
 * runs it, for the start-up checks of issue 13: it refuses an unwritable data dir with one line and exit code 73, and
 * a clean start logs no WARN or ERROR. The unwritable data dir is real: a root-owned directory (mode 755) and the
 * service run as {@code nobody} (through {@code setpriv}) when the test runs as root, as the container's uid 1000
 * meets a root-owned bind mount; a mode-555 directory when it does not run as root.
 */
public final class PackagedService {
    private PackagedService() {}

    /** How a run ended: its exit code and everything it printed. */
    public record Exit(int code, String output) {
        public List<String> lines(String marker) {
            return output.lines().filter(l -> l.contains(marker)).toList();
        }
    }

    /** {@code base/data}, which the service's user cannot write; {@code base} must be a fresh directory. */
    public static Path unwritableDataDir(Path base) throws IOException {
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = Files.createDirectories(base.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString(root() ? "rwxr-xr-x" : "r-xr-xr-x"));
        return data;
    }

    /**
     * Runs the jar with {@code env} (plus {@code QUARKUS_HTTP_PORT=0}) until it exits, at most 90 s; as {@code nobody}
     * when the test runs as root, so that {@link #unwritableDataDir} is unwritable to it.
     */
    public static Exit runToExit(Map<String, String> env, Path log) throws IOException, InterruptedException {
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
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the service did not exit within 90 s: " + Files.readString(log));
        }
        return new Exit(p.exitValue(), Files.readString(log));
    }

    /**
     * The WARN and ERROR lines (plain-text console format: {@code <date> <time> LEVEL [category] …}) of {@code output}
     * up to and including its first line that contains {@code until}: the start-up window of a test. Fails when no
     * line contains {@code until}, so an empty answer always means a window that was looked at.
     */
    public static List<String> warningsUntil(String output, String until) {
        return warningsUntil(output, until, 1);
    }

    /** As {@link #warningsUntil(String, String)}, up to the {@code occurrence}-th line that contains {@code until}. */
    public static List<String> warningsUntil(String output, String until, int occurrence) {
        List<String> problems = new ArrayList<>();
        int seen = 0;
        for (String line : output.lines().toList()) {
            if (line.matches("^\\S+ \\S+ (WARN|ERROR) .*")) {
                problems.add(line);
            }
            if (line.contains(until) && ++seen == occurrence) {
                return problems;
            }
        }
        throw new AssertionError(occurrence + " lines containing \"" + until + "\" expected; the output:\n" + output);
    }

    /**
     * Starts the jar (as the current user) with {@code env}, its output appended to {@code log}. Vert.x's
     * blocked-thread warning is moved from 2 s to 30 s: it measures the machine (class loading on an event loop of a
     * test machine that runs other builds beside), not the service, and would make a no-WARN check flaky.
     */
    public static Process start(Map<String, String> env, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx256m",
                "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString());
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().put("QUARKUS_VERTX_MAX_EVENT_LOOP_EXECUTE_TIME", "30s");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
