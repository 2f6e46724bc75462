package io.orderbooks.discovery;

import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensJson;
import java.util.List;

/**
 * Whether a new token list may replace the current one (docs/DISCOVERY.md "Publishing and the shrink guard"): it must
 * validate, must not be empty, and must
 * not shrink by more than {@code discovery.max-shrink} — a glitching API must not empty the collector's
 * subscriptions — unless the operator set {@code discovery.allow-shrink=true}. A list equal to the current one is
 * not written again.
 */
final class PublishGuard {
    private PublishGuard() {}

    sealed interface Decision permits Publish, Unchanged, Refuse {}

    /** Write it: {@code added}/{@code removed} count token ids against the current list. */
    record Publish(int added, int removed) implements Decision {}

    record Unchanged() implements Decision {}

    record Refuse(String reason) implements Decision {}

    static Decision decide(TokensFile current, TokensFile next, double maxShrink, boolean allowShrink) {
        List<String> problems = TokensJson.validate(next);
        if (!problems.isEmpty()) {
            return new Refuse("the new list does not validate: "
                    + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? " (and " + (problems.size() - 5) + " more)" : ""));
        }
        if (next.tokens().isEmpty() && !allowShrink) {
            return new Refuse("the new list has no tokens (set discovery.allow-shrink=true to publish an empty list)");
        }
        if (current == null) {
            return new Publish(next.tokens().size(), 0);
        }
        if (TokenLists.sameContent(current, next)) {
            return new Unchanged();
        }
        int before = current.tokens().size();
        int after = next.tokens().size();
        if (before > 0 && !allowShrink) {
            double shrink = 1.0 - (double) after / before;
            if (shrink > maxShrink + 1e-9) {
                return new Refuse(String.format(
                        java.util.Locale.ROOT,
                        "the list would shrink by %.1f %% (%d -> %d tokens), more than discovery.max-shrink %.1f %%; "
                                + "kept the current list (set discovery.allow-shrink=true if this is real)",
                        shrink * 100,
                        before,
                        after,
                        maxShrink * 100));
            }
        }
        int added = TokenLists.added(current.tokens(), next.tokens());
        int removed = TokenLists.added(next.tokens(), current.tokens());
        return new Publish(added, removed);
    }
}
