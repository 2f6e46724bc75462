package io.orderbooks.report;

import io.orderbooks.shared.layout.Checksums;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads one gzip JSONL file in a single pass with bounded memory: the compressed bytes are counted (and hashed
 * unless told not to) on their way into the inflater, and every line is handed over as a slice of one fixed buffer,
 * never as a String and never kept. A line longer than the buffer is handed over as its first {@link #BUFFER} bytes
 * (the report only needs the envelope at its start) and the rest is skipped.
 */
final class GzipLines {
    static final int BUFFER = 1 << 20;
    private static final int READ = 1 << 16;

    /** Receives each complete line (without its newline); {@code truncated} when only the line's start is given. */
    @FunctionalInterface
    interface LineHandler {
        void line(byte[] buf, int off, int len, boolean truncated);
    }

    /**
     * What reading the file found.
     *
     * @param sha256      of the compressed file, or null when not hashed
     * @param lines       complete lines (newlines)
     * @param tornBytes   bytes after the last newline (a record without its end); 0 for a sound file
     * @param gzipProblem why decompression stopped early (truncated or corrupt), or null when it reached the end
     */
    record Result(
            long compressedBytes,
            String sha256,
            long lines,
            long uncompressedBytes,
            long tornBytes,
            String gzipProblem) {}

    private GzipLines() {}

    static Result read(Path file, boolean hash, LineHandler handler) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            CountingInput raw = new CountingInput(in, hash ? Checksums.sha256() : null);
            byte[] buf = new byte[BUFFER];
            int filled = 0;
            int start = 0;
            long lines = 0;
            long uncompressed = 0;
            boolean skipping = false;
            String problem = null;
            try (InputStream gz = new GZIPInputStream(raw, READ)) {
                for (int n; (n = gz.read(buf, filled, Math.min(READ, buf.length - filled))) > 0; ) {
                    uncompressed += n;
                    int scan = filled;
                    filled += n;
                    for (int nl; (nl = indexOfNewline(buf, scan, filled)) >= 0; scan = nl + 1) {
                        lines++;
                        if (!skipping) {
                            handler.line(buf, start, nl - start, false);
                        }
                        skipping = false;
                        start = nl + 1;
                    }
                    if (start == 0 && filled == buf.length) {
                        // One line fills the whole buffer: hand over its start, drop the rest up to its newline.
                        if (!skipping) {
                            handler.line(buf, 0, filled, true);
                        }
                        skipping = true;
                        filled = 0;
                    } else if (filled > buf.length - READ) {
                        System.arraycopy(buf, start, buf, 0, filled - start);
                        filled -= start;
                        start = 0;
                    }
                }
                raw.drain(); // bytes after the gzip trailer (GZIPInputStream ignores them) still count and hash
            } catch (EOFException e) {
                problem = "truncated gzip ("
                        + (e.getMessage() == null ? "end of file inside the gzip header" : e.getMessage()) + ")";
            } catch (ZipException e) {
                problem = "corrupt gzip (" + e.getMessage() + ")";
            }
            long torn = skipping ? Math.max(1, filled - start) : filled - start;
            if (problem != null) {
                raw.drain();
            }
            return new Result(
                    raw.count,
                    raw.digest == null ? null : Checksums.hex(raw.digest.digest()),
                    lines,
                    uncompressed,
                    torn,
                    problem);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = ONES * '\n';

    /** The first {@code \n} in {@code [from, to)}, eight bytes per step (a zero byte of v^NEWLINES marks it), or -1. */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (int end = to - 7; i < end; i += 8) {
            long v = (long) LONGS.get(b, i) ^ NEWLINES;
            long found = (v - ONES) & ~v & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Counts (and optionally hashes) the compressed bytes as the inflater pulls them. */
    private static final class CountingInput extends FilterInputStream {
        final MessageDigest digest;
        long count;

        CountingInput(InputStream in, MessageDigest digest) {
            super(in);
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
                if (digest != null) {
                    digest.update((byte) b);
                }
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (digest != null) {
                    digest.update(b, off, n);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // GZIPInputStream skips header fields with skip(); route them through read() so they are hashed.
            byte[] tmp = new byte[(int) Math.min(n, 8192)];
            int r = read(tmp, 0, tmp.length);
            return Math.max(r, 0);
        }

        void drain() throws IOException {
            byte[] tmp = new byte[READ];
            while (read(tmp, 0, tmp.length) > 0) {
                // counted and hashed by read
            }
        }

        /** Left open when the inflater closes, so the rest of a damaged file can still be counted and hashed. */
        @Override
        public void close() {}
    }
}
