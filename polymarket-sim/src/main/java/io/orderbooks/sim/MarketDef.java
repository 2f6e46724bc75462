package io.orderbooks.sim;

import java.time.Instant;
import java.util.List;

/**
 * The immutable description of one simulated market, i.e. what Gamma knows about it. Token ids pair with outcomes
 * by index ({@code clobTokenIds[i]} ↔ {@code outcomes[i]}), and the order is not always Yes/No.
 * <p>
 * {@code tokenIds} are the ids a correct client uses for {@code /book}, {@code /books} and the websocket: the
 * {@code clobTokenIds} of a {@code v1} market, the {@code positionIds} of a {@code v2} market, and none for an unknown
 * or missing version (docs.polymarket.com/migrate/polymarket-v2/api-integrations). {@code clobTokenIds}/{@code
 * positionIds} are what the Gamma row
 * carries (empty = field absent); a v1 row's {@code positionIds} have no book. {@code feeRateBps} is {@code ""} on a
 * market without fees (the websocket's empty optional decimal).
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
        MarketVersion version,
        List<String> clobTokenIds,
        List<String> positionIds,
        boolean positionIdsAsString,
        List<String> outcomePrices,
        boolean negRisk,
        String negRiskMarketId,
        boolean enableOrderBook,
        String tickSize,
        String feeRateBps,
        int orderMinSize,
        Instant createdAt,
        Instant startDate,
        Instant endDate,
        double liquidity,
        double volume,
        double volume24hr,
        List<Tag> tags) {

    /** A Gamma tag ({@code tags[]} is a real array, unlike outcomes/clobTokenIds). */
    public record Tag(String id, String label, String slug) {}

    /** The ids the Gamma row lists (clobTokenIds if present, else positionIds), book or not. */
    public List<String> listedIds() {
        return clobTokenIds.isEmpty() ? positionIds : clobTokenIds;
    }

    public MarketDef {
        outcomes = List.copyOf(outcomes);
        tokenIds = List.copyOf(tokenIds);
        clobTokenIds = List.copyOf(clobTokenIds);
        positionIds = List.copyOf(positionIds);
        outcomePrices = List.copyOf(outcomePrices);
        tags = List.copyOf(tags);
        if (!tokenIds.isEmpty() && outcomes.size() != tokenIds.size()) {
            throw new IllegalArgumentException("outcomes and tokenIds differ in length for market " + id);
        }
    }
}
