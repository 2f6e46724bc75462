package io.orderbooks.sim;

/** Lifecycle of a simulated market. GONE = vanished from Gamma entirely (a fault), not merely closed. */
public enum MarketStatus {
    OPEN,
    CLOSED,
    GONE
}
