package io.orderbooks.collector;

import io.orderbooks.sim.PolymarketSim;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * collector-svc as an operator runs it: the packaged jar in its own JVM, configured only through the environment
 * variables the container uses, pointed at an in-process simulator.
 */
final class CollectorProcess implements AutoCloseable {
    private final Process process;
    final Path log;

    private CollectorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Map<String, String> fastSettings(PolymarketSim sim, Path dataDir, String instance, String shard) {
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dataDir.toString());
        env.put("QUARKUS_REST_CLIENT_CLOB_API_URL", sim.clobUrl());
        env.put("COLLECTOR_WS_URL", sim.wsUrl());
        env.put("COLLECTOR_INSTANCE", instance);
        env.put("COLLECTOR_SHARD", shard);
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("COLLECTOR_SNAPSHOT_INTERVAL", "3s");
        env.put("COLLECTOR_STALE_AFTER", "3s");
        env.put("COLLECTOR_WS_PING_INTERVAL", "500ms");
        env.put("COLLECTOR_WS_PONG_TIMEOUT", "5s");
        env.put("COLLECTOR_WS_MAX_ASSETS_PER_CONNECTION", "30");
        env.put("COLLECTOR_WS_RECONNECT_MIN_BACKOFF", "100ms");
        env.put("COLLECTOR_WS_RECONNECT_MAX_BACKOFF", "1s");
        env.put("COLLECTOR_TOKENS_POLL_INTERVAL", "200ms");
        env.put("COLLECTOR_FILES_FLUSH_INTERVAL", "200ms");
        env.put("COLLECTOR_STATUS_INTERVAL", "2s");
        env.put("COLLECTOR_SNAPSHOT_MAX_REQUESTS_PER_SECOND", "20");
        env.put("COLLECTOR_DISK_MIN_FREE", "1");
        return env;
    }

    static CollectorProcess start(Map<String, String> env, Path log) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                javaBin,
                "-Xmx256m",
                "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new CollectorProcess(pb.start(), log);
    }

    /** SIGTERM, as {@code docker compose stop} sends; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("collector did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no final flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
