package io.orderbooks.collector;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, capped; the first retry after a healthy connection is quick. */
record ReconnectBackoff(Duration min, Duration max) {
    /** The wait before the next attempt after {@code failedAttempts} failed ones in a row. */
    long delayMillis(int failedAttempts) {
        long lo = min.toMillis();
        long cap = max.toMillis();
        long exp = Math.min(cap, lo << Math.min(20, failedAttempts));
        return Math.max(lo, ThreadLocalRandom.current().nextLong(exp / 2, exp + 1));
    }
}
