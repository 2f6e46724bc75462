package io.orderbooks.report.tally;

import io.orderbooks.report.model.HourRange;
import io.orderbooks.report.model.QualityReport;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * When no collector ran, from the run manifests. A restarted collector records its downtime as a
 * {@code collector-down} gap (COLLECTOR.md), but one that is still down (or older data) has none; this sees both.
 */
final class CollectorDowntime {
    private CollectorDowntime() {}

    /**
     * Seconds of each hour, up to {@code now}, in which a collector instance had no run, summed over the instances
     * that ran in the range or wrote files in it ({@code instancesWithFiles}). Null when there is no collector run
     * manifest at all (nothing to judge by).
     */
    static Map<Instant, Double> perHour(
            HourRange range, Instant now, List<QualityReport.Run> runs, Set<String> instancesWithFiles) {
        List<QualityReport.Run> collectorRuns =
                runs.stream().filter(r -> "collector-svc".equals(r.service())).toList();
        if (collectorRuns.isEmpty() || range.isEmpty()) {
            return null;
        }
        Map<String, Spans> up = new HashMap<>();
        for (QualityReport.Run r : collectorRuns) {
            up.computeIfAbsent(r.instance(), i -> new Spans())
                    .add(HourRange.micros(r.startedAt()), HourRange.micros(r.endedAt()));
        }
        Set<String> instances = new TreeSet<>();
        collectorRuns.stream()
                .filter(r -> r.startedAt().isBefore(range.to()) && r.endedAt().isAfter(range.from()))
                .forEach(r -> instances.add(r.instance()));
        instancesWithFiles.stream().filter(up::containsKey).forEach(instances::add);
        long nowUs = HourRange.micros(now);
        Map<Instant, Double> out = new TreeMap<>();
        for (Instant h : range.hourList()) {
            long from = HourRange.micros(h);
            long to = Math.min(from + HourRange.HOUR_US, nowUs);
            double down = 0;
            for (String instance : instances) {
                if (to > from) {
                    down += ManifestGaps.seconds((to - from) - up.get(instance).coveredWithin(from, to));
                }
            }
            out.put(h, down);
        }
        return out;
    }
}
