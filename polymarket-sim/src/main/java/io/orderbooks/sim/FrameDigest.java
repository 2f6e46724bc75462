package io.orderbooks.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The oracle's rolling digest: SHA-256 over every frame's UTF-8 text followed by one {@code '\n'}, in send order.
 * It equals {@code sha256sum} of a file holding one frame per line, so a consumer can recompute it from what it
 * recorded (see {@link #of(Iterable)}).
 */
public final class FrameDigest {
    private static final byte[] NEWLINE = {'\n'};
    /** SHA-256 of nothing: the digest of a connection that was sent no frames. */
    public static final String EMPTY = of(java.util.List.of());

    private final MessageDigest md;

    public FrameDigest() {
        md = sha256();
    }

    public void add(String frame) {
        md.update(frame.getBytes(StandardCharsets.UTF_8));
        md.update(NEWLINE);
    }

    /**
     * The same as {@link #add(String)} for a frame already held as UTF-8 bytes ({@code len} bytes from {@code off}):
     * a recorder that stores frames verbatim (the collector's {@code ws_market} lines) digests them without decoding.
     */
    public void add(byte[] utf8, int off, int len) {
        md.update(utf8, off, len);
        md.update(NEWLINE);
    }

    /** Hex of the digest so far; the rolling state is kept. */
    public String hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) md.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest not cloneable", e);
        }
    }

    /** The digest of a sequence of frames, as a recorder would recompute it. */
    public static String of(Iterable<String> frames) {
        FrameDigest d = new FrameDigest();
        for (String f : frames) {
            d.add(f);
        }
        return d.hex();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
