package io.orderbooks.sim;

import java.math.BigDecimal;

/**
 * Fixed-point prices and sizes. Prices are held in units of 0.0001 (the finest Polymarket tick), sizes in cents.
 * On the wire both are decimal strings without trailing zeros ("0.9", "199.31", "5400"), as in real books
 * (docs.polymarket.com/market-data/prices-order-books; captured /book and ws book payloads).
 */
final class Decimals {
    static final int PRICE_SCALE = 4;
    static final int ONE = 10_000;
    static final int CENT = 100;

    private Decimals() {}

    static String price(int units) {
        return format(units, PRICE_SCALE);
    }

    static String size(long cents) {
        return format(cents, 2);
    }

    static int parsePrice(String s) {
        return new BigDecimal(s).movePointRight(PRICE_SCALE).intValueExact();
    }

    private static String format(long units, int scale) {
        if (units == 0) {
            return "0";
        }
        return BigDecimal.valueOf(units, scale).stripTrailingZeros().toPlainString();
    }
}
