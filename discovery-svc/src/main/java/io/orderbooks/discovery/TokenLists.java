package io.orderbooks.discovery;

import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Token-list arithmetic: deterministic order, what changed between two lists, whether they are the same. */
final class TokenLists {
    /** Decimal strings in numeric order without parsing (shorter is smaller), then text order. */
    static final Comparator<String> NUMERIC_TEXT =
            Comparator.nullsLast(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));

    /** Market (Gamma id, numerically; then condition id), then outcome index: stable across runs. */
    static final Comparator<TokenEntry> ORDER = Comparator.comparing(TokenEntry::marketId, NUMERIC_TEXT)
            .thenComparing(TokenEntry::conditionId)
            .thenComparingInt(TokenEntry::outcomeIndex);

    private TokenLists() {}

    static List<TokenEntry> sorted(List<TokenEntry> tokens) {
        List<TokenEntry> out = new ArrayList<>(tokens);
        out.sort(ORDER);
        return List.copyOf(out);
    }

    static Set<String> ids(List<TokenEntry> tokens) {
        Set<String> out = new HashSet<>();
        tokens.forEach(t -> out.add(t.tokenId()));
        return out;
    }

    /** Token ids in {@code next} but not in {@code current}. */
    static int added(List<TokenEntry> current, List<TokenEntry> next) {
        Set<String> before = ids(current);
        return (int) next.stream().filter(t -> !before.contains(t.tokenId())).count();
    }

    /** Same tokens with the same metadata and the same filters: nothing worth a new file. */
    static boolean sameContent(TokensFile a, TokensFile b) {
        return a != null
                && b != null
                && a.tokens().equals(b.tokens())
                && Objects.equals(a.filters(), b.filters())
                && Objects.equals(a.source(), b.source());
    }
}
