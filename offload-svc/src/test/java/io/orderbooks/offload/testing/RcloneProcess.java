package io.orderbooks.offload.testing;

import io.orderbooks.shared.testing.Eventually;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code rclone} child process on loopback ({@code rcd}, {@code serve sftp}, {@code serve webdav}), with its
 * output in a log file, started with a bounded wait for its port and always killed by {@link #close()}.
 */
public final class RcloneProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final List<String> command;
    private final int port;
    private final Path log;
    private Process process;

    private RcloneProcess(List<String> command, int port, Path log) {
        this.command = command;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code rclone <args>}, which must listen on 127.0.0.1:{@code port}. */
    public static RcloneProcess start(int port, Path log, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(rcloneBinary());
        cmd.addAll(List.of(args));
        RcloneProcess p = new RcloneProcess(cmd, port, log);
        p.start();
        return p;
    }

    public static String rcloneBinary() {
        return Files.isExecutable(Path.of("/usr/bin/rclone")) ? "/usr/bin/rclone" : "rclone";
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command + " (is rclone installed?)", e);
        }
        Process started = process;
        try {
            Eventually.await(
                            "rclone " + command.get(1) + " listening on port " + port + " (see " + log + ")",
                            START_TIMEOUT)
                    .failFast("rclone ended", () -> !started.isAlive())
                    .until(() -> listening(port));
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
    }

    /** kill -9: the process gets no chance to finish anything (what a crash or an OOM kill does). */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("rclone did not die within 10 s: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Wait until the port is free again, so a restart on it cannot race the old socket.
        try {
            Eventually.until("port " + port + " free again", Duration.ofSeconds(10), () -> !listening(port));
        } catch (org.awaitility.core.ConditionTimeoutException stillBound) {
            // as before: a restart then fails with its own clear message
        }
    }

    public int port() {
        return port;
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        kill();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code rclone obscure}: the form rclone wants for a password inside a remote definition. */
    public static String obscure(String clear) {
        try {
            Process p = new ProcessBuilder(rcloneBinary(), "obscure", clear)
                    .redirectErrorStream(true)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("rclone obscure timed out");
            }
            return new String(p.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
