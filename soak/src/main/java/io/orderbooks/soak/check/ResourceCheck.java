package io.orderbooks.soak.check;

import io.orderbooks.soak.Criterion;
import io.orderbooks.soak.Findings;
import io.orderbooks.soak.input.Inputs;
import io.orderbooks.soak.input.Samples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resources from {@code samples.csv} (docs/SOAK.md "Resources"): RSS growth per process by a least-squares slope
 * over its samples after a 10 min warm-up, judged only for processes that lived 30 min or more, FAIL above the limit;
 * a running service that failed its probe in 3 samples in a row is a FAIL (a process criterion, found here). No
 * samples at all is a FAIL.
 */
public final class ResourceCheck {
    static final double WARM_UP_S = 600;
    static final double JUDGED_AFTER_S = 1800;
    static final double TOO_SHORT_FROM_S = 1200;

    private ResourceCheck() {}

    /** One service's line; {@code sampled} false when it never had a sample with a pid and an RSS. */
    public record ServiceRow(
            String service,
            boolean sampled,
            double rssFirst,
            double rssMax,
            double rssLast,
            List<String> growth,
            double cpuS,
            double fdsFirst,
            double fdsMax,
            double fdsLast,
            double threadsFirst,
            double threadsMax,
            double threadsLast,
            int processes,
            int probeDown,
            int probeLongest) {}

    /** A pipeline column: its first, last and largest value (text as sampled, empty when unknown). */
    public record Total(String column, String first, String last, long max) {}

    /** {@code sampled} false: no samples (and nothing else is set). */
    public record Result(boolean sampled, List<ServiceRow> services, List<Total> totals, double limit, double hours) {}

    public static Result check(Samples samples, double limitMbPerHour, double hours, Findings findings) {
        if (samples.rows().isEmpty()) {
            findings.fail(Criterion.RESOURCES_NO_SAMPLES, "no resource samples");
            return new Result(false, List.of(), List.of(), limitMbPerHour, hours);
        }
        List<Samples.Row> rows = samples.rows();
        List<ServiceRow> services = new ArrayList<>();
        for (String svc : Samples.SERVICES) {
            Map<String, List<double[]>> life = new LinkedHashMap<>(); // pid -> [t, rss MB, cpu s, fds, threads]
            int down = 0, streak = 0, longest = 0;
            for (Samples.Row r : rows) {
                Samples.ServiceSample s = r.service(svc);
                if (!s.running()) {
                    continue;
                }
                if ("0".equals(s.up())) {
                    down++;
                    longest = Math.max(longest, ++streak);
                } else {
                    streak = 0;
                }
                life.computeIfAbsent(s.pid(), k -> new ArrayList<>())
                        .add(new double[] {r.epochS(), s.rssMb(), s.cpuS(), s.fds(), s.threads()});
            }
            if (life.isEmpty()) {
                services.add(new ServiceRow(svc, false, 0, 0, 0, List.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
                continue;
            }
            if (longest >= 3) {
                findings.fail(
                        Criterion.PROCESS_PROBE_FAILURES,
                        svc + " was running but did not answer its health probe in " + longest + " samples in a row");
            }
            List<double[]> all = life.values().stream().flatMap(List::stream).toList();
            double cpu = life.values().stream()
                    .mapToDouble(l -> l.get(l.size() - 1)[2])
                    .sum();
            List<String> growth = new ArrayList<>();
            for (Map.Entry<String, List<double[]>> e : life.entrySet()) {
                List<double[]> l = e.getValue();
                double t0 = l.get(0)[0];
                List<double[]> warm =
                        l.stream().filter(x -> x[0] - t0 >= WARM_UP_S).toList();
                double span = l.get(l.size() - 1)[0] - t0;
                if (warm.size() >= 3 && span >= TOO_SHORT_FROM_S && span < JUDGED_AFTER_S) {
                    growth.add(String.format(
                            Locale.ROOT,
                            "(%+.1f, pid %s, %.0f min: too short to judge)",
                            slope(warm, 1) * 3600,
                            e.getKey(),
                            span / 60));
                }
                if (warm.size() >= 3 && span >= JUDGED_AFTER_S) {
                    double slope = slope(warm, 1) * 3600;
                    growth.add(String.format(
                            Locale.ROOT,
                            "%+.1f (fds %+.1f/h, threads %+.1f/h; pid %s, %.1f h)",
                            slope,
                            slope(warm, 3) * 3600,
                            slope(warm, 4) * 3600,
                            e.getKey(),
                            span / 3600));
                    if (slope > limitMbPerHour) {
                        findings.fail(
                                Criterion.RESOURCES_RSS_GROWTH,
                                String.format(
                                        Locale.ROOT,
                                        "%s (pid %s): RSS grew %.1f MB/h after warm-up, above the %.0f MB/h limit",
                                        svc,
                                        e.getKey(),
                                        slope,
                                        limitMbPerHour));
                    }
                }
            }
            double[] first = all.get(0), last = all.get(all.size() - 1);
            services.add(new ServiceRow(
                    svc,
                    true,
                    first[1],
                    all.stream().mapToDouble(x -> x[1]).max().orElse(0),
                    last[1],
                    growth,
                    cpu,
                    first[3],
                    all.stream().mapToDouble(x -> x[3]).max().orElse(0),
                    last[3],
                    first[4],
                    all.stream().mapToDouble(x -> x[4]).max().orElse(0),
                    last[4],
                    life.size(),
                    down,
                    longest));
        }
        Samples.Row f = rows.get(0), l = rows.get(rows.size() - 1);
        List<Total> totals = new ArrayList<>();
        for (String c : Samples.TOTALS) {
            double max = rows.stream()
                    .mapToDouble(r -> Inputs.parseDouble(r.get(c)))
                    .max()
                    .orElse(0);
            totals.add(new Total(c, f.get(c), l.get(c), (long) max));
        }
        return new Result(true, services, totals, limitMbPerHour, hours);
    }

    /** Least-squares slope of column {@code idx} over time (column 0), per second. */
    static double slope(List<double[]> pts, int idx) {
        double n = pts.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        double t0 = pts.get(0)[0];
        for (double[] p : pts) {
            double x = p[0] - t0;
            sx += x;
            sy += p[idx];
            sxx += x * x;
            sxy += x * p[idx];
        }
        double den = n * sxx - sx * sx;
        return den == 0 ? 0 : (n * sxy - sx * sy) / den;
    }
}
