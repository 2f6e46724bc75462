package io.orderbooks.report.tally;

import io.orderbooks.report.model.HourRange;
import io.orderbooks.report.model.QualityReport;
import io.orderbooks.shared.records.Gap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code gaps} of every file manifest, per stream, measured per hour. Manifests of every hour are collected,
 * not only those in the range: a gap is listed in the file of the hour in which it was recorded (when it ended) and
 * may reach back into earlier hours.
 */
final class ManifestGaps {
    /** A manifest gap and the writer instance whose file lists it. */
    private record InstanceGap(String instance, Gap gap) {}

    private final Map<String, List<InstanceGap>> byStream = new TreeMap<>();

    void add(String stream, String instance, Gap gap) {
        byStream.computeIfAbsent(stream, s -> new ArrayList<>()).add(new InstanceGap(instance, gap));
    }

    /**
     * The gaps of one stream overlapping one hour, as unions clipped to it. {@code slotsSeen} are the websocket slots
     * with lines in the hour; slots named by gaps are added. A gap without a connection ({@code queue-full},
     * {@code write-error}: the writer queue all connections share) counts for every slot of its instance.
     */
    QualityReport.GapHour hour(String stream, Instant hour, Set<String> slotsSeen, long lostLines) {
        long from = HourRange.micros(hour);
        long to = from + HourRange.HOUR_US;
        Spans all = new Spans();
        Map<String, Spans> byReason = new TreeMap<>();
        Map<String, Long> countByReason = new TreeMap<>();
        Map<String, Spans> bySlot = new TreeMap<>();
        Map<String, Spans> connless = new HashMap<>();
        Set<String> slots = new TreeSet<>(slotsSeen);
        long count = 0;
        for (InstanceGap ig : byStream.getOrDefault(stream, List.of())) {
            Gap g = ig.gap();
            boolean overlaps =
                    g.fromUs() == g.toUs() ? g.fromUs() >= from && g.fromUs() < to : g.fromUs() < to && g.toUs() > from;
            if (!overlaps) {
                continue;
            }
            count++;
            all.add(g.fromUs(), g.toUs());
            byReason.computeIfAbsent(g.reason(), r -> new Spans()).add(g.fromUs(), g.toUs());
            countByReason.merge(g.reason(), 1L, Long::sum);
            if (g.conn() != null) {
                String slot = ig.instance() + '/' + HourTally.slotOf(g.conn());
                slots.add(slot);
                bySlot.computeIfAbsent(slot, s -> new Spans()).add(g.fromUs(), g.toUs());
            } else {
                connless.computeIfAbsent(ig.instance(), i -> new Spans()).add(g.fromUs(), g.toUs());
            }
        }
        Map<String, QualityReport.ReasonGaps> reasons = new LinkedHashMap<>();
        byReason.forEach((r, spans) -> reasons.put(
                r, new QualityReport.ReasonGaps(countByReason.get(r), seconds(spans.coveredWithin(from, to)))));
        Map<String, Double> slotSeconds = new LinkedHashMap<>();
        double slotTotal = 0;
        boolean slotted = "ws_market".equals(stream);
        if (slotted) {
            for (String slot : slots) {
                Spans s = new Spans();
                Spans own = bySlot.get(slot);
                if (own != null) {
                    s.addAll(own);
                }
                Spans shared = connless.get(slot.substring(0, slot.indexOf('/')));
                if (shared != null) {
                    s.addAll(shared);
                }
                double secs = seconds(s.coveredWithin(from, to));
                if (secs > 0) {
                    slotSeconds.put(slot, secs);
                }
                slotTotal += secs;
            }
        }
        return new QualityReport.GapHour(
                stream,
                hour,
                count,
                seconds(all.coveredWithin(from, to)),
                reasons,
                slotSeconds,
                slotted ? slots.size() : 0,
                slotTotal,
                lostLines);
    }

    static double seconds(long micros) {
        return micros / 1e6;
    }
}
