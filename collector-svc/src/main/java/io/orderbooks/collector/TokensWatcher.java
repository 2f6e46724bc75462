package io.orderbooks.collector;

import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensJson;
import io.orderbooks.shared.manifests.TokensRead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Follows {@code discovery/tokens.json}. Discovery replaces it atomically, so a changed modification time or size
 * means a new complete file. Bad entries cost only themselves (docs/DATA-FORMAT.md §4): they are skipped, counted and
 * handed to
 * {@code onSkipped} (the lifecycle records them in-band), and the valid rest is used. Only a structurally unreadable
 * file (not JSON, another schema, no tokens array) or a missing one keeps the current set, reported once per distinct
 * problem, so a glitch never empties the subscriptions.
 */
final class TokensWatcher {
    private static final Logger LOG = Logger.getLogger(TokensWatcher.class);
    private static final int REASONS_LOGGED = 5;

    private final Path file;
    private final Shard shard;
    private final Consumer<Set<String>> onChange;
    private final Consumer<TokensRead> onSkipped;
    private volatile Set<String> current = Set.of();
    private volatile String problem;
    private volatile String generatedAt;
    private volatile boolean fileExists;
    private volatile int skipped;
    private volatile int keyFallbacks;
    private Object lastKey;

    TokensWatcher(Path file, Shard shard, Consumer<Set<String>> onChange, Consumer<TokensRead> onSkipped) {
        this.file = file;
        this.shard = shard;
        this.onChange = onChange;
        this.onSkipped = onSkipped;
    }

    /** Checks the file once; called periodically from one thread. */
    void poll() {
        Object key;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            key = a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
            fileExists = true;
        } catch (NoSuchFileException e) {
            fileExists = false;
            // Not a fault: on a clean first start the collector is up before discovery's first run has published
            // (docs/OPERATIONS.md "Reading the logs": no WARN at a clean start). Readiness still says so.
            report(Logger.Level.INFO, "no token list yet at " + file + "; waiting for discovery");
            return;
        } catch (IOException e) {
            report(Logger.Level.WARN, "cannot read " + file + ": " + e.getMessage());
            return;
        }
        if (key.equals(lastKey)) {
            return;
        }
        TokensRead read;
        try {
            read = TokensJson.readLenient(file);
        } catch (IOException e) {
            report(Logger.Level.WARN, "keeping the current " + current.size() + " tokens: " + e.getMessage());
            return;
        }
        lastKey = key;
        problem = null;
        generatedAt = read.file().generatedAt().toString();
        skipped = read.skipped().size();
        if (!read.skipped().isEmpty()) {
            LOG.warnf(
                    "tokens.json of %s: skipped %d bad entries of %d, using the other %d; first: %s",
                    generatedAt,
                    read.skipped().size(),
                    read.skipped().size() + read.file().tokens().size(),
                    read.file().tokens().size(),
                    read.skipped()
                            .subList(0, Math.min(REASONS_LOGGED, read.skipped().size())));
            onSkipped.accept(read);
        }
        // In the list's order, which discovery keeps by market then outcome (docs/DISCOVERY.md): the pool fills its
        // connections in this order, so the tokens of one market share a connection. A price_change names both
        // tokens of a market (cross-asset delivery, docs/COLLECTOR.md), so siblings on two connections would bring
        // the same frame twice.
        Selection selection = select(shard, read.file().tokens());
        Set<String> mine = selection.tokens();
        if (selection.byTokenWithoutMarket() > 0) {
            LOG.warnf(
                    "tokens.json of %s: %d tokens have no usable condition id; shard key %s places them by token id"
                            + " (a market's other token may be in another shard)",
                    generatedAt, selection.byTokenWithoutMarket(), shard.keyText());
        }
        keyFallbacks = selection.byTokenWithoutMarket();
        if (!mine.equals(current)) {
            int added = (int) mine.stream().filter(t -> !current.contains(t)).count();
            int removed = (int) current.stream().filter(t -> !mine.contains(t)).count();
            LOG.infof(
                    "tokens.json of %s: %d tokens for shard %s by %s (+%d, -%d)",
                    generatedAt, mine.size(), shard, shard.keyText(), added, removed);
            current = Collections.unmodifiableSet(mine);
            onChange.accept(current);
        }
    }

    /**
     * The tokens of this shard, in the list's order, and how many of the list's tokens a market key had to place by
     * their token id for want of a condition id (counted over the whole list: every collector sees the same ones).
     */
    record Selection(Set<String> tokens, int byTokenWithoutMarket) {}

    static Selection select(Shard shard, List<TokenEntry> tokens) {
        Set<String> mine = new LinkedHashSet<>();
        int fallbacks = 0;
        for (TokenEntry t : tokens) {
            if (shard.fallsBackToToken(t.conditionId())) {
                fallbacks++;
            }
            if (shard.contains(t.tokenId(), t.conditionId())) {
                mine.add(t.tokenId());
            }
        }
        return new Selection(mine, fallbacks);
    }

    private void report(Logger.Level level, String what) {
        if (!what.equals(problem)) {
            LOG.log(level, what);
            problem = what;
        }
    }

    Set<String> current() {
        return current;
    }

    /** Null when the last check was fine. */
    String problem() {
        return problem;
    }

    String generatedAt() {
        return generatedAt;
    }

    /** Whether tokens.json existed at the last check (a collector that tracks nothing then is not ready). */
    boolean fileExists() {
        return fileExists;
    }

    /** Tokens of the list in use that the market key placed by token id: no usable condition id. */
    int keyFallbacks() {
        return keyFallbacks;
    }

    /** Bad entries skipped in the list in use. */
    int skipped() {
        return skipped;
    }
}
