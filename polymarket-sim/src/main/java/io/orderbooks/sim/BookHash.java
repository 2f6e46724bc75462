package io.orderbooks.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The order-book hash exactly as the CLOB server computes it: SHA-1, 40 lowercase hex chars, over the compact JSON
 * of the summary with {@code "hash":""}, keys in the order market, asset_id, timestamp, hash, bids, asks,
 * min_order_size, tick_size, neg_risk, last_trade_price, prices and sizes as their original strings.
 * Source: py-clob-client {@code generate_orderbook_summary_hash} (PR #232, "Server-compatible orderbook hash").
 */
public final class BookHash {
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is mandatory in every JDK", e);
        }
    });

    private BookHash() {}

    /** SHA-1 hex of a preimage that already has {@code "hash":""}. */
    public static String sha1Hex(String preimage) {
        MessageDigest md = SHA1.get();
        md.reset();
        return HexFormat.of().formatHex(md.digest(preimage.getBytes(StandardCharsets.UTF_8)));
    }
}
