package io.orderbooks.report.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The UTC hours a report covers: {@code [from, to)}, both whole hours; empty when there is no data at all. */
public record HourRange(Instant from, Instant to) {
    public static final long HOUR_US = 3_600_000_000L;
    public static final HourRange EMPTY = new HourRange(Instant.EPOCH, Instant.EPOCH);

    public boolean isEmpty() {
        return !from.isBefore(to);
    }

    public int hours() {
        return isEmpty() ? 0 : (int) Duration.between(from, to).toHours();
    }

    public List<Instant> hourList() {
        List<Instant> out = new ArrayList<>();
        for (Instant h = from; h.isBefore(to); h = h.plusSeconds(3600)) {
            out.add(h);
        }
        return out;
    }

    public boolean contains(Instant hour) {
        return !hour.isBefore(from) && hour.isBefore(to);
    }

    public long fromUs() {
        return micros(from);
    }

    public long toUs() {
        return micros(to);
    }

    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    public static Instant ofMicros(long us) {
        return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
    }
}
