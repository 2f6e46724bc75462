package io.orderbooks.shared.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;

/**
 * {@code discovery/tokens.json}: the token list discovery publishes and the collector follows (docs/DATA-FORMAT.md §4).
 *
 * @param filters the filters discovery applied, as a JSON object (for provenance)
 * @param markets the number of distinct markets (condition ids) the tokens belong to
 */
public record TokensFile(
        String schema,
        Instant generatedAt,
        String runId,
        String source,
        JsonNode filters,
        int markets,
        List<TokenEntry> tokens) {
    public static final String SCHEMA = "orderbooks.tokens/1";

    public TokensFile {
        tokens = List.copyOf(tokens);
        filters = filters == null ? JsonNodeFactory.instance.objectNode() : filters;
    }

    public static TokensFile of(
            Instant generatedAt, String runId, String source, JsonNode filters, List<TokenEntry> tokens) {
        int markets =
                (int) tokens.stream().map(TokenEntry::conditionId).distinct().count();
        return new TokensFile(SCHEMA, generatedAt, runId, source, filters, markets, tokens);
    }
}
