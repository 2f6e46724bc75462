package io.orderbooks.collector;

import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.records.GapReason;

/**
 * Since when a connection's assets have had no data, why, and which connection lost it: what the next subscription
 * writes as a gap (docs/DATA-FORMAT.md §2, gaps). Empty while data flows.
 */
final class Outage {
    private long sinceUs;
    private GapReason reason;
    private String connId;

    boolean isOpen() {
        return sinceUs != 0;
    }

    void begin(long sinceUs, GapReason reason, String connId) {
        this.sinceUs = sinceUs;
        this.reason = reason;
        this.connId = connId;
    }

    /** Starts one unless one is already open (a reconnect after a failed connect keeps the first start). */
    void beginIfNone(long sinceUs, GapReason reason, String connId) {
        if (!isOpen()) {
            begin(sinceUs, reason, connId);
        }
    }

    /** The gap from the start to {@code nowUs} (never negative). */
    Gap gapUntil(long nowUs) {
        return new Gap(connId, sinceUs, Math.max(sinceUs, nowUs), reason);
    }

    void end() {
        sinceUs = 0;
    }
}
