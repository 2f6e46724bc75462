package io.orderbooks.offload.rclone;

import java.util.Locale;

/**
 * rclone answered, and the call failed: a remote error (the remote refused, quota, not found) or a bad call.
 * Not a sign that rclone itself is down, so it never opens the circuit breaker.
 */
public class RcloneCallException extends RuntimeException {
    private final int status;

    public RcloneCallException(int status, String message) {
        super("rclone rc error " + status + ": " + message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The rc API refused our basic-auth credentials: every call will fail until the config is fixed. */
    public boolean unauthorized() {
        return status == 401;
    }

    /**
     * Google Drive's quota and rate-limit errors as rclone reports them (403 {@code userRateLimitExceeded},
     * {@code rateLimitExceeded}, {@code quotaExceeded}, {@code storageQuotaExceeded}, the 750 GB/day upload limit
     * surfaced by {@code --drive-stop-on-upload-limit}); see https://developers.google.com/drive/api/guides/limits and
     * https://rclone.org/drive/#drive-stop-on-upload-limit.
     */
    public boolean quota() {
        String m = String.valueOf(getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("ratelimitexceeded")
                || m.contains("quotaexceeded")
                || m.contains("rate limit exceeded")
                || m.contains("upload limit")
                || m.contains("storagequota");
    }
}
