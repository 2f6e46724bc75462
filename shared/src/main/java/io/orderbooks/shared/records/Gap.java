package io.orderbooks.shared.records;

/**
 * A stretch of time in which data may be missing, as listed in a file manifest's {@code gaps}. {@code conn} is the
 * websocket connection (or null when the gap is not tied to one); times are receive-clock microseconds.
 * {@code reason} is the wire spelling, kept as read so that a reason from a newer writer survives a round trip;
 * {@link #kind()} is its {@link GapReason}.
 */
public record Gap(String conn, long fromUs, long toUs, String reason) {
    public Gap {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a gap needs a reason");
        }
        if (toUs < fromUs) {
            throw new IllegalArgumentException("gap ends before it starts: " + fromUs + " > " + toUs);
        }
    }

    /** What writers use: the reason from the vocabulary. */
    public Gap(String conn, long fromUs, long toUs, GapReason reason) {
        this(conn, fromUs, toUs, reason.wire());
    }

    public GapReason kind() {
        return GapReason.fromWire(reason);
    }
}
