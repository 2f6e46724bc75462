package io.orderbooks.sim;

/**
 * The Gamma {@code version} of a market, which decides which id field a client must use
 * (docs.polymarket.com/migrate/polymarket-v2/api-integrations: "choose the id field by
 * the market's version, even when both fields are present … Reject missing or unsupported versions").
 */
public enum MarketVersion {
    /** CTF markets: {@code clobTokenIds} (a JSON-encoded string) are the book ids; {@code positionIds} may be present too. */
    V1("v1"),
    /** Protocol V2 markets: {@code positionIds} are the book ids; there is no {@code clobTokenIds}. */
    V2("v2"),
    /** A version this client generation does not know: well-formed, but its ids have no book. */
    V3("v3"),
    /** No {@code version} field at all: must be rejected, its ids have no book. */
    ABSENT(null);

    private final String wire;

    MarketVersion(String wire) {
        this.wire = wire;
    }

    /** The {@code version} value on the wire, or null when the field is absent. */
    public String wire() {
        return wire;
    }

    /** True for the versions whose ids have books ({@code v1}, {@code v2}). */
    public boolean tradeable() {
        return this == V1 || this == V2;
    }
}
