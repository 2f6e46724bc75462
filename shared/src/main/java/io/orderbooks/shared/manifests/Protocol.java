package io.orderbooks.shared.manifests;

import java.util.Optional;

/**
 * The Polymarket protocol a market trades under, as Gamma's market field {@code version} names it. It decides which
 * Gamma field holds the ids used for books and the websocket: {@code "v1"} → {@code clobTokenIds}, {@code "v2"} →
 * {@code positionIds}, even when both are present (docs.polymarket.com/migrate/polymarket-v2/api-integrations;
 * docs/DATA-FORMAT.md §4, docs/DISCOVERY.md). Any other version is unsupported and never guessed.
 */
public enum Protocol {
    V1("v1"),
    V2("v2");

    private final String wire;

    Protocol(String wire) {
        this.wire = wire;
    }

    /** The spelling in Gamma and in tokens.json. */
    public String wire() {
        return wire;
    }

    /** The protocol Gamma's {@code version} names, or empty for a missing or unsupported version. */
    public static Optional<Protocol> fromWire(String version) {
        for (Protocol p : values()) {
            if (p.wire.equals(version)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
