package io.orderbooks.sim;

import java.util.ArrayList;
import java.util.List;

/** The documented limit buckets; a request must fit in every bucket it belongs to. */
final class RateLimiter {
    enum Bucket {
        GLOBAL,
        GAMMA_GENERAL,
        GAMMA_MARKETS,
        GAMMA_LISTING,
        CLOB_GENERAL,
        BOOK,
        BOOKS
    }

    private final SlidingWindowLimiter[] limiters = new SlidingWindowLimiter[Bucket.values().length];

    RateLimiter(RateLimits l) {
        long w = l.window().toNanos();
        limiters[Bucket.GLOBAL.ordinal()] = new SlidingWindowLimiter(l.global(), w);
        limiters[Bucket.GAMMA_GENERAL.ordinal()] = new SlidingWindowLimiter(l.gammaGeneral(), w);
        limiters[Bucket.GAMMA_MARKETS.ordinal()] = new SlidingWindowLimiter(l.gammaMarkets(), w);
        limiters[Bucket.GAMMA_LISTING.ordinal()] = new SlidingWindowLimiter(l.gammaListing(), w);
        limiters[Bucket.CLOB_GENERAL.ordinal()] = new SlidingWindowLimiter(l.clobGeneral(), w);
        limiters[Bucket.BOOK.ordinal()] = new SlidingWindowLimiter(l.book(), w);
        limiters[Bucket.BOOKS.ordinal()] = new SlidingWindowLimiter(l.books(), w);
    }

    /** 0 if admitted (slots taken in every bucket), else nanoseconds to wait before trying again. */
    synchronized long tryAcquire(List<Bucket> buckets, long nowNanos) {
        List<SlidingWindowLimiter> taken = new ArrayList<>(buckets.size());
        for (Bucket b : buckets) {
            SlidingWindowLimiter l = limiters[b.ordinal()];
            long wait = l.tryAcquire(nowNanos);
            if (wait > 0) {
                taken.forEach(SlidingWindowLimiter::release);
                return wait;
            }
            taken.add(l);
        }
        return 0;
    }
}
