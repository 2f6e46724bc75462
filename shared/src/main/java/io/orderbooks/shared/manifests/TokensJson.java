package io.orderbooks.shared.manifests;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.TokenId;
import io.orderbooks.shared.records.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/** Reads, validates and publishes {@code tokens.json} (docs/DATA-FORMAT.md §4). */
public final class TokensJson {
    /** 32-byte CTF condition ids, and the 31-byte ones of Protocol V2 markets (docs/DATA-FORMAT.md §4). */
    private static final Pattern CONDITION_ID = Pattern.compile("0x(?:[0-9a-fA-F]{62}|[0-9a-fA-F]{64})");

    private static final Pattern DECIMAL_STRING = Pattern.compile("[0-9]*\\.?[0-9]+");

    private TokensJson() {}

    public static byte[] write(TokensFile file) {
        return Json.writePretty(g -> write(g, file));
    }

    private static void write(JsonGenerator g, TokensFile f) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", f.schema());
        g.writeStringField("generated_at", f.generatedAt().toString());
        g.writeStringField("run_id", f.runId());
        g.writeStringField("source", f.source());
        g.writeFieldName("filters");
        Json.MAPPER.writeTree(g, f.filters());
        g.writeNumberField("markets", f.markets());
        g.writeArrayFieldStart("tokens");
        for (TokenEntry t : f.tokens()) {
            g.writeStartObject();
            g.writeStringField("token_id", t.tokenId());
            g.writeStringField("outcome", t.outcome());
            g.writeNumberField("outcome_index", t.outcomeIndex());
            g.writeStringField("condition_id", t.conditionId());
            g.writeStringField("market_id", t.marketId());
            g.writeStringField("protocol", t.protocol().wire());
            g.writeStringField("slug", t.slug());
            g.writeStringField("question", t.question());
            g.writeStringField("event_slug", t.eventSlug());
            g.writeBooleanField("neg_risk", t.negRisk());
            g.writeStringField("end_date", t.endDate());
            g.writeStringField("tick_size", t.tickSize());
            g.writeStringField("min_order_size", t.minOrderSize());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Reads and validates strictly: a missing, partial or invalid file throws with every reason found. */
    public static TokensFile read(Path path) throws IOException {
        return parse(readBytes(path), path.toString());
    }

    /**
     * Reads as a follower of the list must (docs/DATA-FORMAT.md §4): only a structurally unreadable file throws (not
     * JSON, another
     * schema, no {@code generated_at}, no {@code tokens} array); each bad entry is skipped with its reason and the
     * valid rest is returned.
     */
    public static TokensRead readLenient(Path path) throws IOException {
        return parseLenient(readBytes(path), path.toString());
    }

    private static byte[] readBytes(Path path) throws IOException {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no token list published yet");
        }
    }

    /** Strict: every entry must be valid and {@code markets} must match, else every reason is thrown. */
    public static TokensFile parse(byte[] bytes, String what) throws InvalidTokensFileException {
        JsonNode root = root(bytes, what);
        TokensRead read = parseLenient(root, what);
        List<String> problems = new ArrayList<>();
        read.skipped().forEach(s -> problems.add(s.toString()));
        JsonNode markets = root.get("markets");
        if (markets == null || !markets.canConvertToInt()) {
            problems.add("markets is missing or not a number");
        } else if (problems.isEmpty() && markets.asInt() != read.file().markets()) {
            problems.add("markets says " + markets.asInt() + " but the tokens belong to "
                    + read.file().markets());
        }
        if (!problems.isEmpty()) {
            throw new InvalidTokensFileException(what, problems);
        }
        return read.file();
    }

    public static TokensRead parseLenient(byte[] bytes, String what) throws InvalidTokensFileException {
        return parseLenient(root(bytes, what), what);
    }

    private static JsonNode root(byte[] bytes, String what) throws InvalidTokensFileException {
        JsonNode root;
        try {
            root = Json.parse(bytes);
        } catch (IOException e) {
            throw new InvalidTokensFileException(
                    what,
                    List.of("not valid JSON ("
                            + e.getMessage().lines().findFirst().orElse("") + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidTokensFileException(what, List.of("not a JSON object"));
        }
        return root;
    }

    private static TokensRead parseLenient(JsonNode root, String what) throws InvalidTokensFileException {
        List<String> problems = new ArrayList<>();
        if (!TokensFile.SCHEMA.equals(Json.text(root, "schema"))) {
            problems.add("schema is '" + Json.text(root, "schema") + "', expected " + TokensFile.SCHEMA);
        }
        Instant generatedAt = null;
        try {
            generatedAt = Instant.parse(String.valueOf(Json.text(root, "generated_at")));
        } catch (DateTimeParseException e) {
            problems.add("generated_at is not an ISO-8601 instant");
        }
        JsonNode tokensNode = root.get("tokens");
        if (tokensNode == null || !tokensNode.isArray()) {
            problems.add("tokens is missing or not an array");
        }
        if (!problems.isEmpty()) {
            throw new InvalidTokensFileException(what, problems);
        }
        List<TokenEntry> tokens = new ArrayList<>();
        List<TokensRead.Skipped> skipped = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonNode t : tokensNode) {
            int index = i++;
            String id = t.isObject()
                            && t.get("token_id") != null
                            && t.get("token_id").isTextual()
                    ? t.get("token_id").asText()
                    : null;
            String reason = structure(t);
            TokenEntry e = reason == null ? entry(t) : null;
            if (e != null && !problems(e).isEmpty()) {
                reason = String.join("; ", problems(e));
            }
            if (reason == null && !seen.add(e.tokenId())) {
                reason = "token_id is listed twice";
            }
            if (reason != null) {
                skipped.add(new TokensRead.Skipped(index, id, reason));
            } else {
                tokens.add(e);
            }
        }
        TokensFile file = TokensFile.of(
                generatedAt, Json.text(root, "run_id"), Json.text(root, "source"), root.get("filters"), tokens);
        return new TokensRead(file, skipped);
    }

    /** Null when the entry has every field with the right JSON type; else the first reason. */
    private static String structure(JsonNode t) {
        if (!t.isObject()) {
            return "not an object";
        }
        JsonNode idx = t.get("outcome_index");
        if (idx == null || !idx.isInt()) {
            return "outcome_index is missing or not an integer";
        }
        JsonNode neg = t.get("neg_risk");
        if (neg == null || !neg.isBoolean()) {
            return "neg_risk is missing or not a boolean";
        }
        for (String field : List.of("token_id", "outcome", "condition_id", "market_id")) {
            JsonNode v = t.get(field);
            if (v == null || !v.isTextual()) {
                return field + " is missing or not a string";
            }
        }
        JsonNode protocol = t.get("protocol");
        if (protocol != null
                && !(protocol.isTextual()
                        && Protocol.fromWire(protocol.asText()).isPresent())) {
            return "protocol is " + protocol + ", not one of v1, v2";
        }
        return null;
    }

    private static TokenEntry entry(JsonNode t) {
        // Lists written before Protocol V2 existed carry no protocol; they held v1 markets only.
        Protocol protocol = Protocol.fromWire(Json.text(t, "protocol")).orElse(Protocol.V1);
        return new TokenEntry(
                Json.text(t, "token_id"),
                Json.text(t, "outcome"),
                t.get("outcome_index").asInt(),
                Json.text(t, "condition_id"),
                Json.text(t, "market_id"),
                Json.text(t, "slug"),
                Json.text(t, "question"),
                Json.text(t, "event_slug"),
                t.get("neg_risk").asBoolean(),
                Json.text(t, "end_date"),
                Json.text(t, "tick_size"),
                Json.text(t, "min_order_size"),
                protocol);
    }

    /** Every semantic problem of one entry; empty when it is valid. */
    static List<String> problems(TokenEntry t) {
        List<String> problems = new ArrayList<>();
        if (!TokenId.isValid(t.tokenId())) {
            problems.add("token_id is not a decimal string");
        }
        if (t.conditionId() == null || !CONDITION_ID.matcher(t.conditionId()).matches()) {
            problems.add("condition_id is not 0x + 62 or 64 hex digits");
        }
        if (t.outcome() == null || t.outcome().isBlank()) {
            problems.add("outcome is empty");
        }
        if (t.outcomeIndex() < 0) {
            problems.add("outcome_index is negative");
        }
        for (String[] f : new String[][] {{"tick_size", t.tickSize()}, {"min_order_size", t.minOrderSize()}}) {
            if (f[1] != null && !DECIMAL_STRING.matcher(f[1]).matches()) {
                problems.add(f[0] + " is not a decimal string: " + f[1]);
            }
        }
        return problems;
    }

    /** Semantic checks before publishing: every entry valid, token ids unique, the market count right. */
    public static List<String> validate(TokensFile file) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> conditions = new HashSet<>();
        for (int i = 0; i < file.tokens().size(); i++) {
            TokenEntry t = file.tokens().get(i);
            String where = "tokens[" + i + "]";
            List<String> own = problems(t);
            if (!own.isEmpty()) {
                own.forEach(p -> problems.add(where + "." + p));
                continue;
            }
            if (!seen.add(t.tokenId())) {
                problems.add(where + ".token_id " + t.tokenId() + " is listed twice");
            }
            conditions.add(t.conditionId().toLowerCase());
        }
        if (file.markets() != conditions.size() && problems.isEmpty()) {
            problems.add("markets says " + file.markets() + " but the tokens belong to " + conditions.size());
        }
        return problems;
    }

    /**
     * {@link #publish(DataDir, TokensFile, WriterInfo)} by a writer described from the list itself (tests and tools
     * that
     * publish a list without being discovery-svc).
     */
    public static Path publish(DataDir dir, TokensFile file) throws IOException {
        return publish(
                dir,
                file,
                new WriterInfo(
                        "discovery-svc",
                        "unknown",
                        InstanceId.of("local"),
                        file.runId() == null || file.runId().isBlank() ? "unknown" : file.runId()));
    }

    /**
     * Publishes a validated list: a gzip copy under {@code discovery/history/}, named with the writer's instance
     * ({@link io.orderbooks.shared.layout.HistoryCopyName}), then its manifest
     * ({@link TokensHistory}; a manifest means the copy is complete, and offload uploads it), then the atomic replace
     * of {@code discovery/tokens.json}. Returns the history path.
     */
    public static Path publish(DataDir dir, TokensFile file, WriterInfo writer) throws IOException {
        List<String> problems = validate(file);
        if (!problems.isEmpty()) {
            throw new InvalidTokensFileException("refusing to publish tokens.json", problems);
        }
        byte[] json = write(file);
        Path history = dir.tokensHistory(file.generatedAt(), writer.instance());
        ByteArrayOutputStream gz = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(json);
        }
        byte[] copy = gz.toByteArray();
        AtomicFiles.replace(history, copy);
        TokensHistory.writeManifest(
                dir, history, copy, json.length, file.tokens().size(), writer, TokensHistory.PUBLISHED, Instant.now());
        AtomicFiles.replace(dir.tokensFile(), json);
        return history;
    }
}
