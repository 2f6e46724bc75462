package io.orderbooks.discovery;

import io.smallrye.faulttolerance.api.BeforeRetryHandler;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.ExecutionContext;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Runs before every retry of {@link GammaClient#page}: logs the attempt, records a timed-out attempt in the raw
 * stream (the attempt itself was interrupted before it could), and waits out a {@code Retry-After} the server
 * sent with its 429/503, capped at {@code discovery.gamma.max-retry-after-ms}; the exponential backoff comes on top.
 */
@Dependent
public class RetryAttempts implements BeforeRetryHandler {
    private static final Logger LOG = Logger.getLogger(RetryAttempts.class);

    @Inject
    DiscoveryConfig config;

    @Override
    public void handle(ExecutionContext context) {
        Throwable failure = context.getFailure();
        Object[] params = context.getParameters();
        String req = params != null && params.length > 0 ? String.valueOf(params[0]) : "?";
        if (failure instanceof TimeoutException
                && params != null
                && params.length > 2
                && params[2] instanceof GammaClient.AttemptLog log) {
            log.failed(
                    req,
                    0,
                    config.gamma().timeoutMs(),
                    "timeout after " + config.gamma().timeoutMs() + " ms");
        }
        long wait = failure instanceof GammaException.Retryable r
                ? Math.min(r.retryAfterMs(), config.gamma().maxRetryAfterMs())
                : 0;
        LOG.infof(
                "gamma: retrying %s after %s%s",
                req, failure, wait > 0 ? " (Retry-After: waiting " + wait + " ms)" : "");
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
