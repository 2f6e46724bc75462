package io.orderbooks.shared.manifests;

import java.util.List;

/**
 * A tokens.json as a reader takes it (docs/DATA-FORMAT.md §4): {@code file} holds every valid entry; every invalid one
 * is in
 * {@code skipped} with its reason, so a few bad entries cost only themselves, never the whole subscription.
 */
public record TokensRead(TokensFile file, List<Skipped> skipped) {
    public TokensRead {
        skipped = List.copyOf(skipped);
    }

    /** An entry left out: its position in {@code tokens}, its id when it had a readable one, and why. */
    public record Skipped(int index, String tokenId, String reason) {
        @Override
        public String toString() {
            return "tokens[" + index + "]" + (tokenId == null ? "" : " (" + tokenId + ")") + ": " + reason;
        }
    }
}
