package io.orderbooks.sim;

/**
 * An exact sliding-window counter: at most {@code limit} acquisitions in any window. Polymarket's limits are
 * "enforced over sliding windows" (docs.polymarket.com/api-reference/rate-limits).
 */
final class SlidingWindowLimiter {
    private final long[] stamps;
    private final long windowNanos;
    private int head;
    private int size;

    SlidingWindowLimiter(int limit, long windowNanos) {
        this.stamps = new long[Math.max(1, limit)];
        this.windowNanos = windowNanos;
    }

    /** Takes a slot if one is free; otherwise returns how many nanoseconds until one frees up (no slot taken). */
    synchronized long tryAcquire(long nowNanos) {
        if (size == stamps.length) {
            long oldest = stamps[head];
            long wait = oldest + windowNanos - nowNanos;
            if (wait > 0) {
                return wait;
            }
            head = (head + 1) % stamps.length;
            size--;
        }
        stamps[(head + size) % stamps.length] = nowNanos;
        size++;
        return 0;
    }

    /** Gives back a slot taken by {@link #tryAcquire} when a later limiter in the chain refused the request. */
    synchronized void release() {
        if (size > 0) {
            size--;
        }
    }
}
