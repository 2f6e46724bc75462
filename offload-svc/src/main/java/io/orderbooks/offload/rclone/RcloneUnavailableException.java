package io.orderbooks.offload.rclone;

/** rclone's rc API could not be reached (connection refused, reset, timed out): retried, and counted by the breaker. */
public class RcloneUnavailableException extends RuntimeException {
    public RcloneUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
