package io.orderbooks.shared.layout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 (what manifests promise) and MD5 (what Google Drive keeps, so what offload can verify remotely). */
public final class Checksums {
    private Checksums() {}

    /** Both digests and the byte count of one file, read once. */
    public record Digests(long bytes, String sha256, String md5) {}

    public static MessageDigest sha256() {
        return digest("SHA-256");
    }

    public static MessageDigest md5() {
        return digest("MD5");
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every JVM", e);
        }
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    public static Digests of(Path file) throws IOException {
        MessageDigest sha = sha256();
        MessageDigest md5 = md5();
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                md5.update(buf, 0, n);
                total += n;
            }
        }
        return new Digests(total, hex(sha.digest()), hex(md5.digest()));
    }

    public static String sha256Hex(byte[] data) {
        return hex(sha256().digest(data));
    }

    public static String md5Hex(byte[] data) {
        return hex(md5().digest(data));
    }
}
