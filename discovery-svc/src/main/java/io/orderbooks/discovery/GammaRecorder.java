package io.orderbooks.discovery;

import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterException;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Line;
import io.orderbooks.shared.records.RecordKinds;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Everything Gamma answered, into {@code raw/gamma_markets}: each page verbatim, each failed attempt as an in-band
 * event plus the {@code error} line that keeps the answer's start (docs/DISCOVERY.md "Failure behaviour").
 */
final class GammaRecorder {
    private static final Logger LOG = Logger.getLogger(GammaRecorder.class);
    private static final String ENDPOINT = "GET " + GammaClient.PATH;

    private final RotatingJsonlWriter writer;
    private final GammaClient client;
    private final long timeoutMs;

    GammaRecorder(RotatingJsonlWriter writer, GammaClient client, long timeoutMs) {
        this.writer = writer;
        this.client = client;
        this.timeoutMs = timeoutMs;
    }

    /** One page through the fault-tolerant client; a final failure the client did not record is recorded here. */
    GammaPage fetch(String req, Map<String, List<String>> query) {
        MultivaluedMap<String, String> q = new MultivaluedHashMap<>();
        query.forEach(q::addAll);
        Attempts attempts = new Attempts();
        try {
            return client.page(req, q, attempts);
        } catch (GammaException | ProcessingException e) {
            throw e; // already recorded by the attempt that failed
        } catch (TimeoutException e) {
            // The last attempt timed out: it was interrupted before it could record itself (earlier ones were
            // recorded before their retry, by RetryAttempts).
            attempts.failed(req, 0, timeoutMs, "timeout after " + timeoutMs + " ms");
            throw e;
        } catch (RuntimeException e) {
            // open circuit, local rate limit: no request was sent, so no attempt failed; the error line says why
            recordError(req, 0, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    /** A page as Gamma sent it; a page that could not be stored fails the run (a list must be re-derivable). */
    void page(GammaPage page) {
        try {
            writer.append(Line.of(
                    page.recvUs(),
                    RecordKinds.MARKETS_PAGE,
                    List.of(),
                    Envelope.gamma(page.recvUs(), page.req(), page.status(), page.latencyMs(), page.body())));
        } catch (WriterException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The failed attempts of one page request, numbered from 1. */
    private final class Attempts implements GammaClient.AttemptLog {
        private final AtomicInteger failed = new AtomicInteger();

        @Override
        public void failed(String req, int status, long latencyMs, String error) {
            recordAttempt(req, failed.incrementAndGet(), status, latencyMs, error);
        }
    }

    /**
     * One failed attempt: an in-band event ({@code rate_limited} for a 429; {@code request_failed} for a 5xx, an
     * unreadable or page-less 200, a timeout or an I/O error — each retried), then the {@code error} line that keeps
     * the answer's start. Another 4xx is an answer, not retried: its error line alone records it.
     */
    private void recordAttempt(String req, int attempt, int status, long latencyMs, String error) {
        long recvUs = GammaClient.nowMicros();
        try {
            if (status == 429) {
                // The in-band rate_limited event (docs/DATA-FORMAT.md §2), beside the error line that keeps the body.
                writer.append(
                        Line.event(recvUs, Envelope.rateLimited(recvUs, "gamma", req, ENDPOINT, latencyMs, Map.of())));
            } else if (status == 0 || status == 200 || status >= 500) {
                writer.append(Line.event(
                        recvUs,
                        Envelope.requestFailed(
                                recvUs, "gamma", req, ENDPOINT, status, attempt, latencyMs, error, Map.of())));
            }
        } catch (WriterException e) {
            LOG.errorf("cannot record a failed Gamma request: %s", e.getMessage());
        }
        recordError(req, status, latencyMs, error);
    }

    private void recordError(String req, int status, long latencyMs, String error) {
        long recvUs = GammaClient.nowMicros();
        try {
            writer.append(Line.of(
                    recvUs, RecordKinds.ERROR, List.of(), Envelope.gammaError(recvUs, req, status, latencyMs, error)));
        } catch (WriterException e) {
            LOG.errorf("cannot record a failed Gamma request: %s", e.getMessage());
        }
    }
}
