package io.orderbooks.discovery;

/**
 * A Gamma request that did not give a usable page. {@link Retryable} failures (429, 5xx, unreadable body) are
 * retried with backoff; {@link Rejected} ones (any other 4xx: a bad filter, a blocked client) are not, because
 * asking again would get the same answer.
 */
public abstract sealed class GammaException extends RuntimeException {
    private final int status;

    GammaException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** HTTP status, or 0 when no answer came or the answer was unreadable. */
    public int status() {
        return status;
    }

    /** Worth another attempt; {@code retryAfterMs} is the server's {@code Retry-After} (0 if none). */
    public static final class Retryable extends GammaException {
        private final long retryAfterMs;

        public Retryable(int status, long retryAfterMs, String message) {
            super(status, message);
            this.retryAfterMs = retryAfterMs;
        }

        public long retryAfterMs() {
            return retryAfterMs;
        }
    }

    /** Not retried: a 4xx other than 429. */
    public static final class Rejected extends GammaException {
        public Rejected(int status, String message) {
            super(status, message);
        }
    }
}
