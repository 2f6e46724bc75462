package io.orderbooks.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of the host's tools the deploy checks need (kubectl, node) and collects its output, stderr included. */
final class Tool {
    private Tool() {}

    /** Exit code and output of a finished run. */
    record Result(int exitCode, String output) {}

    /**
     * Runs {@code command} for at most 120 s. Fails with {@code missing} when the tool is not on PATH, so the test
     * says what to install instead of an I/O error.
     */
    static Result run(List<String> command, String missing) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError(missing, e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("reading the output of " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
