package io.orderbooks.discovery;

import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A tradeable Gamma market that passed every check, with what the filters need (liquidity, 24 h volume, tags, end
 * date) and its tokens, paired by index ({@code ids[i]} ↔ {@code outcomes[i]}, the ids from the field its
 * {@code protocol} selects: docs/DISCOVERY.md).
 *
 * @param endInstant {@code endDate} as an instant, or null when absent or unreadable
 * @param tagIds     the market's tag ids when Gamma sent {@code tags[]}, or null when it did not
 */
public record ParsedMarket(
        String marketId,
        String conditionId,
        Protocol protocol,
        String slug,
        double liquidity,
        double volume24h,
        Instant endInstant,
        Set<String> tagIds,
        List<TokenEntry> tokens) {
    public ParsedMarket {
        tokens = List.copyOf(tokens);
    }
}
