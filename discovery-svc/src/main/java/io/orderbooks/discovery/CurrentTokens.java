package io.orderbooks.discovery;

import io.orderbooks.shared.manifests.InvalidTokensFileException;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensJson;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** The published token list (null before the first) and its tokens by protocol; read on any thread. */
final class CurrentTokens {
    private static final Logger LOG = Logger.getLogger(DiscoveryService.class);

    private volatile TokensFile list;
    private volatile Map<Protocol, Long> byProtocol = countByProtocol(null);

    /** Starts from the list on disk; a missing or invalid one is replaced by the next good list. */
    void load(Path file) {
        set(read(file));
    }

    void set(TokensFile next) {
        list = next;
        byProtocol = countByProtocol(next);
    }

    TokensFile list() {
        return list;
    }

    int tokens() {
        TokensFile l = list;
        return l == null ? 0 : l.tokens().size();
    }

    int markets() {
        TokensFile l = list;
        return l == null ? 0 : l.markets();
    }

    /** Every protocol, 0 where none. */
    Map<Protocol, Long> byProtocol() {
        return byProtocol;
    }

    private static TokensFile read(Path file) {
        try {
            TokensFile f = TokensJson.read(file);
            LOG.infof(
                    "current token list: %d tokens of %d markets (generated %s)",
                    f.tokens().size(), f.markets(), f.generatedAt());
            return f;
        } catch (NoSuchFileException e) {
            LOG.infof("no token list published yet (%s)", file);
            return null;
        } catch (InvalidTokensFileException e) {
            LOG.warnf("the current %s is invalid and will be replaced by the next good list: %s", file, e.getMessage());
            return null;
        } catch (IOException e) {
            LOG.warnf("cannot read %s (%s); it will be replaced by the next good list", file, e.toString());
            return null;
        }
    }

    private static Map<Protocol, Long> countByProtocol(TokensFile list) {
        Map<Protocol, Long> out = new EnumMap<>(Protocol.class);
        for (Protocol p : Protocol.values()) {
            out.put(p, 0L);
        }
        if (list != null) {
            list.tokens().forEach(t -> out.merge(t.protocol(), 1L, Long::sum));
        }
        return out;
    }
}
