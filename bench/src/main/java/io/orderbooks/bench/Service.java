package io.orderbooks.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service jar run as an operator runs it (its own JVM, configured by environment variables), optionally pinned
 * to one CPU with {@code taskset}, and observed from outside: CPU time from {@code /proc/<pid>/stat}, resident
 * memory from {@code /proc/<pid>/status}, metrics and health over HTTP on loopback.
 */
final class Service implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    /** Linux reports CPU time in clock ticks; USER_HZ is 100 on every mainstream kernel config. */
    private static final double TICKS_PER_SECOND = 100.0;

    final String name;
    final int httpPort;
    final Path log;
    private final Process process;
    final long startedNanos;

    private Service(String name, int httpPort, Path log, Process process, long startedNanos) {
        this.name = name;
        this.httpPort = httpPort;
        this.log = log;
        this.process = process;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts {@code <module>/target/quarkus-app/quarkus-run.jar} with the given heap (as the container's
     * MaxRAMPercentage=50 of its mem_limit gives) and environment; {@code cpu} >= 0 pins it to that CPU.
     */
    static Service start(Path repo, String module, String xmx, int cpu, Map<String, String> env, Path log)
            throws IOException {
        Path jar = jar(repo, module);
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        if (cpu >= 0 && Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            cmd.addAll(List.of("/usr/bin/taskset", "-c", String.valueOf(cpu)));
        }
        cmd.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx,
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"));
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null) {
            // Profiling on request: one recording per service process, sampled every 10 ms (settings=profile).
            Files.createDirectories(Path.of(jfr));
            cmd.add("-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of(jfr).toAbsolutePath().resolve(module + "-" + System.nanoTime() + ".jfr"));
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        Files.createDirectories(log.getParent());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long t0 = System.nanoTime();
        return new Service(module, port, log, pb.start(), t0);
    }

    static Path jar(Path repo, String module) {
        return repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code /q/health/live} answers 200; returns seconds since the process was started. */
    double awaitLive(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with " + process.exitValue() + " during start; see " + log);
            }
            try {
                if (get("/q/health/live").statusCode() == 200) {
                    return (System.nanoTime() - startedNanos) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " not live within " + max + "; see " + log);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of every sample of a Prometheus metric (all label sets) whose labels contain {@code labelFilter}. */
    double metric(String name, String labelFilter) throws IOException, InterruptedException {
        String body = get("/q/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+([-+0-9.eE]+|NaN)$")
                .matcher(body);
        double sum = 0;
        while (m.find()) {
            if (labelFilter == null || (m.group(1) != null && m.group(1).contains(labelFilter))) {
                sum += m.group(2).equals("NaN") ? 0 : Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    /** User plus system CPU seconds of the process so far (all its threads). */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the command: state is field 3; utime and stime are fields 14 and 15 of the full line.
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    /** CPU seconds so far per thread name (threads of one name summed), from /proc/<pid>/task/<tid>/stat. */
    Map<String, Double> threadCpu() throws IOException {
        Map<String, Double> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND, Double::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    /** Per-thread CPU use between two {@link #threadCpu()} snapshots, busiest first, as "name 45%" items. */
    static String threadShare(Map<String, Double> before, Map<String, Double> after, double seconds) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / seconds))
                .filter(e -> e.getValue() >= 0.01)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .map(e -> String.format("%s %.0f%%", e.getKey(), 100 * e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Resident set size in MiB (VmRSS). */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** SIGTERM, as compose stop sends; waits for the clean close (files renamed, manifests written). */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " did not stop within 60 s of SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
