package io.orderbooks.soak.input;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Lines of a raw file as bytes, without decoding: the websocket files of a 24 h soak hold tens of millions of lines,
 * and the frames are digested as the bytes they were stored as. A last line without its newline is torn: it is not
 * handed on, only counted.
 */
public final class LineReader {
    private LineReader() {}

    /** One line, {@code len} bytes of {@code line} (the buffer is reused: copy what must outlive the call). */
    public interface Sink {
        void line(byte[] line, int len);
    }

    /** Every complete line of a gzip file; returns the number of torn lines (0 or 1). */
    public static long gzip(Path p, Sink sink) throws IOException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(p), 1 << 16), 1 << 16)) {
            return lines(in, sink);
        }
    }

    /** Every complete non-empty line of {@code in}; returns the number of torn lines (0 or 1). */
    public static long lines(InputStream in, Sink sink) throws IOException {
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[1 << 16];
        int ll = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    if (ll > 0) {
                        sink.line(line, ll);
                    }
                    ll = 0;
                } else {
                    if (ll == line.length) {
                        line = Arrays.copyOf(line, ll * 2);
                    }
                    line[ll++] = b;
                }
            }
        }
        return ll > 0 ? 1 : 0;
    }

    public static boolean startsWith(byte[] line, int len, int at, byte[] prefix) {
        if (at + prefix.length > len) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    public static int indexOf(byte[] buf, int off, int n, byte[] needle) {
        outer:
        for (int i = off; i <= off + n - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
