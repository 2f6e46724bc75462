package io.orderbooks.replay;

/** A bad command line (exit code 2) or a range/token that holds no data (exit code 3), said plainly. */
final class UsageException extends Exception {
    final int exitCode;

    UsageException(String message) {
        this(message, 2);
    }

    UsageException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }
}
