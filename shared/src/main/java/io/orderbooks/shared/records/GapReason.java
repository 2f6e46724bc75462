package io.orderbooks.shared.records;

import java.util.HashMap;
import java.util.Map;

/**
 * Why a {@link Gap} may miss data: its {@code reason} in a gap line and in a manifest's {@code gaps}
 * (docs/COLLECTOR.md "Gaps" gives each one's bounds). {@link #fromWire} maps a reason this version does not know (a
 * newer writer's) to {@link #UNKNOWN}; the {@link Gap} keeps its spelling.
 */
public enum GapReason {
    /** The server closed the connection, or the network failed. */
    DISCONNECTED("disconnected"),
    /** No data frame for {@code stale-after} while PONGs came. */
    STALE("stale"),
    PONG_TIMEOUT("pong-timeout"),
    /** The first connection attempt had to be retried. */
    CONNECTING("connecting"),
    RECONNECTING("reconnecting"),
    /** The connection failed with an error of the websocket client. */
    ERROR("error"),
    /** Lines dropped because the write queue was full ({@code lost_lines} says how many). */
    QUEUE_FULL("queue-full"),
    /** Lines the writer could not write (a full disk; {@code lost_lines} is an upper bound). */
    WRITE_ERROR("write-error"),
    /** No collector ran: from the last record of the instance to the start of the next run. */
    COLLECTOR_DOWN("collector-down"),
    /** A reason this version does not know; also what a gap line without a reason is read as. */
    UNKNOWN("unknown");

    private static final Map<String, GapReason> BY_WIRE = new HashMap<>();

    static {
        for (GapReason r : values()) {
            BY_WIRE.put(r.wire, r);
        }
    }

    private final String wire;

    GapReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Lines were lost on the collector's side (queue or disk), not missed on the network. */
    public boolean isLoss() {
        return this == QUEUE_FULL || this == WRITE_ERROR;
    }

    /** The reason a gap names; {@link #UNKNOWN} for null or one this version does not know. */
    public static GapReason fromWire(String reason) {
        return reason == null ? UNKNOWN : BY_WIRE.getOrDefault(reason, UNKNOWN);
    }
}
