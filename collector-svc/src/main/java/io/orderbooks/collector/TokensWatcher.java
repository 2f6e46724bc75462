package io.orderbooks.collector;

import io.orderbooks.shared.TokenEntry;
import io.orderbooks.shared.TokensFile;
import io.orderbooks.shared.TokensJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Follows {@code discovery/tokens.json}. Discovery replaces it atomically, so a changed modification time or size
 * means a new complete file; it is validated before use. A missing, partial or invalid file keeps the current set
 * and is reported (once per distinct problem), so a glitch never empties the subscriptions.
 */
final class TokensWatcher {
    private static final Logger LOG = Logger.getLogger(TokensWatcher.class);

    private final Path file;
    private final Shard shard;
    private final Consumer<Set<String>> onChange;
    private volatile Set<String> current = Set.of();
    private volatile String problem;
    private volatile String generatedAt;
    private Object lastKey;

    TokensWatcher(Path file, Shard shard, Consumer<Set<String>> onChange) {
        this.file = file;
        this.shard = shard;
        this.onChange = onChange;
    }

    /** Checks the file once; called periodically from one thread. */
    void poll() {
        Object key;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            key = a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
        } catch (NoSuchFileException e) {
            report("no token list yet at " + file + "; waiting for discovery");
            return;
        } catch (IOException e) {
            report("cannot read " + file + ": " + e.getMessage());
            return;
        }
        if (key.equals(lastKey)) {
            return;
        }
        try {
            TokensFile tokens = TokensJson.read(file);
            Set<String> mine = new TreeSet<>();
            for (TokenEntry t : tokens.tokens()) {
                if (shard.contains(t.tokenId())) {
                    mine.add(t.tokenId());
                }
            }
            lastKey = key;
            problem = null;
            generatedAt = tokens.generatedAt().toString();
            if (!mine.equals(current)) {
                int added = (int) mine.stream().filter(t -> !current.contains(t)).count();
                int removed = (int) current.stream().filter(t -> !mine.contains(t)).count();
                LOG.infof("tokens.json of %s: %d tokens for shard %s (+%d, -%d)", generatedAt, mine.size(), shard, added, removed);
                current = Collections.unmodifiableSet(mine);
                onChange.accept(current);
            }
        } catch (IOException e) {
            report("keeping the current " + current.size() + " tokens: " + e.getMessage());
        }
    }

    private void report(String what) {
        if (!what.equals(problem)) {
            LOG.warn(what);
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
}
