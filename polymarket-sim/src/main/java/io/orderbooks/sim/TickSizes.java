package io.orderbooks.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tick sizes a market can have and how often each occurs (Polymarket's tick sizes: 0.005 and 0.0025 since
 * 2026-07, 0.1 and 0.0001 still exist, so prices can have four decimals). Written {@code tick:weight,…}, e.g.
 * {@code 0.01:62,0.001:15,0.1:3,0.005:8,0.0025:4,0.0001:8}; weights need not sum to 1.
 *
 * @param entries ticks with their weights, in the written order
 */
public record TickSizes(List<Entry> entries) {
    /** The ticks Polymarket has (and the only ones accepted here): all divide 1 on the 0.0001 price grid. */
    static final List<String> KNOWN = List.of("0.1", "0.01", "0.005", "0.0025", "0.001", "0.0001");

    /**
     * The other tick a market's {@code tick_size_change} moves to and back: a finer tick that divides the home tick,
     * so every resting price stays valid on the way there (0.0001 has none finer and goes to 0.001 and back).
     */
    private static final Map<String, String> ALTERNATE = Map.of(
            "0.1", "0.01", "0.01", "0.001", "0.005", "0.001", "0.0025", "0.0001", "0.001", "0.0001", "0.0001", "0.001");

    public static final String DEFAULT = "0.01:62,0.001:15,0.1:3,0.005:8,0.0025:4,0.0001:8";

    public record Entry(String tick, double weight) {}

    public TickSizes {
        entries = List.copyOf(entries);
        if (entries.isEmpty() || entries.stream().mapToDouble(Entry::weight).sum() <= 0) {
            throw new IllegalArgumentException("tick sizes need at least one positive weight");
        }
    }

    public static TickSizes parse(String text) {
        List<Entry> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.trim().split(":");
            String tick = kv[0].trim();
            if (!KNOWN.contains(tick)) {
                throw new IllegalArgumentException("unknown tick size " + tick + " (known: " + KNOWN + ")");
            }
            double weight = kv.length > 1 ? Double.parseDouble(kv[1].trim()) : 1;
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight for tick " + tick);
            }
            out.add(new Entry(tick, weight));
        }
        return new TickSizes(out);
    }

    /** The tick for a uniform draw {@code u} in [0, 1). */
    String pick(double u) {
        double total = entries.stream().mapToDouble(Entry::weight).sum();
        double x = u * total;
        for (Entry e : entries) {
            x -= e.weight();
            if (x < 0) {
                return e.tick();
            }
        }
        return entries.getLast().tick();
    }

    static String alternate(String tick) {
        return ALTERNATE.getOrDefault(tick, tick);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(sb.isEmpty() ? "" : ",").append(e.tick()).append(':').append(e.weight());
        }
        return sb.toString();
    }
}
