package io.orderbooks.replay;

import io.orderbooks.shared.manifests.InvalidMark;
import io.orderbooks.shared.manifests.Marks;
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
 * the next; each hour gets the difference of the engine's totals at its end and at its start. The operator's invalid
 * marks are honoured as replay honours them, through the same {@link MarkFilter}: a marked hour is not used (its
 * records reach no check) and every book is unknown from its start until the next full book (docs/REPLAY.md "Invalid
 * marks").
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
     * damaged file, a mark, …; docs/REPLAY.md), not counting the disagreements themselves; empty when nothing
     * intervened. {@code marks}: the active invalid marks that withdrew the hour (its records were not used), oldest
     * first; empty when the hour was used.
     */
    public record Hour(
            Instant hour, Figures hash, Figures rest, Map<String, Long> unknownBecause, List<InvalidMark> marks) {
        /** The operator marked the hour invalid: its records were not used. */
        public boolean markedInvalid() {
            return !marks.isEmpty();
        }

        /** Data may have been missing in this hour (a reason other than a disagreement made a book unknown). */
        public boolean gapIntervened() {
            return !unknownBecause.isEmpty();
        }
    }

    /**
     * Every hour of {@code [from, to)} that holds a record of {@code rest_books} or {@code ws_market}, in order, with
     * {@code marks} (as {@link Marks#read} gave them) honoured.
     */
    public static List<Hour> of(Path dataDir, Instant from, Instant to, Marks.Loaded marks, Consumer<String> warn)
            throws IOException {
        RecordSource source = new RecordSource(dataDir, micros(from), micros(to), warn);
        ReplayEngine engine = new ReplayEngine(asset -> true, update -> {});
        List<Hour> out = new ArrayList<>();
        State state = new State(engine);
        // The filter lets an announcement of each marked hour through (at the hour's start) and no record of it, so
        // a marked hour that holds records still gets its row, with nothing checked in it.
        MarkFilter filter = new MarkFilter(marks, micros(from), micros(to), rec -> {
            long hour = Math.floorDiv(rec.path("recv_us").asLong(), HOUR_US);
            if (hour != state.hour) {
                state.close(out);
                state.hour = hour;
                state.marks = state.filter.marksOf(hour);
            }
            engine.accept(rec);
        });
        state.filter = filter;
        source.forEach(filter);
        state.close(out);
        return out;
    }

    /** The engine's totals at the start of the hour being read. */
    private static final class State {
        final ReplayEngine engine;
        MarkFilter filter;
        long hour = Long.MIN_VALUE;
        List<InvalidMark> marks = List.of();
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
                out.add(new Hour(
                        Instant.ofEpochSecond(hour * 3600), h.minus(hash), r.minus(rest), Map.copyOf(inHour), marks));
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
