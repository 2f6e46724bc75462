package io.orderbooks.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The replay's two checks per UTC hour of receive time, for {@code make report} (docs/REPORT.md section 9): the
 * <em>hash agreement</em> (the rebuilt book against Polymarket's {@code hash} on {@code book} and
 * {@code price_changes[]} events) and the <em>REST agreement</em> (the rebuilt book against the REST book of the same
 * {@code timestamp}). One engine runs over the whole range, so a book known at the end of one hour stays known into
 * the next; each hour gets the difference of the engine's totals at its end and at its start.
 */
public final class HourlyChecks {
    private static final long HOUR_US = 3_600_000_000L;

    private HourlyChecks() {}

    /**
     * One check's counts. {@code notCheckable}: no verdict was possible (the book was unknown after data may have
     * been missing, or not known yet); such events count neither as agreed nor as disagreed.
     */
    public record Figures(long checked, long agreed, long disagreed, long notCheckable) {
        /** Agreed of checked, or null when nothing was checked. */
        public Double rate() {
            return checked == 0 ? null : agreed / (double) checked;
        }

        Figures minus(Figures o) {
            return new Figures(
                    checked - o.checked, agreed - o.agreed, disagreed - o.disagreed, notCheckable - o.notCheckable);
        }
    }

    /**
     * One hour. {@code unknownBecause}: why books became unknown in the hour (a gap, a disconnect, a seq hole, a
     * damaged file, …; docs/REPLAY.md), not counting the disagreements themselves; empty when nothing intervened.
     */
    public record Hour(Instant hour, Figures hash, Figures rest, Map<String, Long> unknownBecause) {
        /** Data may have been missing in this hour (a reason other than a disagreement made a book unknown). */
        public boolean gapIntervened() {
            return !unknownBecause.isEmpty();
        }
    }

    /** Every hour of {@code [from, to)} that holds a record of {@code rest_books} or {@code ws_market}, in order. */
    public static List<Hour> of(Path dataDir, Instant from, Instant to, Consumer<String> warn) throws IOException {
        RecordSource source = new RecordSource(dataDir, micros(from), micros(to), warn);
        ReplayEngine engine = new ReplayEngine(asset -> true, update -> {});
        List<Hour> out = new ArrayList<>();
        State state = new State(engine);
        source.forEach(rec -> {
            long hour = Math.floorDiv(rec.path("recv_us").asLong(), HOUR_US);
            if (hour != state.hour) {
                state.close(out);
                state.hour = hour;
            }
            engine.accept(rec);
        });
        state.close(out);
        return out;
    }

    /** The engine's totals at the start of the hour being read. */
    private static final class State {
        final ReplayEngine engine;
        long hour = Long.MIN_VALUE;
        Figures hash = new Figures(0, 0, 0, 0);
        Figures rest = new Figures(0, 0, 0, 0);
        Map<String, Long> unknown = Map.of();

        State(ReplayEngine engine) {
            this.engine = engine;
        }

        void close(List<Hour> out) {
            Tally t = engine.total();
            Figures h = new Figures(t.hashChecked, t.hashAgreed, t.hashDisagreed, t.hashNotCheckable);
            Figures r = new Figures(t.restCompared, t.restAgreed, t.restDisagreed, t.restNotComparable);
            Map<String, Long> u = new TreeMap<>(engine.counts.unknownBecause);
            if (hour != Long.MIN_VALUE) {
                Map<String, Long> inHour = new TreeMap<>();
                u.forEach((k, v) -> {
                    long d = v - unknown.getOrDefault(k, 0L);
                    if (d > 0 && !ReplayEngine.HASH_DISAGREEMENT.equals(k)) {
                        inHour.put(k, d);
                    }
                });
                out.add(new Hour(Instant.ofEpochSecond(hour * 3600), h.minus(hash), r.minus(rest), Map.copyOf(inHour)));
            }
            hash = h;
            rest = r;
            unknown = u;
        }
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }
}
