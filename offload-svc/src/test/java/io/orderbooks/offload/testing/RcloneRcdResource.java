package io.orderbooks.offload.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs Debian's real {@code rclone rcd} on 127.0.0.1 (ephemeral port, basic auth, a temp config with one local-disk
 * remote {@code testdisk}, temp cache dir) for the whole test run, and points offload-svc at it through the fixed
 * keys {@code offload.rclone-url}, {@code offload.rclone-user}, {@code offload.rclone-pass}. Tests reach it through
 * {@link #current()} (to restart it, or to build remotes of their own); it is killed in {@link #stop()}.
 */
public class RcloneRcdResource implements QuarkusTestResourceLifecycleManager {
    public static final String USER = "offload-test";
    private static volatile RcloneRcdResource current;

    private Path base;
    private RcloneProcess rcd;
    private String password;

    public static RcloneRcdResource current() {
        if (current == null) {
            throw new IllegalStateException("rclone rcd is not running");
        }
        return current;
    }

    @Override
    public Map<String, String> start() {
        try {
            base = Files.createTempDirectory("offload-rclone-");
            Files.createDirectories(base.resolve("app-data"));
            Files.createDirectories(base.resolve("app-remote"));
            Files.writeString(base.resolve("rclone.conf"), "[testdisk]\ntype = local\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        password = UUID.randomUUID().toString();
        int port = RcloneProcess.freePort();
        // Short low-level retries and timeouts keep failure tests quick; production uses rclone's defaults.
        rcd = RcloneProcess.start(
                port,
                base.resolve("rcd.log"),
                "rcd",
                "--rc-addr",
                "127.0.0.1:" + port,
                "--rc-user",
                USER,
                "--rc-pass",
                password,
                "--config",
                base.resolve("rclone.conf").toString(),
                "--cache-dir",
                base.resolve("cache").toString(),
                "--low-level-retries",
                "2",
                "--contimeout",
                "3s",
                "--timeout",
                "10s",
                "--log-level",
                "INFO");
        current = this;
        return Map.of(
                "offload.rclone-url",
                url(),
                "offload.rclone-user",
                USER,
                "offload.rclone-pass",
                password,
                "data.dir",
                base.resolve("app-data").toString(),
                "offload.remote",
                "testdisk:" + base.resolve("app-remote"));
    }

    public String url() {
        return "http://127.0.0.1:" + rcd.port();
    }

    public Path base() {
        return base;
    }

    public Path appData() {
        return base.resolve("app-data");
    }

    public Path appRemote() {
        return base.resolve("app-remote");
    }

    /** kill -9 of the rc daemon (and its running jobs). */
    public void killRcd() {
        rcd.kill();
    }

    /** Starts it again on the same port, as Docker's restart policy would. */
    public void restartRcd() {
        rcd.start();
    }

    /** A new empty directory below the resource's temp dir. */
    public Path newDir(String prefix) {
        try {
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        current = null;
        if (rcd != null) {
            rcd.kill();
        }
        if (base != null) {
            try (Stream<Path> walk = Files.walk(base)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: the OS cleans its temp dir
            }
        }
    }
}
