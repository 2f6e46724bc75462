package io.orderbooks.sim;

/** Side of a book level on the wire: BUY = a bid level, SELL = an ask level (price_change {@code side}). */
public enum Side {
    BUY,
    SELL
}
