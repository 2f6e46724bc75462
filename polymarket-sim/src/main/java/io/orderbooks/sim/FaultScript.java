package io.orderbooks.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Faults to apply at fixed offsets after start, e.g.
 * {@code "5s silence seconds=10; 30s drop; 1m http status=503 count=3 scope=clob; 90s disappear market=random"}.
 * Entries are separated by {@code ;} (or new lines); each is {@code <offset> <fault> [key=value…]} with the fault
 * names of {@link Faults}. Offsets take ms, s, m or h.
 */
public record FaultScript(List<Entry> entries) {

    public record Entry(Duration at, String fault, Map<String, String> params) {}

    public FaultScript {
        entries = List.copyOf(entries);
    }

    public static FaultScript parse(String script) {
        List<Entry> out = new ArrayList<>();
        if (script == null) {
            return new FaultScript(out);
        }
        for (String raw : script.split("[;\\n]")) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length < 2) {
                throw new IllegalArgumentException("fault script entry needs '<offset> <fault>': " + line);
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 2; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "fault parameter must be key=value: " + parts[i] + " in: " + line);
                }
                params.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
            out.add(new Entry(duration(parts[0]), parts[1], params));
        }
        return new FaultScript(out);
    }

    static Duration duration(String s) {
        String v = s.trim().toLowerCase();
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("offset needs a unit (ms, s, m, h): " + s);
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("bad offset: " + s, e);
        }
    }
}
