package io.orderbooks.shared.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one way tests wait for something (Awaitility underneath): poll a condition until it holds, with generous
 * timeouts because the tests share two busy cores with other builds; an exception from the condition counts as "not
 * yet". Never a wall-time assertion: a timeout only bounds how long a broken run takes to fail.
 */
public final class Eventually {
    /** How long a condition may take by default: a JVM start and a few runs on a loaded machine. */
    public static final Duration DEFAULT = Duration.ofSeconds(60);

    private static final Duration POLL = Duration.ofMillis(100);

    private Eventually() {}

    /** A waiter for {@code what} (named in the failure) with the default timeout. */
    public static ConditionFactory await(String what) {
        return await(what, DEFAULT);
    }

    public static ConditionFactory await(String what, Duration atMost) {
        return Awaitility.await(what)
                .atMost(atMost)
                .pollDelay(Duration.ZERO)
                .pollInterval(POLL)
                .ignoreExceptions();
    }

    /** Waits until {@code condition} holds, at most {@link #DEFAULT}. */
    public static void until(String what, Callable<Boolean> condition) {
        await(what).until(condition);
    }

    public static void until(String what, Duration atMost, Callable<Boolean> condition) {
        await(what, atMost).until(condition);
    }

    /**
     * Waits until {@code condition} holds while {@code process} runs; fails at once when the process has ended, and
     * either failure carries the process's output ({@code log}).
     */
    public static void untilProcess(Process process, Path log, Callable<Boolean> condition) {
        untilProcess(process, log, DEFAULT, condition);
    }

    public static void untilProcess(Process process, Path log, Duration atMost, Callable<Boolean> condition) {
        try {
            await("condition while the process runs", atMost)
                    .failFast("the process ended", () -> !process.isAlive())
                    .until(condition);
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError(
                    "condition not met (process alive: " + process.isAlive() + ", " + e.getMessage()
                            + "); its output:\n" + read(log),
                    e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no output file " + log + ")";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
