package io.orderbooks.shared.records;

/**
 * A stretch of time in which data may be missing, as listed in a file manifest's {@code gaps}. {@code conn} is the
 * websocket connection (or null when the gap is not tied to one); times are receive-clock microseconds.
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
}
