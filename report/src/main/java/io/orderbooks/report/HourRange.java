package io.orderbooks.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The UTC hours a report covers: {@code [from, to)}, both whole hours; empty when there is no data at all. */
record HourRange(Instant from, Instant to) {
    static final long HOUR_US = 3_600_000_000L;
    static final HourRange EMPTY = new HourRange(Instant.EPOCH, Instant.EPOCH);

    boolean isEmpty() {
        return !from.isBefore(to);
    }

    int hours() {
        return isEmpty() ? 0 : (int) Duration.between(from, to).toHours();
    }

    List<Instant> hourList() {
        List<Instant> out = new ArrayList<>();
        for (Instant h = from; h.isBefore(to); h = h.plusSeconds(3600)) {
            out.add(h);
        }
        return out;
    }

    boolean contains(Instant hour) {
        return !hour.isBefore(from) && hour.isBefore(to);
    }

    long fromUs() {
        return micros(from);
    }

    long toUs() {
        return micros(to);
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    static Instant ofMicros(long us) {
        return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
    }
}
