package io.orderbooks.sim;

import java.time.Instant;

/** A market and its current lifecycle state, as the simulator's Gamma and CLOB see it. */
public final class SimMarket {
    private final MarketDef def;
    private volatile MarketStatus status;
    private volatile boolean archived;
    private volatile Instant closedAt;

    SimMarket(MarketDef def, MarketStatus status, boolean archived, Instant closedAt) {
        this.def = def;
        this.status = status;
        this.archived = archived;
        this.closedAt = closedAt;
    }

    public MarketDef def() {
        return def;
    }

    public String id() {
        return def.id();
    }

    public MarketStatus status() {
        return status;
    }

    public boolean closed() {
        return status != MarketStatus.OPEN;
    }

    public boolean archived() {
        return archived;
    }

    public Instant closedAt() {
        return closedAt;
    }

    /**
     * What Gamma's {@code acceptingOrders} says: open with an order book. Gamma says so whatever the market's version,
     * so a client that does not check {@code version} finds unknown-version markets tradeable (and no book for them).
     */
    public boolean acceptsOrders() {
        return status == MarketStatus.OPEN && def.enableOrderBook();
    }

    /** True if the CLOB has a book for this market's tokens right now (never for an unknown or missing version). */
    public boolean hasBook() {
        return status == MarketStatus.OPEN
                && def.enableOrderBook()
                && def.version().tradeable();
    }

    void status(MarketStatus s, Instant at) {
        status = s;
        if (s == MarketStatus.CLOSED && closedAt == null) {
            closedAt = at;
        }
        if (s == MarketStatus.OPEN) {
            closedAt = null;
        }
    }
}
