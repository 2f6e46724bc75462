package io.orderbooks.offload;

import io.orderbooks.offload.rclone.RcloneCallException;
import io.orderbooks.offload.rclone.RcloneClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Lists the remote through rclone (at most once per {@link #MAX_AGE}, so the 15 s healthcheck does not become a Drive
 * API call every 15 s) and logs one line when the answer changes, never the same state twice. A folder that does not
 * exist yet is listable: the first upload creates it. docs/OFFLOAD.md "Health".
 */
public final class RemoteProbe {
    private static final Logger LOG = Logger.getLogger(RemoteProbe.class);
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    private final RcloneClient rclone;
    private final String remote;
    private final Clock clock;
    private volatile RemoteState last;

    public RemoteProbe(RcloneClient rclone, String remote, Clock clock) {
        this.rclone = rclone;
        this.remote = remote;
        this.clock = clock;
    }

    /** The last answer if it is younger than {@link #MAX_AGE}, else a fresh one. */
    public RemoteState state() {
        RemoteState s = last;
        return s != null && s.checkedAt().plus(MAX_AGE).isAfter(clock.instant()) ? s : probe();
    }

    public synchronized RemoteState probe() {
        RemoteState now = listOnce();
        RemoteState before = last;
        last = now;
        if (before == null || before.listable() != now.listable()) {
            if (now.listable()) {
                LOG.infof("remote %s: listable", remote);
            } else {
                LOG.errorf(
                        "remote %s cannot be listed: %s; offload is not ready and uploads nothing useful until this is fixed",
                        remote, now.detail());
            }
        }
        return now;
    }

    private RemoteState listOnce() {
        try {
            rclone.listTopDirs(remote);
            return new RemoteState(true, remote, "ok", clock.instant());
        } catch (RcloneCallException e) {
            String m = String.valueOf(e.getMessage());
            if (m.toLowerCase(Locale.ROOT).contains("directory not found")) {
                return new RemoteState(
                        true, remote, "folder not created yet (the first upload creates it)", clock.instant());
            }
            return new RemoteState(false, remote, explain(m), clock.instant());
        } catch (RuntimeException e) {
            return new RemoteState(
                    false, remote, "rclone unreachable: " + Failure.of(e).message(), clock.instant());
        }
    }

    /** rclone's own words, plus what the operator should do for the usual causes. */
    private String explain(String message) {
        String section = remote.substring(0, remote.indexOf(':'));
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("didn't find section in config file")) {
            return message + ": rclone.conf has no section [" + section + "]; create it with `rclone config` "
                    + "(docs/OPERATIONS.md) or set OFFLOAD_REMOTE to an existing remote";
        }
        if (m.contains("token")
                || m.contains("oauth")
                || m.contains("401")
                || m.contains("403")
                || m.contains("credentials")) {
            return message + ": the credentials of remote [" + section
                    + "] are missing or expired; run `rclone config reconnect " + section + ":` (docs/OPERATIONS.md)";
        }
        return message;
    }
}
