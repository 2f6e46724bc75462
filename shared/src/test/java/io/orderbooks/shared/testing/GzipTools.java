package io.orderbooks.shared.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the standard gzip tools on files, as a data user would. */
public final class GzipTools {
    private GzipTools() {}

    public record Result(int exit, String stdout, String stderr) {}

    public static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        return new Result(
                p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    public static Result gzipTest(Path file) throws IOException, InterruptedException {
        return run("gzip", "-t", file.toString());
    }

    public static Result zcat(Path file) throws IOException, InterruptedException {
        return run("zcat", file.toString());
    }
}
