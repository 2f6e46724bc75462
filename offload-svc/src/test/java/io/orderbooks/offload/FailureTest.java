package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.offload.rclone.RcloneCallException;
import io.orderbooks.offload.rclone.RcloneUnavailableException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/**
 * How errors decide a run's next step. The Drive texts are the error strings rclone's drive backend passes on from
 * Google (googleapi.Error: "Error 403: <message>, <reason>"), as operators see them in rclone's log.
 */
class FailureTest {
    @Test
    void driveQuotaAndRateLimitErrorsStopTheRunAsQuota() {
        for (String drive : new String[] {
            "googleapi: Error 403: User rate limit exceeded., userRateLimitExceeded",
            "googleapi: Error 403: Rate Limit Exceeded, rateLimitExceeded",
            "googleapi: Error 403: The user's Drive storage quota has been exceeded., storageQuotaExceeded",
            "googleapi: Error 403: Quota exceeded for quota metric 'Queries', quotaExceeded",
            "failed to upload: upload limit exceeded (--drive-stop-on-upload-limit)"
        }) {
            Failure f = Failure.ofJobError(drive);
            assertThat(f.kind()).as(drive).isEqualTo(Failure.Kind.QUOTA);
            assertThat(f.stopsRun()).isTrue();
        }
    }

    @Test
    void anOrdinaryRemoteErrorFailsOnlyThatFile() {
        Failure f = Failure.of(new RcloneCallException(500, "NewFs: couldn't connect SSH: connection refused"));
        assertThat(f.kind()).isEqualTo(Failure.Kind.REMOTE);
        assertThat(f.stopsRun()).isFalse();
    }

    @Test
    void rcloneUnreachableOrRefusingOurCredentialsStopsTheRun() {
        assertThat(Failure.of(new RcloneUnavailableException("refused", null)).kind())
                .isEqualTo(Failure.Kind.RCLONE_DOWN);
        assertThat(Failure.of(new CircuitBreakerOpenException("open")).kind()).isEqualTo(Failure.Kind.RCLONE_DOWN);
        Failure auth = Failure.of(new RcloneCallException(401, "Unauthorized"));
        assertThat(auth.kind()).isEqualTo(Failure.Kind.RCLONE_DOWN);
        assertThat(auth.message()).contains("RCLONE_RC_PASS");
    }
}
