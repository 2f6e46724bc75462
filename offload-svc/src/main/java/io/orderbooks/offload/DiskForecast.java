package io.orderbooks.offload;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * How fast the data dir fills, and when it is full at that rate (issue 13, docs/OPERATIONS.md "A whole-feed day on a
 * small disk"). Each run adds a sample: the free bytes and the bytes retention freed so far. The rate is what the
 * writers used between the oldest sample of the last {@link #WINDOW} and now, with retention's deletions added back
 * (a deletion must not look like the feed slowing down): {@code ((free_then - free_now) + freed_between) / elapsed}.
 * With at least {@link #MIN_SPAN} between the samples the estimate is given; before that it is {@code unknown}.
 */
final class DiskForecast {
    static final Duration WINDOW = Duration.ofHours(1);
    static final Duration MIN_SPAN = Duration.ofSeconds(30);

    /**
     * @param freeBytes     free bytes now (-1 unknown)
     * @param bytesPerHour  bytes the writers use per hour; null while unknown
     * @param fullIn        time until no byte is free at that rate; null while unknown or when the disk is not filling
     */
    record Estimate(long freeBytes, Long bytesPerHour, Duration fullIn) {
        static Estimate unknown(long freeBytes) {
            return new Estimate(freeBytes, null, null);
        }

        /** {@code disk_free=… disk_use_rate=…/h disk_full_in=…} for the status line. */
        String describe() {
            String rate = bytesPerHour == null ? "unknown" : RunReport.gib(bytesPerHour) + "/h";
            String full = bytesPerHour == null ? "unknown" : fullIn == null ? "never" : RunReport.human(fullIn);
            return "disk_free=" + RunReport.gib(freeBytes) + " disk_use_rate=" + rate + " disk_full_in=" + full;
        }
    }

    private record Sample(Instant at, long free, long freedTotal) {}

    private final Deque<Sample> samples = new ArrayDeque<>();
    private long freedTotal;

    /** Bytes retention deleted (data and manifests), added back when the rate is computed. */
    synchronized void freed(long bytes) {
        freedTotal += bytes;
    }

    synchronized Estimate sample(Instant now, long free) {
        if (free < 0) {
            return Estimate.unknown(free);
        }
        samples.addLast(new Sample(now, free, freedTotal));
        while (samples.size() > 2
                && samples.peekFirst().at().isBefore(now.minus(WINDOW))
                && !samples.stream().skip(1).findFirst().orElseThrow().at().isAfter(now.minus(WINDOW))) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        Duration span = Duration.between(first.at(), now);
        if (span.compareTo(MIN_SPAN) < 0) {
            return Estimate.unknown(free);
        }
        long used = (first.free() - free) + (freedTotal - first.freedTotal());
        long perHour = (long) (used * (3_600_000.0 / span.toMillis()));
        if (perHour <= 0) {
            return new Estimate(free, Math.max(0, perHour), null);
        }
        return new Estimate(free, perHour, Duration.ofSeconds((long) (free / (double) perHour * 3600)));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DiskForecast[%d samples]", samples.size());
    }
}
