package io.orderbooks.shared;

/**
 * One outcome token in {@code tokens.json} (SPEC §5). {@code outcome}/{@code outcomeIndex} come from pairing Gamma's
 * {@code clobTokenIds[i]} with {@code outcomes[i]} after parsing both JSON-encoded strings; tick size and minimum
 * order size stay decimal strings, as Polymarket sends them.
 */
public record TokenEntry(String tokenId, String outcome, int outcomeIndex, String conditionId, String marketId,
                         String slug, String question, String eventSlug, boolean negRisk, String endDate,
                         String tickSize, String minOrderSize) {
}
