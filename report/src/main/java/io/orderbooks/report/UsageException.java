package io.orderbooks.report;

/** A command line the report cannot run with (exit code 2); the message says what to change. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
