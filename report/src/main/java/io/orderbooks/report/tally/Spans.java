package io.orderbooks.report.tally;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Time spans in microseconds, {@code [from, to)}, measured as their union: overlapping spans count once. This is
 * how gap seconds are computed, so that a {@code disconnected} gap and a {@code queue-full} gap over the same
 * second lose one second, not two.
 */
final class Spans {
    private final List<long[]> spans = new ArrayList<>();

    void add(long fromUs, long toUs) {
        if (toUs > fromUs) {
            spans.add(new long[] {fromUs, toUs});
        }
    }

    void addAll(Spans other) {
        spans.addAll(other.spans);
    }

    boolean isEmpty() {
        return spans.isEmpty();
    }

    /** Microseconds of {@code [clipFrom, clipTo)} covered by at least one span. */
    long coveredWithin(long clipFrom, long clipTo) {
        List<long[]> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(s -> s[0]));
        long total = 0;
        long curFrom = Long.MIN_VALUE;
        long curTo = Long.MIN_VALUE;
        for (long[] s : sorted) {
            long a = Math.max(s[0], clipFrom);
            long b = Math.min(s[1], clipTo);
            if (b <= a) {
                continue;
            }
            if (a > curTo) {
                total += curTo - curFrom;
                curFrom = a;
                curTo = b;
            } else {
                curTo = Math.max(curTo, b);
            }
        }
        return total + (curTo - curFrom);
    }
}
