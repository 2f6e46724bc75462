package io.orderbooks.offload;

import io.orderbooks.offload.rclone.JobStatus;
import io.orderbooks.offload.rclone.RcloneClient;
import io.orderbooks.offload.rclone.RemoteObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * The remote as offload sees it: copy one data-dir file to the same relative path under {@code offload.remote}, and
 * compare a remote object with local size and MD5. Everything goes through rclone's rc API ({@link RcloneClient});
 * local files are named by their path as the rclone process sees them ({@code offload.rclone-data-dir}).
 */
public final class RcloneRemote {
    private static final Logger LOG = Logger.getLogger(RcloneRemote.class);

    private final RcloneClient rclone;
    private final OffloadSettings settings;
    private final Clock clock;

    public RcloneRemote(RcloneClient rclone, OffloadSettings settings, Clock clock) {
        this.rclone = rclone;
        this.settings = settings;
        this.clock = clock;
    }

    public RcloneClient client() {
        return rclone;
    }

    /**
     * Copies {@code relative} as an async job and waits for it, polling {@code job/status}, for at most
     * {@code offload.transfer-timeout}; a job that takes longer, or whose wait is cancelled, is stopped.
     */
    public CopyOutcome copy(String relative, BooleanSupplier cancelled) {
        return copy(relative, relative, cancelled);
    }

    /**
     * Copies the data-dir file {@code localRelative} to {@code remoteRelative} under {@code offload.remote}: an invalid
     * mark goes from {@code marks/…} to the folder of the files it concerns ({@code MarkUploads}).
     */
    public CopyOutcome copy(String localRelative, String remoteRelative, BooleanSupplier cancelled) {
        long jobId;
        try {
            jobId = rclone.startCopy(settings.rcloneDataDir(), localRelative, settings.remote(), remoteRelative);
        } catch (RuntimeException e) {
            return new CopyOutcome.CopyFailed(Failure.of(e));
        }
        Instant deadline = clock.instant().plus(settings.transferTimeout());
        while (true) {
            JobStatus status;
            try {
                status = rclone.jobStatus(jobId);
            } catch (RuntimeException e) {
                // rclone died or restarted mid-transfer: its jobs are gone with it. Nothing is known about the remote
                // object, so the caller records a failure and the next run copies again.
                return new CopyOutcome.CopyFailed(Failure.of(e));
            }
            if (status.finished()) {
                return status.success()
                        ? new CopyOutcome.Copied(jobId)
                        : new CopyOutcome.CopyFailed(Failure.ofJobError(status.error()));
            }
            if (cancelled.getAsBoolean() || clock.instant().isAfter(deadline)) {
                String why = cancelled.getAsBoolean()
                        ? "cancelled (shutdown)"
                        : "timed out after " + settings.transferTimeout();
                stopQuietly(jobId);
                return new CopyOutcome.CopyFailed(new Failure(Failure.Kind.REMOTE, "copy job " + jobId + " " + why));
            }
            sleep(settings.jobPollInterval());
        }
    }

    private void stopQuietly(long jobId) {
        try {
            rclone.stopJob(jobId);
        } catch (RuntimeException e) {
            LOG.debugf("job/stop %d: %s", jobId, e.getMessage());
        }
    }

    /** A fresh {@code operations/stat} of the remote copy of {@code relative}, compared with the local values. */
    public RemoteCheck check(String relative, long bytes, String md5) {
        Optional<RemoteObject> remote;
        try {
            remote = rclone.stat(settings.remote(), relative);
        } catch (RuntimeException e) {
            return new RemoteCheck.CheckFailed(Failure.of(e));
        }
        return remote.map(r -> RemoteCheck.compare(r, bytes, md5)).orElseGet(RemoteCheck.Missing::new);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(10, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an rclone job", e);
        }
    }
}
