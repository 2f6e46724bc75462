package io.orderbooks.shared.manifests;

import java.util.Objects;

/**
 * One outcome token in {@code tokens.json} (docs/DATA-FORMAT.md §4). {@code tokenId} is the id books and the websocket
 * use: the CTF
 * token id of a v1 market ({@code clobTokenIds[i]}) or the position id of a Protocol V2 market
 * ({@code positionIds[i]}), as {@code protocol} says. {@code outcome}/{@code outcomeIndex} pair it with
 * {@code outcomes[i]}; tick size and minimum order size stay decimal strings, as Polymarket sends them.
 */
public record TokenEntry(
        String tokenId,
        String outcome,
        int outcomeIndex,
        String conditionId,
        String marketId,
        String slug,
        String question,
        String eventSlug,
        boolean negRisk,
        String endDate,
        String tickSize,
        String minOrderSize,
        Protocol protocol) {
    public TokenEntry {
        Objects.requireNonNull(protocol, "protocol");
    }
}
