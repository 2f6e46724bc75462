package io.orderbooks.discovery;

import io.orderbooks.shared.manifests.TokenEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A token that two markets claim stays with the lower market id; the other market is rejected. */
final class DuplicateTokens {
    private DuplicateTokens() {}

    static List<ParsedMarket> dropped(Iterable<ParsedMarket> markets, RunTally tally, RejectionLog rejections) {
        List<ParsedMarket> sorted = new ArrayList<>();
        markets.forEach(sorted::add);
        sorted.sort(Comparator.comparing(ParsedMarket::marketId, TokenLists.NUMERIC_TEXT)
                .thenComparing(ParsedMarket::conditionId));
        Map<String, String> owner = new HashMap<>();
        List<ParsedMarket> out = new ArrayList<>(sorted.size());
        for (ParsedMarket m : sorted) {
            String clash = null;
            for (TokenEntry t : m.tokens()) {
                String o = owner.get(t.tokenId());
                if (o != null) {
                    clash = "token " + t.tokenId() + " already belongs to market " + o;
                    break;
                }
            }
            if (clash != null) {
                tally.reject(Rejection.DUPLICATE_TOKEN);
                rejections.log(tally, m.marketId(), Rejection.DUPLICATE_TOKEN, clash);
                continue;
            }
            m.tokens().forEach(t -> owner.put(t.tokenId(), m.marketId()));
            out.add(m);
        }
        return out;
    }
}
