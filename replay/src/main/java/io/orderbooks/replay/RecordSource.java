package io.orderbooks.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderbooks.shared.files.GzipLines;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads the records of a data dir's closed {@code rest_books} and {@code ws_market} files (never {@code .open}
 * ones) for a receive-time range, merged by {@code recv_us}. The layout is docs/DATA-FORMAT.md §1: a record lives in
 * the file of the UTC hour of its {@code recv_us}, so each hour's files (every stream, instance and sequence number)
 * are merged on their own, hour after hour; each file is read in its own order, so every connection's frames keep
 * theirs. A file whose manifest says recovery dropped lines, or that cannot be read to its end, is followed by a
 * synthetic {@value #DAMAGED_EVENT} event (data may be missing right there).
 * <p>
 * Files are read through the data contract (module {@code shared}): {@link GzipLines} for the lines, the torn tail
 * and gzip damage, {@link FileManifest} for what recovery dropped.
 */
final class RecordSource {
    static final String DAMAGED_EVENT = "replay-damaged-file";
    /**
     * Field this reader adds to every record: the instance of the file it came from (its name, docs/DATA-FORMAT.md
     * §1). Connection ids are unique within an instance only (two instances' files in one data dir both have a
     * {@code ws-00.0}), so the engine keys a connection by instance and id ({@link #connection}), as the report does.
     */
    static final String INSTANCE_FIELD = "replay_instance";

    static final List<String> STREAMS = List.of("rest_books", "ws_market");
    private static final DateTimeFormatter DT =
            DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("'hour='HH").withZone(ZoneOffset.UTC);

    private final Path dataDir;
    private final long fromUs;
    private final long toUs;
    private final Consumer<String> warn;
    long linesRead;
    long bytesRead;
    /** Files opened so far, for the progress line. */
    int filesOpened;

    /** Records with {@code fromUs <= recv_us < toUs}. */
    RecordSource(Path dataDir, long fromUs, long toUs, Consumer<String> warn) {
        this.dataDir = dataDir;
        this.fromUs = fromUs;
        this.toUs = toUs;
        this.warn = warn;
    }

    /** The closed data files of one stream and hour, by name. */
    List<Path> files(String stream, Instant hour) throws IOException {
        Path dir =
                dataDir.resolve("raw").resolve(stream).resolve(DT.format(hour)).resolve(HOUR.format(hour));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".jsonl.gz") && !n.startsWith(".");
                    })
                    .sorted()
                    .toList();
        }
    }

    /** The hours the range touches. */
    List<Instant> hours() {
        List<Instant> out = new ArrayList<>();
        Instant h = micros(fromUs).truncatedTo(ChronoUnit.HOURS);
        for (; h.isBefore(micros(toUs)); h = h.plus(1, ChronoUnit.HOURS)) {
            out.add(h);
        }
        return out;
    }

    /** Every closed file of the range, for "is there anything at all". */
    List<Path> allFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Instant h : hours()) {
            for (String s : STREAMS) {
                out.addAll(files(s, h));
            }
        }
        return out;
    }

    /** The first and last hour that hold a closed file of either stream, or null when there is none. */
    static Instant[] hoursPresent(Path dataDir) throws IOException {
        Instant first = null;
        Instant last = null;
        for (String s : STREAMS) {
            Path root = dataDir.resolve("raw").resolve(s);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root, 3)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    String n = p.getFileName().toString();
                    if (!n.endsWith(".jsonl.gz") || n.startsWith(".")) {
                        continue;
                    }
                    Path hourDir = p.getParent();
                    try {
                        Instant h = Instant.parse(
                                hourDir.getParent().getFileName().toString().substring(3) + "T"
                                        + hourDir.getFileName().toString().substring(5) + ":00:00Z");
                        first = first == null || h.isBefore(first) ? h : first;
                        last = last == null || h.isAfter(last) ? h : last;
                    } catch (RuntimeException e) {
                        // not a dt=/hour= partition
                    }
                }
            }
        }
        return first == null ? null : new Instant[] {first, last};
    }

    /** Hands every record of the range to {@code sink}, in receive order. */
    void forEach(Consumer<JsonNode> sink) throws IOException {
        for (Instant hour : hours()) {
            PriorityQueue<Cursor> heads = new PriorityQueue<>(
                    Comparator.comparingLong((Cursor c) -> c.recvUs).thenComparingInt(c -> c.order));
            int order = 0;
            for (String stream : STREAMS) {
                for (Path f : files(stream, hour)) {
                    Cursor c = new Cursor(f, order++);
                    filesOpened++;
                    if (c.advance()) {
                        heads.add(c);
                    }
                }
            }
            while (!heads.isEmpty()) {
                Cursor c = heads.poll();
                JsonNode rec = c.current;
                if (c.recvUs >= fromUs && c.recvUs < toUs) {
                    sink.accept(rec);
                }
                if (c.advance()) {
                    heads.add(c);
                }
            }
        }
    }

    /** A connection's key across instances: {@code <instance>/<conn>}, or the id alone when the instance is unknown. */
    static String connection(String instance, String conn) {
        return conn == null || instance == null ? conn : instance + "/" + conn;
    }

    /** The instance in a raw file's name, or null for a name that is not one. */
    static String instanceOf(Path file) {
        try {
            return io.orderbooks.shared.layout.RawFile.parse(file).instance().value();
        } catch (RuntimeException notARawFileName) {
            return null;
        }
    }

    private static Instant micros(long us) {
        return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
    }

    /**
     * One file being read through the contract's reader ({@link GzipLines}, every line whole); {@code current} is its
     * next record, or the synthetic damaged event at its end.
     */
    private final class Cursor {
        final Path file;
        final int order;
        final GzipLines lines;
        final String instance;
        JsonNode current;
        long recvUs = Long.MIN_VALUE;
        boolean done;

        Cursor(Path file, int order) throws IOException {
            this.file = file;
            this.order = order;
            this.lines = GzipLines.open(file, false, GzipLines.WHOLE_LINES);
            this.instance = instanceOf(file);
        }

        boolean advance() {
            if (done) {
                return false;
            }
            String damage;
            try {
                if (lines.next()) {
                    linesRead++;
                    bytesRead += lines.length() + 1;
                    damage = lines.truncated() ? "a line longer than " + GzipLines.WHOLE_LINES + " bytes" : parse();
                    if (damage == null) {
                        return true;
                    }
                } else {
                    damage = endOfFile(lines.result());
                }
            } catch (IOException e) {
                damage = "unreadable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
            }
            done = true;
            close();
            if (damage == null) {
                return false;
            }
            warn.accept(dataDir.relativize(file) + ": " + damage
                    + "; books of the file's connections are unknown from there");
            ObjectNode ev = Json.MAPPER.createObjectNode();
            ev.put("recv_us", recvUs == Long.MIN_VALUE ? fromUs : recvUs);
            ev.put("src", "replay");
            ev.put("event", DAMAGED_EVENT);
            ev.put("file", dataDir.relativize(file).toString());
            ev.put("reason", damage);
            current = ev;
            recvUs = ev.get("recv_us").asLong();
            return true;
        }

        /** Null when the current line is a record (then {@code current} and {@code recvUs} are set), else why not. */
        private String parse() {
            try {
                current = Json.MAPPER.readTree(lines.buffer(), lines.offset(), lines.length());
            } catch (IOException e) {
                return "a line that is not JSON";
            }
            if (current != null && current.isObject() && current.has("recv_us")) {
                recvUs = current.get("recv_us").asLong();
                if (instance != null) {
                    ((ObjectNode) current).put(INSTANCE_FIELD, instance);
                }
                return null;
            }
            return "a line that is not a record";
        }

        /** Why data may be missing at the end of the file (docs/DATA-FORMAT.md §2, §3), or null for a sound end. */
        private String endOfFile(GzipLines.Result r) {
            if (r.gzipProblem() != null) {
                return "unreadable (" + r.gzipProblem() + ")";
            }
            if (r.tornBytes() > 0) {
                return "a torn last line (" + r.tornBytes() + " bytes without a newline)";
            }
            return droppedByRecovery();
        }

        /** "recovery dropped N lines" when the file's manifest says so, else null. */
        private String droppedByRecovery() {
            Path manifest = file.resolveSibling(file.getFileName() + ".manifest.json");
            if (!Files.isRegularFile(manifest)) {
                return null;
            }
            try {
                FileManifest m = FileManifest.parse(Files.readAllBytes(manifest));
                long dropped =
                        m.recovered() && m.recovery() != null ? m.recovery().droppedLines() : 0;
                return dropped > 0 ? "recovery dropped " + dropped + " line(s) at its end" : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        private void close() {
            try {
                lines.close();
            } catch (IOException e) {
                // reading only
            }
        }
    }
}
