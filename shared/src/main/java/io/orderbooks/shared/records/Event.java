package io.orderbooks.shared.records;

import java.util.HashMap;
import java.util.Map;

/**
 * The names of the in-band event lines ({@code "event":"<name>"}, docs/DATA-FORMAT.md §2 "Events"; gap reasons are
 * {@link GapReason}). Writers pass one of these to {@link Envelope}; readers map a line's name back with
 * {@link #fromWire}, which gives {@link #UNKNOWN} for a name this version does not know (a newer writer's), never an
 * exception.
 */
public enum Event {
    CONNECTED("connected"),
    CONNECT_FAILED("connect_failed"),
    SUBSCRIBED("subscribed"),
    UNSUBSCRIBED("unsubscribed"),
    DISCONNECTED("disconnected"),
    STALE("stale"),
    SPLIT("split"),
    LEAD("lead"),
    PAUSED("paused"),
    RESUMED("resumed"),
    RATE_LIMITED("rate_limited"),
    REQUEST_FAILED("request_failed"),
    SNAPSHOT_ROUND("snapshot_round"),
    TOKENS_SKIPPED("tokens_skipped"),
    GAP("gap"),
    /** Read only: a name this version does not know. Never written. */
    UNKNOWN(null);

    private static final Map<String, Event> BY_WIRE = new HashMap<>();

    static {
        for (Event e : values()) {
            if (e.wire != null) {
                BY_WIRE.put(e.wire, e);
            }
        }
    }

    private final String wire;

    Event(String wire) {
        this.wire = wire;
    }

    /** The name as it is written in a line. */
    public String wire() {
        if (wire == null) {
            throw new IllegalStateException("UNKNOWN is never written");
        }
        return wire;
    }

    /** The event a line names; {@link #UNKNOWN} for null or a name this version does not know. */
    public static Event fromWire(String name) {
        return name == null ? UNKNOWN : BY_WIRE.getOrDefault(name, UNKNOWN);
    }
}
