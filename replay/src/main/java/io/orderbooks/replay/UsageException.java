package io.orderbooks.replay;

/** A bad command line (exit code 2) or a range/token that holds no data (exit code 3), said plainly. */
public final class UsageException extends Exception {
    public final int exitCode;

    public UsageException(String message) {
        this(message, 2);
    }

    UsageException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }
}
