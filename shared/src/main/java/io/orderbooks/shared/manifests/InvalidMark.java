package io.orderbooks.shared.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.InvalidNameException;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One invalid mark (docs/DATA-FORMAT.md §8): an operator's statement that raw data must not be used, with the reason,
 * who said it and when. It never touches the raw bytes or their manifests; readers (replay, export, the report) honour
 * it. A mark is never edited or deleted: it is withdrawn by a later {@link Action#REVOKE} mark naming its id, which
 * repeats the scope of the mark it withdraws so that each file says on its own what it concerns.
 *
 * @param scope    {@link Scope#FILE}: one raw file ({@code file}, its data-dir relative path); {@link Scope#HOURS}: every
 *                 file of {@code stream} (of {@code instance}, or of every instance when null) in the whole UTC hours
 *                 {@code [from, to)}. For a file mark {@code from}/{@code to} are the file's hour.
 * @param revokes  the id of the mark a {@link Action#REVOKE} withdraws; null for a {@link Action#MARK}
 */
public record InvalidMark(
        String id,
        Action action,
        String revokes,
        Scope scope,
        String file,
        StreamName stream,
        InstanceId instance,
        Instant from,
        Instant to,
        String reason,
        String by,
        Instant at) {
    public static final String SCHEMA = "orderbooks.invalid-mark/1";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH'Z'").withZone(ZoneOffset.UTC);

    public enum Action {
        MARK,
        REVOKE
    }

    public enum Scope {
        FILE,
        HOURS
    }

    public InvalidMark {
        require(id != null && ID.matcher(id).matches(), "id must match " + ID + ": " + id);
        require(action != null && scope != null && stream != null, "action, scope and stream are required");
        require((action == Action.REVOKE) == (revokes != null), "revokes is set exactly on a revoke");
        require(revokes == null || ID.matcher(revokes).matches(), "revokes must be a mark id: " + revokes);
        require(reason != null && !reason.isBlank(), "a reason is required");
        require(by != null && !by.isBlank(), "who marked it (by) is required");
        require(at != null, "when it was marked (at) is required");
        require(from != null && to != null, "from and to are required");
        require(
                from.truncatedTo(ChronoUnit.HOURS).equals(from)
                        && to.truncatedTo(ChronoUnit.HOURS).equals(to),
                "from and to must be whole UTC hours");
        require(from.isBefore(to), "from " + from + " must be before to " + to);
        if (scope == Scope.FILE) {
            RawFile f = parseFile(file);
            require(f.stream().equals(stream), "stream " + stream.value() + " is not the file's");
            require(instance != null && f.instance().equals(instance), "instance is not the file's");
            require(
                    f.hour().equals(from) && to.equals(from.plus(1, ChronoUnit.HOURS)),
                    "from/to are not the file's hour");
        } else {
            require(file == null, "an hours mark names no file");
        }
    }

    /** A mark on one raw file, by its data-dir relative path ({@code raw/<stream>/dt=…/hour=…/<name>.jsonl.gz}). */
    public static InvalidMark forFile(String relativePath, String reason, String by, Instant at) {
        RawFile f = parseFile(relativePath);
        return new InvalidMark(
                newId(at),
                Action.MARK,
                null,
                Scope.FILE,
                relativePath,
                f.stream(),
                f.instance(),
                f.hour(),
                f.hour().plus(1, ChronoUnit.HOURS),
                reason,
                by,
                at);
    }

    /** A mark on the whole hours {@code [from, to)} of a stream, of one instance or (null) of every instance. */
    public static InvalidMark forHours(
            StreamName stream, InstanceId instance, Instant from, Instant to, String reason, String by, Instant at) {
        return new InvalidMark(
                newId(at), Action.MARK, null, Scope.HOURS, null, stream, instance, from, to, reason, by, at);
    }

    /** The mark that withdraws {@code mark}: same scope, its own reason, who and when. */
    public static InvalidMark revocationOf(InvalidMark mark, String reason, String by, Instant at) {
        if (mark.action() != Action.MARK) {
            throw new IllegalArgumentException(mark.id() + " is itself a revocation");
        }
        return new InvalidMark(
                newId(at),
                Action.REVOKE,
                mark.id(),
                mark.scope(),
                mark.file(),
                mark.stream(),
                mark.instance(),
                mark.from(),
                mark.to(),
                reason,
                by,
                at);
    }

    /** Whether this mark's scope takes in the raw file {@code f}. */
    public boolean covers(RawFile f) {
        if (scope == Scope.FILE) {
            return f.relativePath().equals(file);
        }
        return f.stream().equals(stream)
                && (instance == null || instance.equals(f.instance()))
                && !f.hour().isBefore(from)
                && f.hour().isBefore(to);
    }

    /** Whether this mark takes in (some instance's file of) {@code stream} in the hour starting at {@code hour}. */
    public boolean coversHour(StreamName s, Instant hour) {
        return stream.equals(s) && !hour.isBefore(from) && hour.isBefore(to);
    }

    /**
     * Where the mark lives, relative to the data dir: {@code marks/} followed by the folder of what it concerns (the
     * file's hour folder, or {@code raw/<stream>} for hours), then {@code <id>.mark.json}.
     */
    public String relativePath() {
        return "marks/" + remotePath();
    }

    /**
     * The mark's path beside the files it concerns ({@link #relativePath()} without {@code marks/}): where offload
     * puts it on the remote, so that anyone reading a Drive folder sees it next to the files (docs/OPERATIONS.md §6).
     */
    public String remotePath() {
        String folder = scope == Scope.FILE ? file.substring(0, file.lastIndexOf('/')) : "raw/" + stream.value();
        return folder + "/" + id + DataDirScan.MARK_SUFFIX;
    }

    /** What the mark concerns, in one line: the file, or stream, instance and hours. */
    public String describe() {
        if (scope == Scope.FILE) {
            return file;
        }
        return stream.value() + (instance == null ? " (every instance)" : " of " + instance.value()) + " "
                + HOUR.format(from) + " .. " + HOUR.format(to);
    }

    public byte[] toJson() {
        return Json.writePretty(g -> {
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("id", id);
            g.writeStringField("action", action.name().toLowerCase(Locale.ROOT));
            g.writeStringField("revokes", revokes);
            g.writeStringField("scope", scope.name().toLowerCase(Locale.ROOT));
            g.writeStringField("file", file);
            g.writeStringField("stream", stream.value());
            g.writeStringField("instance", instance == null ? null : instance.value());
            g.writeStringField("from", from.toString());
            g.writeStringField("to", to.toString());
            g.writeStringField("reason", reason);
            g.writeStringField("by", by);
            g.writeStringField("at", at.toString());
            g.writeEndObject();
        });
    }

    /** Reads a mark; throws {@link IOException} with the reason for anything that is not a whole, valid mark. */
    public static InvalidMark parse(byte[] bytes) throws IOException {
        JsonNode n;
        try {
            n = Json.parse(bytes);
        } catch (IOException e) {
            throw new IOException(
                    "not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (n == null || !n.isObject()) {
            throw new IOException("not a JSON object");
        }
        if (!SCHEMA.equals(Json.text(n, "schema"))) {
            throw new IOException("schema is " + Json.text(n, "schema") + ", not " + SCHEMA);
        }
        try {
            String instance = Json.text(n, "instance");
            return new InvalidMark(
                    Json.text(n, "id"),
                    choice(Action.class, Json.text(n, "action"), "action"),
                    Json.text(n, "revokes"),
                    choice(Scope.class, Json.text(n, "scope"), "scope"),
                    Json.text(n, "file"),
                    StreamName.of(Json.text(n, "stream")),
                    instance == null ? null : InstanceId.of(instance),
                    instant(n, "from"),
                    instant(n, "to"),
                    Json.text(n, "reason"),
                    Json.text(n, "by"),
                    instant(n, "at"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(e.getMessage());
        }
    }

    private static Instant instant(JsonNode n, String field) throws IOException {
        String text = Json.text(n, field);
        if (text == null) {
            throw new IOException(field + " is missing");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IOException(field + " is not a time: " + text);
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String text, String field) throws IOException {
        try {
            return Enum.valueOf(type, text == null ? "" : text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IOException(field + " is " + text + ", not one of mark/revoke, file/hours");
        }
    }

    private static RawFile parseFile(String relativePath) {
        require(relativePath != null, "a file mark names its file");
        RawFile f = RawFile.parse(relativePath.substring(relativePath.lastIndexOf('/') + 1));
        require(
                f.relativePath().equals(relativePath),
                "file " + relativePath + " is not a raw file's data-dir relative path (" + f.relativePath() + ")");
        return f;
    }

    /** {@code m<at>-<4 hex>}: sorts by time, and two marks of the same second still differ. */
    private static String newId(Instant at) {
        return "m" + STAMP.format(at) + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidNameException("invalid mark: " + message);
        }
    }
}
