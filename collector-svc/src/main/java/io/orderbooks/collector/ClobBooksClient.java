package io.orderbooks.collector;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The thin fault-tolerant bean around {@link ClobApi}. 429 and 5xx are retried with exponential backoff and jitter
 * (after waiting out a short {@code Retry-After}); other 4xx are answers, not retried (a 404 means no book exists for
 * the token, docs get-book). Repeated failures open the circuit so a down API is not hammered. Every limit can be
 * tuned with MicroProfile FT keys, e.g. {@code quarkus.fault-tolerance."io.orderbooks.collector.ClobBooksClient/books".retry.max-retries}.
 */
@ApplicationScoped
public class ClobBooksClient {
    private static final long MAX_RETRY_AFTER_MS = 10_000;

    @Inject
    @RestClient
    ClobApi api;

    /** Told of every 429 answer, retried or not, so the stream records each one in-band (SPEC: {@code rate_limited}). */
    @FunctionalInterface
    public interface RateLimitLog {
        RateLimitLog IGNORE = (latencyMs, retryAfter) -> { };

        /** @param retryAfter the server's {@code Retry-After} header as sent, or null */
        void rateLimited(long latencyMs, String retryAfter);
    }

    @Timeout(20_000)
    @Retry(maxRetries = 3, delay = 1_000, jitter = 500, maxDuration = 60_000,
            retryOn = {HttpStatusException.class, ProcessingException.class})
    @ExponentialBackoff(factor = 2, maxDelay = 20_000)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 30_000, successThreshold = 1,
            failOn = {HttpStatusException.class, ProcessingException.class})
    public BooksReply books(List<String> tokenIds, RateLimitLog log) {
        long start = System.nanoTime();
        RestResponse<byte[]> r = api.books(body(tokenIds));
        long latency = (System.nanoTime() - start) / 1_000_000;
        int status = r.getStatus();
        byte[] body = body(r);
        if (status == 429) {
            log.rateLimited(latency, r.getHeaderString("Retry-After"));
        }
        if (status == 429 || status >= 500) {
            waitRetryAfter(r.getHeaderString("Retry-After"));
            throw new HttpStatusException(status, "HTTP " + status + " from /books: " + snippet(body));
        }
        return new BooksReply(status, body, latency);
    }

    /**
     * The body as bytes. With the default exception mapper off, a non-2xx answer's entity stays a stream instead of
     * becoming the declared {@code byte[]}.
     */
    private static byte[] body(RestResponse<byte[]> r) {
        Object entity = ((RestResponse<?>) r).getEntity();
        try {
            if (entity instanceof byte[] bytes) {
                return bytes;
            }
            if (entity instanceof java.io.InputStream in) {
                try (in) {
                    return in.readAllBytes();
                }
            }
            return entity == null ? new byte[0] : r.readEntity(byte[].class);
        } catch (java.io.IOException | RuntimeException e) {
            return ("(body unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
        }
    }

    static byte[] body(List<String> tokenIds) {
        StringBuilder b = new StringBuilder(tokenIds.size() * 96).append('[');
        for (int i = 0; i < tokenIds.size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"token_id\":\"").append(tokenIds.get(i)).append("\"}");
        }
        return b.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Cloudflare's 429 may say how long to wait; honour short waits, leave long ones to the backoff. */
    private static void waitRetryAfter(String header) {
        if (header == null) {
            return;
        }
        try {
            long ms = Math.min(MAX_RETRY_AFTER_MS, Long.parseLong(header.trim()) * 1000);
            if (ms > 0) {
                Thread.sleep(ms);
            }
        } catch (NumberFormatException ignored) {
            // an HTTP-date: the exponential backoff covers it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String snippet(byte[] body) {
        if (body == null) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return s.replace('\n', ' ');
    }
}
