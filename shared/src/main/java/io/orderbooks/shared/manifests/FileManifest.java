package io.orderbooks.shared.manifests;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.files.GzipRunHeader;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.records.RecordKinds;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The manifest written beside a closed raw file (docs/DATA-FORMAT.md §3): what it holds (records, kinds, assets, time
 * span), what
 * may be missing ({@code gaps}, recovery losses), how to check it ({@code bytes}, {@code sha256}, {@code md5} of the
 * compressed file) and who wrote it.
 *
 * @param file           the closed file's path relative to the data dir
 * @param counts         records by kind ({@link RecordKinds}); the values add up to {@code records}
 * @param closedReason   {@code rotation}, {@code shutdown}, {@code write-error}, {@code recovered},
 *                       {@code manifest-repaired}
 * @param recovery       null for a file closed by its writer; the salvage facts when recovery made it
 */
public record FileManifest(
        String file,
        StreamName stream,
        Instant hour,
        long bytes,
        String sha256,
        String md5,
        long records,
        long uncompressedBytes,
        Long firstRecvUs,
        Long lastRecvUs,
        Map<String, Long> counts,
        int assets,
        List<Gap> gaps,
        WriterInfo writer,
        String closedReason,
        Instant closedAt,
        RecoveryInfo recovery) {
    public static final String SCHEMA = "orderbooks.file-manifest/1";

    public FileManifest {
        counts = Map.copyOf(new TreeMap<>(counts));
        gaps = List.copyOf(gaps);
    }

    public boolean recovered() {
        return recovery != null;
    }

    /**
     * What recovery did: lines/bytes of the damaged original that could not be kept, where the original went, and
     * why it needed recovery. {@code writerRunId} is the run that wrote the file's lines, read from the original's
     * gzip header ({@link GzipRunHeader}); the manifest's {@code writer} is the run that recovered it. Null when the
     * original did not carry it (written before the header did; docs/DATA-FORMAT.md §3).
     */
    public record RecoveryInfo(
            long droppedLines, long droppedBytes, String quarantinedAs, String reason, String writerRunId) {}

    public byte[] toJson() {
        return Json.writePretty(this::write);
    }

    private void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", SCHEMA);
        g.writeStringField("file", file);
        g.writeStringField("stream", stream.value());
        g.writeStringField("hour", hour.toString());
        g.writeNumberField("bytes", bytes);
        g.writeStringField("sha256", sha256);
        g.writeStringField("md5", md5);
        g.writeNumberField("records", records);
        g.writeNumberField("uncompressed_bytes", uncompressedBytes);
        writeNullableLong(g, "first_recv_us", firstRecvUs);
        writeNullableLong(g, "last_recv_us", lastRecvUs);
        g.writeObjectFieldStart("counts");
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("assets", assets);
        g.writeArrayFieldStart("gaps");
        for (Gap gap : gaps) {
            g.writeStartObject();
            g.writeStringField("conn", gap.conn());
            g.writeNumberField("from_us", gap.fromUs());
            g.writeNumberField("to_us", gap.toUs());
            g.writeStringField("reason", gap.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("writer");
        g.writeStringField("service", writer.service());
        g.writeStringField("version", writer.version());
        g.writeStringField("instance", writer.instance().value());
        g.writeStringField("run_id", writer.runId());
        for (Map.Entry<String, String> e : writer.attributes().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeStringField("closed_reason", closedReason);
        g.writeStringField("closed_at", closedAt.toString());
        g.writeBooleanField("recovered", recovered());
        if (recovery != null) {
            g.writeObjectFieldStart("recovery");
            g.writeNumberField("dropped_lines", recovery.droppedLines());
            g.writeNumberField("dropped_bytes", recovery.droppedBytes());
            g.writeStringField("quarantined_as", recovery.quarantinedAs());
            g.writeStringField("reason", recovery.reason());
            g.writeStringField("writer_run_id", recovery.writerRunId());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeNullableLong(JsonGenerator g, String name, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }

    /** Reads a manifest back; throws with the reason when it is not a manifest of this schema. */
    public static FileManifest parse(byte[] json) throws IOException {
        JsonNode n = Json.parse(json);
        if (n == null || !SCHEMA.equals(Json.text(n, "schema"))) {
            throw new IOException("not a " + SCHEMA + " document");
        }
        try {
            Map<String, Long> counts = new TreeMap<>();
            n.path("counts")
                    .fields()
                    .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
            List<Gap> gaps = new ArrayList<>();
            for (JsonNode gn : n.path("gaps")) {
                gaps.add(new Gap(
                        Json.text(gn, "conn"),
                        gn.path("from_us").asLong(),
                        gn.path("to_us").asLong(),
                        Json.text(gn, "reason")));
            }
            JsonNode w = n.path("writer");
            Map<String, String> attrs = new TreeMap<>();
            w.fields().forEachRemaining(e -> {
                if (!List.of("service", "version", "instance", "run_id").contains(e.getKey())) {
                    attrs.put(e.getKey(), e.getValue().asText());
                }
            });
            WriterInfo writer = new WriterInfo(
                    Json.text(w, "service"),
                    Json.text(w, "version"),
                    InstanceId.of(Json.text(w, "instance")),
                    Json.text(w, "run_id"),
                    attrs);
            JsonNode r = n.get("recovery");
            RecoveryInfo recovery = r == null || r.isNull()
                    ? null
                    : new RecoveryInfo(
                            r.path("dropped_lines").asLong(),
                            r.path("dropped_bytes").asLong(),
                            Json.text(r, "quarantined_as"),
                            Json.text(r, "reason"),
                            Json.text(r, "writer_run_id"));
            return new FileManifest(
                    Json.text(n, "file"),
                    StreamName.of(Json.text(n, "stream")),
                    Instant.parse(Json.text(n, "hour")),
                    n.path("bytes").asLong(),
                    Json.text(n, "sha256"),
                    Json.text(n, "md5"),
                    n.path("records").asLong(),
                    n.path("uncompressed_bytes").asLong(),
                    nullableLong(n, "first_recv_us"),
                    nullableLong(n, "last_recv_us"),
                    counts,
                    n.path("assets").asInt(),
                    gaps,
                    writer,
                    Json.text(n, "closed_reason"),
                    Instant.parse(Json.text(n, "closed_at")),
                    recovery);
        } catch (RuntimeException e) {
            throw new IOException("malformed file manifest: " + e.getMessage(), e);
        }
    }

    private static Long nullableLong(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }
}
