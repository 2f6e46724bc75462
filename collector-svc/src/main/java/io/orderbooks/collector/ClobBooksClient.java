package io.orderbooks.collector;

import io.orderbooks.support.Http;
import io.orderbooks.support.RetryAfter;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The thin fault-tolerant bean around {@link ClobApi}. 429, 5xx, I/O errors and a 200 whose body is not a JSON array
 * of books are retried with exponential backoff and jitter (after waiting out a short {@code Retry-After}); a timed-out
 * attempt is not; other 4xx are answers, not retried (a 404 means no book exists for
 * the token, docs get-book). Repeated failures open the circuit so a down API is not hammered. Every limit can be
 * tuned with MicroProfile FT keys, e.g. {@code
 * quarkus.fault-tolerance."io.orderbooks.collector.ClobBooksClient/books".retry.max-retries}.
 */
@ApplicationScoped
public class ClobBooksClient {
    private static final long MAX_RETRY_AFTER_MS = 10_000;

    @Inject
    @RestClient
    ClobApi api;

    /**
     * One request's attempts, told of every attempt that failed, retried or not, so the stream records each one
     * in-band: a 429 is {@link #rateLimited} (docs/DATA-FORMAT.md §2: {@code rate_limited}); a 5xx, a 200 whose body is
     * not a
     * {@code /books} array, an I/O error or a timeout is {@link #failed} ({@code request_failed}). At most one of
     * the two per attempt. Attempts of one request run one after the other (on the caller's thread).
     */
    public static class Attempts {
        public static final Attempts IGNORE = new Attempts();
        private volatile int attempt;
        private volatile long startNanos = System.nanoTime();
        private volatile boolean told;

        /** Called by {@link #books} as each attempt starts. */
        final void start() {
            attempt++;
            startNanos = System.nanoTime();
            told = false;
        }

        /** 1 for the first attempt (0 before any). */
        public final int attempt() {
            return attempt;
        }

        final void tellRateLimited(long latencyMs, String retryAfter) {
            if (!told) {
                told = true;
                rateLimited(attempt, latencyMs, retryAfter);
            }
        }

        final void tellFailed(int status, long latencyMs, String reason) {
            if (!told) {
                told = true;
                failed(attempt, status, latencyMs, reason);
            }
        }

        /**
         * The current attempt timed out: the fault-tolerance timeout interrupted it before it could say so, and a
         * timeout is not retried, so the caller tells it when {@link #books} throws the timeout. A no-op if the
         * attempt was already told (its answer came just as the timeout fired).
         */
        public final void timedOut() {
            long ms = (System.nanoTime() - startNanos) / 1_000_000;
            tellFailed(0, ms, "timeout after " + ms + " ms");
        }

        /** @param retryAfter the server's {@code Retry-After} header as sent, or null */
        protected void rateLimited(int attempt, long latencyMs, String retryAfter) {}

        /** @param status HTTP status, or 0 when no HTTP answer came (I/O error, timeout) */
        protected void failed(int attempt, int status, long latencyMs, String reason) {}
    }

    @Timeout(20_000)
    @Retry(
            maxRetries = 3,
            delay = 1_000,
            jitter = 500,
            maxDuration = 60_000,
            retryOn = {HttpStatusException.class, ProcessingException.class})
    @ExponentialBackoff(factor = 2, maxDelay = 20_000)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.8,
            delay = 30_000,
            successThreshold = 1,
            failOn = {HttpStatusException.class, ProcessingException.class})
    public BooksReply books(List<String> tokenIds, Attempts log) {
        log.start();
        long start = System.nanoTime();
        RestResponse<byte[]> r;
        try {
            r = api.books(body(tokenIds));
        } catch (ProcessingException e) {
            if (!Http.interrupted(e)) {
                // An interrupted call is the fault-tolerance timeout at work: it is told as a timeout instead.
                log.tellFailed(0, (System.nanoTime() - start) / 1_000_000, "I/O: " + Http.rootMessage(e));
            }
            throw e;
        }
        long latency = (System.nanoTime() - start) / 1_000_000;
        int status = r.getStatus();
        byte[] body = Http.body(r);
        if (status == 429 || status >= 500) {
            String error = "HTTP " + status + ": " + Http.snippet(body);
            if (status == 429) {
                log.tellRateLimited(latency, r.getHeaderString("Retry-After"));
            } else {
                log.tellFailed(status, latency, error);
            }
            waitRetryAfter(r.getHeaderString("Retry-After"));
            throw new HttpStatusException(status, "HTTP " + status + " from /books: " + Http.snippet(body));
        }
        if (status != 200) {
            return new BooksReply(status, body, latency, List.of());
        }
        List<BooksSplitter.Item> items;
        try {
            items = BooksSplitter.split(body);
        } catch (IOException | RuntimeException e) {
            // A 200 that is not a /books array (cut off, garbled by a proxy): as good as a 5xx, so retried like one.
            String error = "unreadable body (" + body.length + " bytes): " + Http.firstLine(e.getMessage());
            log.tellFailed(status, latency, error);
            throw new HttpStatusException(status, error);
        }
        return new BooksReply(status, body, latency, items);
    }

    static byte[] body(List<String> tokenIds) {
        StringBuilder b = new StringBuilder(tokenIds.size() * 96).append('[');
        for (int i = 0; i < tokenIds.size(); i++) {
            b.append(i == 0 ? "" : ",")
                    .append("{\"token_id\":\"")
                    .append(tokenIds.get(i))
                    .append("\"}");
        }
        return b.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Cloudflare's 429 may say how long to wait, in seconds or as an HTTP-date ({@link RetryAfter}); short waits are
     * honoured here, longer ones are left to the backoff.
     */
    private static void waitRetryAfter(String header) {
        long ms = RetryAfter.millis(header, Instant.now(), MAX_RETRY_AFTER_MS);
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
