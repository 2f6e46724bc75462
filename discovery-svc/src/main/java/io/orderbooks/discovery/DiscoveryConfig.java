package io.orderbooks.discovery;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Every setting of discovery-svc (prefix {@code discovery}; env form: upper case, dots and dashes become
 * underscores, e.g. {@code discovery.filter.min-liquidity} = {@code DISCOVERY_FILTER_MIN_LIQUIDITY}). Documented
 * with defaults in docs/DISCOVERY.md. The Gamma base URL is the fixed key {@code quarkus.rest-client.gamma-api.url}.
 */
@ConfigMapping(prefix = "discovery")
@RegisterForReflection // EffectiveConfig walks it at start, in a native image too
public interface DiscoveryConfig {
    /** Instance id in file names (env DISCOVERY_INSTANCE); default: the host name, sanitised. Keep it stable. */
    Optional<String> instance();

    /** A discovery run at start, then this often; runs never overlap (env DISCOVERY_INTERVAL). */
    @WithDefault("10m")
    Duration interval();

    /**
     * A new list that has fewer tokens than {@code (1 - max-shrink)} times the current one is refused (the old
     * list stays, readiness goes down) unless {@link #allowShrink()}.
     */
    @WithDefault("0.30")
    double maxShrink();

    /** Publish even a list that shrank more than {@link #maxShrink()}, or an empty one. */
    @WithDefault("false")
    boolean allowShrink();

    /** Markets per page asked of Gamma; Gamma clamps it to 100 (observed 2026-08). */
    @WithDefault("100")
    int pageSize();

    /**
     * A walk that needs more pages fails (and publishes nothing): the backstop against a cursor Gamma ignores.
     * 2000 pages of 100 = 200 000 markets.
     */
    @WithDefault("2000")
    int maxPages();

    /**
     * Name of the query parameter that carries {@code next_cursor} back. Gamma's keyset pagination reads
     * {@code after_cursor} and silently ignores {@code cursor}/{@code next_cursor} (docs list-markets-keyset-pagination;
     * Polymarket/agents#227). Only change it if Gamma renames it.
     */
    @WithDefault("after_cursor")
    String cursorParam();

    /** A status line (tokens, last run, disk) is logged this often, between the per-run status lines. */
    @WithDefault("60s")
    Duration statusInterval();

    Gamma gamma();

    Filter filter();

    Files files();

    /** Politeness and fault tolerance of the Gamma client (wired into the fault-tolerance keys in application.properties). */
    interface Gamma {
        /**
         * Requests per second at most. Gamma's documented limit for {@code /markets} is 300 requests / 10 s
         * (docs.polymarket.com/api-reference/rate-limits); 5/s is a sixth of it.
         */
        @WithDefault("5")
        int maxRequestsPerSecond();

        /** One request (one attempt) may take this long, in milliseconds. */
        @WithDefault("30000")
        long timeoutMs();

        /** Retries of one page after a 429, a 5xx, a timeout, an I/O error or an unreadable body. */
        @WithDefault("4")
        int maxRetries();

        /** First retry delay in milliseconds; doubles on each retry (exponential backoff). */
        @WithDefault("1000")
        long retryDelayMs();

        /** Random jitter added to or taken from each retry delay, in milliseconds. */
        @WithDefault("500")
        long retryJitterMs();

        /** Upper bound of one backoff delay, in milliseconds. */
        @WithDefault("30000")
        long retryMaxDelayMs();

        /** A {@code Retry-After} longer than this (in milliseconds) is capped to it. */
        @WithDefault("60000")
        long maxRetryAfterMs();

        /** How long the circuit stays open after repeated failures, in milliseconds. */
        @WithDefault("60000")
        long circuitBreakerDelayMs();
    }

    /** Which markets are kept. Gamma-side filters are re-sent on every page; every filter is also checked here. */
    interface Filter {
        /** Sent as {@code closed=false}: only markets that are not settled are listed. */
        @WithDefault("false")
        boolean closed();

        /** Keep only markets with at least this liquidity (Gamma {@code liquidityNum}, USDC). */
        OptionalDouble minLiquidity();

        /** Keep only markets with at least this 24 h volume (Gamma {@code volume24hr}, USDC). */
        @WithName("min-volume-24h")
        OptionalDouble minVolume24h();

        /** Keep only markets carrying one of these Gamma tag ids (comma-separated). */
        Optional<List<String>> tagIds();

        /** If set, keep only markets whose slug or condition id is listed (comma-separated). */
        Optional<List<String>> allow();

        /** Never keep markets whose slug or condition id is listed (comma-separated). */
        Optional<List<String>> deny();

        /** Keep at most this many markets, the ones with the highest 24 h volume. */
        OptionalInt maxMarkets();

        /**
         * Keep only markets ending at or after this: {@code YYYY-MM-DD}, an ISO instant, or relative to each run,
         * {@code now}, {@code now-1d}, {@code now+12h} (units s, m, h, d).
         */
        Optional<String> endDateMin();

        /** Keep only markets ending at or before this (same forms as {@link #endDateMin()}). */
        Optional<String> endDateMax();
    }

    interface Files {
        /** The raw Gamma pages are flushed to disk at least this often. */
        @WithDefault("1s")
        Duration flushInterval();

        @WithDefault("6")
        int compressionLevel();
    }
}
