package io.orderbooks.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.support.Http;
import io.orderbooks.support.RetryAfter;
import io.smallrye.faulttolerance.api.BeforeRetry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RateLimit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MultivaluedMap;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The thin fault-tolerant bean around {@link GammaApi}. One call = one page, with:
 * <ul>
 * <li>{@code @Timeout} per attempt;</li>
 * <li>{@code @Retry} with exponential backoff and jitter on 429, 5xx, timeouts, I/O errors and unreadable bodies,
 * after waiting out the server's {@code Retry-After} ({@link RetryAttempts}); any other 4xx aborts at once;</li>
 * <li>{@code @CircuitBreaker}, so a Gamma that keeps failing is left alone for a while;</li>
 * <li>{@code @RateLimit}, a hard cap on requests per second (the walker also paces itself below it).</li>
 * </ul>
 * The annotation values are the production defaults; application.properties maps the {@code discovery.gamma.*}
 * keys onto them, so they can be tuned like every other setting.
 */
@ApplicationScoped
public class GammaClient {
    static final String PATH = "/markets/keyset";

    @Inject
    @RestClient
    GammaApi api;

    /**
     * Receives every failed attempt, exactly once, so the raw stream shows each error in-band: {@code status} is the
     * HTTP status (200 for an unreadable or page-less answer), or 0 when no answer came (I/O error, timeout).
     */
    @FunctionalInterface
    public interface AttemptLog {
        void failed(String req, int status, long latencyMs, String error);
    }

    @Timeout(30_000)
    @Retry(
            maxRetries = 4,
            delay = 1_000,
            jitter = 500,
            maxDuration = 15,
            durationUnit = ChronoUnit.MINUTES,
            retryOn = {
                GammaException.Retryable.class,
                ProcessingException.class,
                TimeoutException.class,
                io.smallrye.faulttolerance.api.RateLimitException.class
            },
            abortOn = GammaException.Rejected.class)
    @ExponentialBackoff(factor = 2, maxDelay = 30_000)
    @BeforeRetry(RetryAttempts.class)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.8,
            delay = 60_000,
            successThreshold = 1,
            failOn = {GammaException.Retryable.class, ProcessingException.class, TimeoutException.class})
    @RateLimit(value = 5, window = 1, windowUnit = ChronoUnit.SECONDS)
    public GammaPage page(String req, MultivaluedMap<String, String> query, AttemptLog log) {
        long start = System.nanoTime();
        RestResponse<byte[]> r;
        try {
            r = api.marketsKeyset(query);
        } catch (ProcessingException e) {
            if (!Http.interrupted(e)) {
                // An interrupted call is the @Timeout at work: the timeout is recorded instead (RetryAttempts, or the
                // caller after the last attempt), so the attempt is not recorded twice.
                log.failed(req, 0, millisSince(start), "I/O: " + Http.rootMessage(e));
            }
            throw e;
        }
        long latency = millisSince(start);
        long recvUs = nowMicros();
        int status = r.getStatus();
        byte[] body = Http.body(r);
        if (status != 200) {
            String error = "HTTP " + status + ": " + Http.snippet(body);
            log.failed(req, status, latency, error);
            if (status == 429 || status >= 500) {
                throw new GammaException.Retryable(
                        status,
                        RetryAfter.millis(r.getHeaderString("Retry-After"), Instant.now(), Long.MAX_VALUE),
                        error);
            }
            throw new GammaException.Rejected(status, error);
        }
        JsonNode root;
        try {
            root = GammaJson.parse(body);
        } catch (IOException e) {
            String error = "unreadable body (" + body.length + " bytes): " + Http.firstLine(e.getMessage());
            log.failed(req, status, latency, error);
            throw new GammaException.Retryable(status, 0, error);
        }
        if (root == null
                || !root.isObject()
                || root.get("markets") == null
                || !root.get("markets").isArray()) {
            String error = "not a keyset page (no markets array): " + Http.snippet(body);
            log.failed(req, status, latency, error);
            throw new GammaException.Retryable(status, 0, error);
        }
        return new GammaPage(req, status, latency, recvUs, body, root);
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
