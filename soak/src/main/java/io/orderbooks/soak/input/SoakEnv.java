package io.orderbooks.soak.input;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code soak.env}: the run's settings, versions, host, start and end, written by scripts/soak.sh as {@code key=value}
 * lines (docs/SOAK.md). Values are kept as text; the reconciliation reads a few as numbers.
 */
public record SoakEnv(Map<String, String> values) {
    public SoakEnv {
        values = Map.copyOf(values);
    }

    public static SoakEnv read(Path p) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Inputs.lines(p)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new SoakEnv(m);
    }

    /** The value, or null (rendered as "null", as the report always did for a missing key). */
    public String get(String key) {
        return values.get(key);
    }

    public String get(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    public long number(String key, long dflt) {
        return Inputs.parseLong(values.get(key), dflt);
    }

    public long startMs() {
        return number("start_ms", 0);
    }

    /** The end, or {@code now} for a run that did not record one (interrupted hard). */
    public long endMs(long now) {
        return number("end_ms", now);
    }

    public long sampleEverySeconds() {
        return number("sample_every_s", 60);
    }

    public double rssGrowthLimitMbPerHour() {
        return Double.parseDouble(get("rss_growth_limit_mb_per_h", "64"));
    }

    /** {@code on} when the fault schedule ran. */
    public boolean faultsOn() {
        return "on".equals(get("faults"));
    }

    public boolean finalFlushEmptied() {
        return "yes".equals(get("final_flush_backlog_empty"));
    }
}
