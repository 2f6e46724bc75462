package io.orderbooks.sim;

import java.time.Duration;

/**
 * Request limits per sliding window. Defaults are the documented ones
 * (docs.polymarket.com/api-reference/rate-limits, all "per 10 s").
 */
public record RateLimits(
        Duration window,
        int global,
        int gammaGeneral,
        int gammaMarkets,
        int gammaListing,
        int clobGeneral,
        int book,
        int books) {

    public static RateLimits documented() {
        return new RateLimits(Duration.ofSeconds(10), 15_000, 4_000, 300, 900, 9_000, 1_500, 500);
    }

    public RateLimits withBook(int v) {
        return new RateLimits(window, global, gammaGeneral, gammaMarkets, gammaListing, clobGeneral, v, books);
    }

    public RateLimits withBooks(int v) {
        return new RateLimits(window, global, gammaGeneral, gammaMarkets, gammaListing, clobGeneral, book, v);
    }

    public RateLimits withGammaMarkets(int v) {
        return new RateLimits(window, global, gammaGeneral, v, gammaListing, clobGeneral, book, books);
    }

    public RateLimits withWindow(Duration v) {
        return new RateLimits(v, global, gammaGeneral, gammaMarkets, gammaListing, clobGeneral, book, books);
    }
}
