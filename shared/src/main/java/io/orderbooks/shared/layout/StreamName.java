package io.orderbooks.shared.layout;

/** A raw stream ({@code gamma_markets}, {@code rest_books}, {@code ws_market}); matches {@code [a-z0-9_-]+}. */
public record StreamName(String value) {
    public static final StreamName GAMMA_MARKETS = new StreamName("gamma_markets");
    public static final StreamName REST_BOOKS = new StreamName("rest_books");
    public static final StreamName WS_MARKET = new StreamName("ws_market");

    public StreamName {
        NamePart.require("stream name", NamePart.SLUG, value);
    }

    public static StreamName of(String value) {
        return new StreamName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
