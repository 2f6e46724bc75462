package io.orderbooks.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A reused buffer that a hash preimage ({@link BookHash}) is written into as UTF-8 bytes, and its SHA-1. The bytes are
 * exactly those of {@code BookHash.preimage(...).getBytes(UTF_8)}: a string that needs no escaping and is ASCII is
 * copied char for char (its UTF-8 is its chars), any other goes through {@link BookHash#str} and
 * {@code getBytes(UTF_8)} as before; the pieces join at ASCII quotes, so no surrogate pair is ever split between two
 * encodings. Not thread-safe: each engine owns one (replay and export run an engine on one thread).
 */
final class Utf8 {
    private final MessageDigest sha1;
    private byte[] buf;
    private int len;

    Utf8() {
        this(4096);
    }

    private Utf8(int capacity) {
        this(capacity, sha1());
    }

    /** A buffer without a digest ({@code sha1} null), for bytes that are reused, not hashed on their own. */
    private Utf8(int capacity, MessageDigest sha1) {
        this.buf = new byte[capacity];
        this.sha1 = sha1;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is mandatory in every JDK", e);
        }
    }

    /** This buffer, emptied. */
    Utf8 reset() {
        len = 0;
        return this;
    }

    /** The hashed bytes of one level, {@code {"price":"…","size":"…"}}. */
    static byte[] levelJson(String price, String size) {
        if (plain(price) && plain(size)) {
            // the common case, in one array of the right size: {"price":"P","size":"S"}
            byte[] out = new byte[price.length() + size.length() + 22];
            int at = put(out, 0, "{\"price\":\"");
            at = put(out, at, price);
            at = put(out, at, "\",\"size\":\"");
            at = put(out, at, size);
            put(out, at, "\"}");
            return out;
        }
        StringBuilder sb = new StringBuilder("{\"price\":");
        BookHash.str(sb, price);
        sb.append(",\"size\":");
        BookHash.str(sb, size);
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Not null, ASCII, and nothing that {@link BookHash#str} escapes: its UTF-8 is its chars, as they are. */
    private static boolean plain(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static int put(byte[] out, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            out[at + i] = (byte) ascii.charAt(i);
        }
        return at + ascii.length();
    }

    /** What follows the timestamp in the preimage, up to the bids. */
    static final byte[] HASH_AND_BIDS = ",\"hash\":\"\",\"bids\":".getBytes(StandardCharsets.US_ASCII);

    /** The bytes of {@code {"market":…,"asset_id":…,"timestamp":} (what {@link #head} writes before the timestamp). */
    static byte[] marketAndAsset(String market, String assetId) {
        Utf8 u = new Utf8(256, null);
        u.ascii("{\"market\":");
        u.str(market);
        u.ascii(",\"asset_id\":");
        u.str(assetId);
        u.ascii(",\"timestamp\":");
        return u.toBytes();
    }

    /** {@code {"market":…,"asset_id":…,"timestamp":…,"hash":"","bids":} */
    void head(String market, String assetId, String timestamp) {
        ascii("{\"market\":");
        str(market);
        ascii(",\"asset_id\":");
        str(assetId);
        ascii(",\"timestamp\":");
        str(timestamp);
        ascii(",\"hash\":\"\",\"bids\":");
    }

    /** {@code ,"min_order_size":…,"tick_size":…,"neg_risk":…,"last_trade_price":…} */
    void tail(String minOrderSize, String tickSize, boolean negRisk, String lastTradePrice) {
        ascii(",\"min_order_size\":");
        str(minOrderSize);
        ascii(",\"tick_size\":");
        str(tickSize);
        ascii(negRisk ? ",\"neg_risk\":true" : ",\"neg_risk\":false");
        ascii(",\"last_trade_price\":");
        str(lastTradePrice);
        ascii("}");
    }

    /** A JSON array of levels. */
    void levels(List<BookHash.Level> levels) {
        ascii("[");
        for (int i = 0; i < levels.size(); i++) {
            if (i > 0) {
                ascii(",");
            }
            level(levels.get(i).price(), levels.get(i).size());
        }
        ascii("]");
    }

    /** Bytes already encoded, e.g. a level by {@link #levelJson}. */
    void raw(byte[] b) {
        bytes(b, b.length);
    }

    /** One ASCII char. */
    void ascii(char c) {
        room(1);
        buf[len++] = (byte) c;
    }

    void level(String price, String size) {
        ascii("{\"price\":");
        str(price);
        ascii(",\"size\":");
        str(size);
        ascii("}");
    }

    /** A string known to be plain ASCII (the literal parts of the preimage). */
    void ascii(String s) {
        int n = s.length();
        room(n);
        copyAscii(s, n);
    }

    /** A JSON string as {@link BookHash#str} writes it (null as {@code ""}), in UTF-8. */
    void str(String s) {
        if (s == null) {
            ascii("\"\"");
            return;
        }
        int n = s.length();
        if (!plain(s)) {
            StringBuilder sb = new StringBuilder(n + 8);
            BookHash.str(sb, s);
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            bytes(b, b.length);
            return;
        }
        room(n + 2);
        buf[len++] = '"';
        copyAscii(s, n); // every char is ASCII: its byte is its UTF-8
        buf[len++] = '"';
    }

    private void copyAscii(String s, int n) {
        for (int i = 0; i < n; i++) {
            buf[len + i] = (byte) s.charAt(i);
        }
        len += n;
    }

    private void bytes(byte[] b, int n) {
        room(n);
        System.arraycopy(b, 0, buf, len, n);
        len += n;
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    /** The bytes written so far (for tests). */
    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    /** SHA-1 of the bytes written, 40 lowercase hex digits. */
    String sha1Hex() {
        sha1.reset();
        sha1.update(buf, 0, len);
        return HexFormat.of().formatHex(sha1.digest());
    }
}
