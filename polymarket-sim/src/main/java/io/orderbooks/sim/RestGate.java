package io.orderbooks.sim;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * What stands in front of every Gamma and CLOB route, in the order the real edge applies it: rate limits
 * (429 or a delay, see {@link SimConfig.RateLimitMode}), then injected faults (status, delay), then the handler.
 * Also writes JSON answers, corrupting them when a REST malformed fault is armed.
 */
final class RestGate {
    private final SimConfig config;
    private final Faults faults;
    private final Oracle oracle;
    private final RateLimiter limiter;
    private final Vertx vertx;

    RestGate(SimConfig config, Faults faults, Oracle oracle, Vertx vertx) {
        this.config = config;
        this.faults = faults;
        this.oracle = oracle;
        this.vertx = vertx;
        this.limiter = new RateLimiter(config.rateLimits());
    }

    /** A handler that admits the request into the given scope and buckets, then calls {@code ctx.next()}. */
    io.vertx.core.Handler<RoutingContext> admit(Faults.Scope scope, List<RateLimiter.Bucket> buckets) {
        return ctx -> admit(ctx, scope, buckets, System.nanoTime());
    }

    private void admit(RoutingContext ctx, Faults.Scope scope, List<RateLimiter.Bucket> buckets, long firstTryNanos) {
        if (config.rateLimitMode() != SimConfig.RateLimitMode.OFF) {
            long now = System.nanoTime();
            long wait = limiter.tryAcquire(buckets, now);
            if (wait > 0) {
                long waitedNanos = now - firstTryNanos;
                if (config.rateLimitMode() == SimConfig.RateLimitMode.DELAY
                        && waitedNanos + wait <= config.rateLimits().window().toNanos()) {
                    // Cloudflare "throttles (delays/queues) rather than immediately rejects" (docs: rate-limits).
                    vertx.setTimer(Math.max(1, wait / 1_000_000), t -> admit(ctx, scope, buckets, firstTryNanos));
                    return;
                }
                long retryAfter = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
                ctx.response().putHeader("retry-after", Long.toString(retryAfter));
                json(ctx, 429, "{\"error\":\"Too Many Requests\"}");
                return;
            }
        }
        int status = faults.takeHttpStatus(scope);
        if (status > 0) {
            json(ctx, status, "{\"error\":\"injected fault: HTTP " + status + "\"}");
            return;
        }
        long slow = faults.takeSlowMs(scope);
        if (slow > 0) {
            vertx.setTimer(slow, t -> ctx.next());
            return;
        }
        ctx.next();
    }

    /**
     * Writes a JSON answer; a REST malformed fault may truncate or garble it.
     *
     * @return true if the body went out intact (so the oracle may count the books in it)
     */
    boolean json(RoutingContext ctx, int status, String body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return false;
        }
        Faults.Malformed bad = status == 200 ? faults.takeRestMalformed() : null;
        if (bad != null) {
            oracle.restCorrupted();
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(bad == null ? body : Faults.corrupt(body, bad));
        return bad == null;
    }
}
