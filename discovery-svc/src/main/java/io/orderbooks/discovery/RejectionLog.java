package io.orderbooks.discovery;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Logs a rejected market (already counted by the run's tally) once per market and reason for the life of the
 * process; a run logs at most {@link #MAX_PER_RUN} of them (a schema change can reject every market), the rest are
 * counted in its status line and logged by later runs.
 */
final class RejectionLog {
    private static final Logger LOG = Logger.getLogger(DiscoveryService.class);
    /** Markets whose rejection was already logged, bounded. */
    private static final int MAX_REMEMBERED = 100_000;

    static final int MAX_PER_RUN = 20;

    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    void log(RunTally tally, String marketId, Rejection reason, String detail) {
        String key = marketId + "/" + reason.tag();
        if (logged.contains(key)) {
            return;
        }
        if (tally.rejectionsLogged >= MAX_PER_RUN || logged.size() >= MAX_REMEMBERED) {
            tally.rejectionsNotLogged++;
            return;
        }
        logged.add(key);
        tally.rejectionsLogged++;
        LOG.warnf("market %s rejected (%s): %s", marketId, reason.tag(), detail);
    }
}
