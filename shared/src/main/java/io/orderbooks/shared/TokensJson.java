package io.orderbooks.shared;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
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

/** Reads, validates and publishes {@code tokens.json} (SPEC §5). */
public final class TokensJson {
    private static final Pattern CONDITION_ID = Pattern.compile("0x[0-9a-fA-F]{64}");
    private static final Pattern DECIMAL_STRING = Pattern.compile("[0-9]*\\.?[0-9]+");

    private TokensJson() {
    }

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

    /** Reads and validates; a missing, partial or invalid file throws with every reason found. */
    public static TokensFile read(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no token list published yet");
        }
        return parse(bytes, path.toString());
    }

    public static TokensFile parse(byte[] bytes, String what) throws InvalidTokensFileException {
        JsonNode root;
        try {
            root = Json.parse(bytes);
        } catch (IOException e) {
            throw new InvalidTokensFileException(what, List.of("not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")"));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new InvalidTokensFileException(what, List.of("not a JSON object"));
        }
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
        List<TokenEntry> tokens = new ArrayList<>();
        if (tokensNode == null || !tokensNode.isArray()) {
            problems.add("tokens is missing or not an array");
        } else {
            int i = 0;
            for (JsonNode t : tokensNode) {
                TokenEntry e = token(t, i++, problems);
                if (e != null) {
                    tokens.add(e);
                }
            }
        }
        JsonNode markets = root.get("markets");
        if (markets == null || !markets.canConvertToInt()) {
            problems.add("markets is missing or not a number");
        }
        if (!problems.isEmpty()) {
            throw new InvalidTokensFileException(what, problems);
        }
        TokensFile file = new TokensFile(TokensFile.SCHEMA, generatedAt, Json.text(root, "run_id"), Json.text(root, "source"),
                root.get("filters"), markets.asInt(), tokens);
        List<String> semantic = validate(file);
        if (!semantic.isEmpty()) {
            throw new InvalidTokensFileException(what, semantic);
        }
        return file;
    }

    private static TokenEntry token(JsonNode t, int index, List<String> problems) {
        String where = "tokens[" + index + "]";
        if (!t.isObject()) {
            problems.add(where + " is not an object");
            return null;
        }
        JsonNode idx = t.get("outcome_index");
        JsonNode neg = t.get("neg_risk");
        if (idx == null || !idx.isInt()) {
            problems.add(where + ".outcome_index is missing or not an integer");
            return null;
        }
        if (neg == null || !neg.isBoolean()) {
            problems.add(where + ".neg_risk is missing or not a boolean");
            return null;
        }
        for (String field : List.of("token_id", "outcome", "condition_id", "market_id")) {
            JsonNode v = t.get(field);
            if (v == null || !v.isTextual()) {
                problems.add(where + "." + field + " is missing or not a string");
                return null;
            }
        }
        return new TokenEntry(Json.text(t, "token_id"), Json.text(t, "outcome"), idx.asInt(), Json.text(t, "condition_id"),
                Json.text(t, "market_id"), Json.text(t, "slug"), Json.text(t, "question"), Json.text(t, "event_slug"),
                neg.asBoolean(), Json.text(t, "end_date"), Json.text(t, "tick_size"), Json.text(t, "min_order_size"));
    }

    /** Semantic checks: decimal unique token ids, condition ids, outcomes, decimal sizes, the market count. */
    public static List<String> validate(TokensFile file) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> conditions = new HashSet<>();
        for (int i = 0; i < file.tokens().size(); i++) {
            TokenEntry t = file.tokens().get(i);
            String where = "tokens[" + i + "]";
            if (!TokenId.isValid(t.tokenId())) {
                problems.add(where + ".token_id is not a decimal string");
            } else if (!seen.add(t.tokenId())) {
                problems.add(where + ".token_id " + t.tokenId() + " is listed twice");
            }
            if (t.conditionId() == null || !CONDITION_ID.matcher(t.conditionId()).matches()) {
                problems.add(where + ".condition_id is not 0x + 64 hex digits");
            } else {
                conditions.add(t.conditionId().toLowerCase());
            }
            if (t.outcome() == null || t.outcome().isBlank()) {
                problems.add(where + ".outcome is empty");
            }
            if (t.outcomeIndex() < 0) {
                problems.add(where + ".outcome_index is negative");
            }
            for (String[] f : new String[][] {{"tick_size", t.tickSize()}, {"min_order_size", t.minOrderSize()}}) {
                if (f[1] != null && !DECIMAL_STRING.matcher(f[1]).matches()) {
                    problems.add(where + "." + f[0] + " is not a decimal string: " + f[1]);
                }
            }
        }
        if (file.markets() != conditions.size() && problems.isEmpty()) {
            problems.add("markets says " + file.markets() + " but the tokens belong to " + conditions.size());
        }
        return problems;
    }

    /**
     * Publishes a validated list: atomic replace of {@code discovery/tokens.json}, plus a gzip copy under
     * {@code discovery/history/}. Returns the history path.
     */
    public static Path publish(DataDir dir, TokensFile file) throws IOException {
        List<String> problems = validate(file);
        if (!problems.isEmpty()) {
            throw new InvalidTokensFileException("refusing to publish tokens.json", problems);
        }
        byte[] json = write(file);
        Path history = dir.tokensHistory(file.generatedAt());
        ByteArrayOutputStream gz = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(json);
        }
        AtomicFiles.replace(history, gz.toByteArray());
        AtomicFiles.replace(dir.tokensFile(), json);
        return history;
    }
}
