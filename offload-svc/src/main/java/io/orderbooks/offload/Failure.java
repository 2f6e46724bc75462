package io.orderbooks.offload;

import io.orderbooks.offload.rclone.RcloneCallException;
import io.orderbooks.offload.rclone.RcloneUnavailableException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Why an rclone operation did not succeed, sorted by what the run should do next.
 *
 * @param kind {@code RCLONE_DOWN}: the rc API is unreachable or refuses our credentials (stop the run);
 *             {@code QUOTA}: Drive quota or rate limit (stop the run, back off until the next interval, alert);
 *             {@code REMOTE}: this one operation failed (count it, go on with the next file)
 */
public record Failure(Kind kind, String message) {
    public enum Kind {
        RCLONE_DOWN,
        QUOTA,
        REMOTE
    }

    public boolean stopsRun() {
        return kind != Kind.REMOTE;
    }

    public static Failure of(RuntimeException e) {
        if (e instanceof RcloneUnavailableException
                || e instanceof CircuitBreakerOpenException
                || e instanceof TimeoutException) {
            return new Failure(Kind.RCLONE_DOWN, String.valueOf(e.getMessage()));
        }
        if (e instanceof RcloneCallException call && call.unauthorized()) {
            return new Failure(
                    Kind.RCLONE_DOWN,
                    "the rc API refused our credentials (401): check offload.rclone-user/-pass "
                            + "(RCLONE_RC_USER/RCLONE_RC_PASS)");
        }
        if (e instanceof RcloneCallException call) {
            return new Failure(call.quota() ? Kind.QUOTA : Kind.REMOTE, call.getMessage());
        }
        return new Failure(Kind.REMOTE, e.toString());
    }

    /** A failed async job reports only its error text; quota errors are recognised the same way. */
    public static Failure ofJobError(String error) {
        return Failure.of(new RcloneCallException(500, error));
    }
}
