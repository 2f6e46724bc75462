package io.orderbooks.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.InvalidMark;
import io.orderbooks.shared.manifests.Marks;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Honours the operator's invalid marks (docs/REPLAY.md "Invalid marks") between the reader and the engine: every
 * record of an hour that an active mark takes in (for {@code rest_books} or {@code ws_market}, any instance) is not
 * used, and a synthetic {@value #MARKED_EVENT} event at the start of that hour makes every book unknown, so a book is
 * valid again only at the first full book after the marked hours. Whole hours of both streams are withdrawn, because a
 * book rebuilt from part of an hour (say, REST books without the websocket frames between them) cannot be told right.
 */
final class MarkFilter implements Consumer<JsonNode> {
    static final String MARKED_EVENT = "replay-marked-invalid";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<StreamName> STREAMS = List.of(StreamName.REST_BOOKS, StreamName.WS_MARKET);

    private final Consumer<JsonNode> next;
    private final long readFromUs;
    /** Marked hours of the range (epoch hour → the marks taking it in), announced in order. */
    private final TreeMap<Long, List<InvalidMark>> pending = new TreeMap<>();

    /** Every marked hour of the range (epoch hour → the marks taking it in), kept for {@link #marksOf(long)}. */
    private final Map<Long, List<InvalidMark>> hoursMarked = new LinkedHashMap<>();

    private final Map<String, InvalidMark> applied = new LinkedHashMap<>();
    final Marks.Loaded loaded;
    long recordsNotUsed;

    MarkFilter(Marks.Loaded loaded, long readFromUs, long toUs, Consumer<JsonNode> next) {
        this.loaded = loaded;
        this.next = next;
        this.readFromUs = readFromUs;
        Instant h = Instant.ofEpochSecond(Math.floorDiv(readFromUs, 1_000_000L)).truncatedTo(ChronoUnit.HOURS);
        for (; h.getEpochSecond() * 1_000_000L < toUs; h = h.plus(1, ChronoUnit.HOURS)) {
            Set<InvalidMark> marks = new LinkedHashSet<>();
            for (StreamName s : STREAMS) {
                marks.addAll(loaded.coveringHour(s, h));
            }
            if (!marks.isEmpty()) {
                long hour = h.getEpochSecond() / 3600;
                pending.put(hour, List.copyOf(marks));
                hoursMarked.put(hour, List.copyOf(marks));
                marks.forEach(m -> applied.put(m.id(), m));
            }
        }
    }

    @Override
    public void accept(JsonNode rec) {
        long recvUs = rec.path("recv_us").asLong();
        long hour = Math.floorDiv(recvUs, 3_600_000_000L);
        while (!pending.isEmpty() && pending.firstKey() <= hour) {
            Map.Entry<Long, List<InvalidMark>> e = pending.pollFirstEntry();
            next.accept(announcement(e.getKey(), e.getValue()));
        }
        if (hoursMarked.containsKey(hour)) {
            recordsNotUsed++;
            return;
        }
        next.accept(rec);
    }

    private JsonNode announcement(long hour, List<InvalidMark> marks) {
        ObjectNode ev = JSON.createObjectNode();
        ev.put("recv_us", Math.max(hour * 3_600_000_000L, readFromUs));
        ev.put("src", "replay");
        ev.put("event", MARKED_EVENT);
        var ids = ev.putArray("marks");
        marks.forEach(m -> ids.add(m.id()));
        return ev;
    }

    /** The marks that take in at least one hour of the range, oldest first. */
    List<InvalidMark> applied() {
        return List.copyOf(applied.values());
    }

    /** The marks that withdraw the hour {@code epochHour} (hours since the epoch), empty when it is used. */
    List<InvalidMark> marksOf(long epochHour) {
        return hoursMarked.getOrDefault(epochHour, List.of());
    }

    int hoursMarked() {
        return hoursMarked.size();
    }

    /** The marks in force over the range and the mark files not used, for stderr before the run. */
    void describe(PrintStream err, String tool) {
        for (Marks.BadMark b : loaded.bad()) {
            err.println(tool + ": warning: mark file " + b.file() + " not used: " + b.reason());
        }
        for (InvalidMark m : applied.values()) {
            err.println(tool + ": marked invalid, not used: " + m.describe() + " (" + m.id() + ": " + m.reason()
                    + "; by " + m.by() + " at " + m.at() + ")");
        }
    }

    /** The {@code marks} section of replay's report and export's manifest. */
    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> marks = new ArrayList<>();
        for (InvalidMark m : applied.values()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", m.id());
            x.put("scope", m.scope().name().toLowerCase(java.util.Locale.ROOT));
            x.put("file", m.file());
            x.put("stream", m.stream().value());
            x.put("instance", m.instance() == null ? null : m.instance().value());
            x.put("from", m.from().toString());
            x.put("to", m.to().toString());
            x.put("reason", m.reason());
            x.put("by", m.by());
            x.put("at", m.at().toString());
            x.put("mark_file", m.relativePath());
            marks.add(x);
        }
        out.put("applied", marks);
        out.put("hours_not_used", hoursMarked.size());
        out.put("records_not_used", recordsNotUsed);
        List<Map<String, Object>> bad = new ArrayList<>();
        for (Marks.BadMark b : loaded.bad()) {
            bad.add(Map.of("file", b.file(), "reason", b.reason()));
        }
        out.put("bad_mark_files", bad);
        return out;
    }
}
