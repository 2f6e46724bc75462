package io.orderbooks.sim;

import java.time.Instant;
import java.util.List;

/**
 * The immutable description of one simulated market, i.e. what Gamma knows about it. Token ids pair with outcomes
 * by index ({@code clobTokenIds[i]} ↔ {@code outcomes[i]}), and the order is not always Yes/No.
 */
public record MarketDef(
        String id,
        String question,
        String conditionId,
        String questionId,
        String slug,
        String eventId,
        String eventSlug,
        String eventTitle,
        List<String> outcomes,
        List<String> tokenIds,
        List<String> outcomePrices,
        boolean negRisk,
        String negRiskMarketId,
        boolean enableOrderBook,
        String tickSize,
        int orderMinSize,
        Instant createdAt,
        Instant startDate,
        Instant endDate,
        double liquidity,
        double volume,
        double volume24hr,
        List<Tag> tags) {

    /** A Gamma tag ({@code tags[]} is a real array, unlike outcomes/clobTokenIds). */
    public record Tag(String id, String label, String slug) {
    }

    public MarketDef {
        outcomes = List.copyOf(outcomes);
        tokenIds = List.copyOf(tokenIds);
        outcomePrices = List.copyOf(outcomePrices);
        tags = List.copyOf(tags);
        if (outcomes.size() != tokenIds.size()) {
            throw new IllegalArgumentException("outcomes and tokenIds differ in length for market " + id);
        }
    }
}
