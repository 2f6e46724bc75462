package io.orderbooks.shared.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The {@code .note.json} beside every quarantined artifact (docs/DATA-FORMAT.md §5): what it was, when and why it was
 * moved, and what replaces it. Written by recovery and by offload, read by offload's pruning and by the report.
 *
 * @param original      the artifact's data-dir relative path before it was moved
 * @param quarantinedAt null when a note does not say (or says something that is not a time)
 * @param replacement   the recovered file that replaces it, or null (then it is never pruned)
 */
public record QuarantineNote(String original, Instant quarantinedAt, String reason, String replacement) {
    public static final String SCHEMA = "orderbooks.quarantine-note/1";
    public static final String SUFFIX = ".note.json";
    /** Kept word for word since before pruning existed, so old and new notes read the same. */
    static final String STATUS = "invalid: do not use as data; kept for inspection, never deleted automatically";

    /** Where the note of a quarantined artifact lives. */
    public static Path pathFor(Path quarantined) {
        return quarantined.resolveSibling(quarantined.getFileName() + SUFFIX);
    }

    /**
     * A free name under {@code quarantine/} for {@code original}: its relative path, with {@code .1}, {@code .2}, …
     * appended while that name or its note is taken.
     */
    public static Path freeTarget(DataDir dir, Path original) {
        Path base = dir.quarantinePathFor(original);
        Path candidate = base;
        for (int i = 1; Files.exists(candidate) || Files.exists(pathFor(candidate)); i++) {
            candidate = base.resolveSibling(base.getFileName() + "." + i);
        }
        return candidate;
    }

    /** Writes this note (atomically) beside {@code quarantined}. */
    public void writeBeside(Path quarantined) throws IOException {
        byte[] note = Json.writePretty(g -> {
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("original", original);
            g.writeStringField("quarantined_at", quarantinedAt == null ? null : quarantinedAt.toString());
            g.writeStringField("reason", reason);
            g.writeStringField("replacement", replacement);
            g.writeStringField("status", STATUS);
            g.writeEndObject();
        });
        AtomicFiles.replace(pathFor(quarantined), note);
    }

    /** Reads a note; throws for one that is not JSON or has another {@code schema}. */
    public static QuarantineNote read(Path note) throws IOException {
        JsonNode n = Json.parse(Files.readAllBytes(note));
        if (n == null || !SCHEMA.equals(Json.text(n, "schema"))) {
            throw new IOException("not a quarantine note (" + SCHEMA + "): " + note.getFileName());
        }
        String replacement = Json.text(n, "replacement");
        return new QuarantineNote(
                Json.text(n, "original"),
                instant(Json.text(n, "quarantined_at")),
                Json.text(n, "reason"),
                replacement == null || replacement.isBlank() ? null : replacement);
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
