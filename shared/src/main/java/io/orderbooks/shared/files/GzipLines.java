package io.orderbooks.shared.files;

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
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The contract's reader of one gzip JSONL file (docs/DATA-FORMAT.md §2), in a single pass with bounded memory: the
 * compressed bytes are counted (and hashed when asked) on their way into the inflater, so a manifest's {@code bytes}
 * and {@code sha256} are checked without a second read; every line is handed over as a slice of one buffer, never as
 * a String and never kept. The buffer grows up to {@code maxLine}; a longer line is handed over as its first
 * {@code maxLine} bytes, marked {@code truncated}, and the rest is skipped (the report needs only the envelope at a
 * line's start; replay treats it as damage). A damaged file is read as far as it goes: the gzip problem and the bytes
 * after the last newline (a torn last record) are in the {@link Result}, never an exception.
 * <p>
 * Two forms: {@link #read(Path, boolean, int, LineHandler)} pushes every line to a handler; {@link #open} pulls them
 * one by one ({@link #next()}), for readers that merge several files in receive order (replay).
 */
public final class GzipLines implements AutoCloseable {
    /** The report's bound: an envelope is always within a line's first bytes (docs/DATA-FORMAT.md §2). */
    public static final int ENVELOPE_BOUND = 1 << 20;
    /** For readers that need every line whole: far above any recorded line (a REST book is a few hundred KiB). */
    public static final int WHOLE_LINES = 256 << 20;

    private static final int READ = 1 << 16;

    /** Receives each complete line (without its newline); {@code truncated} when only the line's start is given. */
    @FunctionalInterface
    public interface LineHandler {
        void line(byte[] buf, int off, int len, boolean truncated) throws IOException;
    }

    /**
     * What reading the file found.
     *
     * @param compressedBytes bytes of the file read (all of them, also after a gzip problem)
     * @param sha256          of the compressed file, or null when not hashed
     * @param lines           complete lines (newlines)
     * @param tornBytes       bytes after the last newline (a record without its end); 0 for a sound file
     * @param gzipProblem     why decompression stopped early (truncated or corrupt), or null when it reached the end
     */
    public record Result(
            long compressedBytes,
            String sha256,
            long lines,
            long uncompressedBytes,
            long tornBytes,
            String gzipProblem) {
        /** The gzip stream reached its end and the last line has its newline. */
        public boolean sound() {
            return gzipProblem == null && tornBytes == 0;
        }
    }

    private final InputStream file;
    private final CountingInput raw;
    private final InputStream gz;
    private final int maxLine;
    private byte[] buf;
    private int filled;
    private int start;
    private int scan;
    private boolean skipping;
    private boolean discardBeforeNext;
    private boolean ended;
    private long lines;
    private long uncompressed;
    private String problem;
    private Result result;

    private int lineOff;
    private int lineLen;
    private boolean lineTruncated;

    private GzipLines(Path path, boolean hash, int maxLine) throws IOException {
        if (maxLine <= READ) {
            throw new IllegalArgumentException("maxLine must be above " + READ + ": " + maxLine);
        }
        this.maxLine = maxLine;
        this.buf = new byte[Math.min(maxLine, ENVELOPE_BOUND)];
        this.file = Files.newInputStream(path);
        this.raw = new CountingInput(file, hash ? Checksums.sha256() : null);
        InputStream in = null;
        try {
            in = new GZIPInputStream(raw, READ);
        } catch (EOFException e) {
            fail(truncated(e));
        } catch (ZipException e) {
            fail("corrupt gzip (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        this.gz = in;
    }

    /** Opens {@code path} for {@link #next()}; close it when done. */
    public static GzipLines open(Path path, boolean hash, int maxLine) throws IOException {
        return new GzipLines(path, hash, maxLine);
    }

    /** Reads the whole file, every line to {@code handler}; what the handler throws ends the read. */
    public static Result read(Path path, boolean hash, int maxLine, LineHandler handler) throws IOException {
        try (GzipLines r = open(path, hash, maxLine)) {
            while (r.next()) {
                handler.line(r.buffer(), r.offset(), r.length(), r.truncated());
            }
            return r.result();
        }
    }

    /** {@link #read(Path, boolean, int, LineHandler)} with the envelope bound (1 MiB). */
    public static Result read(Path path, boolean hash, LineHandler handler) throws IOException {
        return read(path, hash, ENVELOPE_BOUND, handler);
    }

    /** Moves to the next complete line; false at the end of the file (or where a damaged gzip stream stops). */
    public boolean next() throws IOException {
        if (discardBeforeNext) {
            // the start of an over-long line was handed over: the rest of it is skipped up to its newline
            discardBeforeNext = false;
            filled = start = scan = 0;
        }
        while (true) {
            int nl = indexOfNewline(buf, scan, filled);
            if (nl >= 0) {
                lines++;
                int s = start;
                start = scan = nl + 1;
                if (skipping) {
                    skipping = false;
                    continue;
                }
                lineOff = s;
                lineLen = nl - s;
                lineTruncated = false;
                return true;
            }
            scan = filled;
            if (ended) {
                return false;
            }
            if (start == 0 && filled == buf.length) {
                if (buf.length < maxLine) {
                    buf = Arrays.copyOf(buf, (int) Math.min(maxLine, 2L * buf.length));
                } else if (skipping) {
                    filled = scan = 0;
                } else {
                    skipping = true;
                    discardBeforeNext = true;
                    lineOff = 0;
                    lineLen = filled;
                    lineTruncated = true;
                    return true;
                }
            } else if (filled > buf.length - READ && start > 0) {
                System.arraycopy(buf, start, buf, 0, filled - start);
                filled -= start;
                scan -= start;
                start = 0;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        try {
            int n = gz.read(buf, filled, Math.min(READ, buf.length - filled));
            if (n > 0) {
                uncompressed += n;
                filled += n;
            } else {
                ended = true;
            }
        } catch (EOFException e) {
            fail(truncated(e));
        } catch (ZipException e) {
            fail("corrupt gzip (" + e.getMessage() + ")");
        }
    }

    private static String truncated(EOFException e) {
        return "truncated gzip (" + (e.getMessage() == null ? "end of file inside the gzip header" : e.getMessage())
                + ")";
    }

    private void fail(String why) {
        problem = why;
        ended = true;
    }

    /** The current line's bytes are {@code buffer()[offset() .. offset() + length())}, valid until the next call. */
    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return lineOff;
    }

    public int length() {
        return lineLen;
    }

    /** Only the first {@code maxLine} bytes of the current line are given. */
    public boolean truncated() {
        return lineTruncated;
    }

    /** Complete lines so far. */
    public long lines() {
        return lines;
    }

    /**
     * What the file held; call after {@link #next()} returned false (the rest of the compressed bytes, also those
     * after the gzip trailer or a damaged spot, are counted and hashed here).
     */
    public Result result() throws IOException {
        if (!ended) {
            throw new IllegalStateException("the file is not read to its end");
        }
        if (result == null) {
            raw.drain();
            long torn = skipping ? Math.max(1, filled - start) : filled - start;
            result = new Result(
                    raw.count,
                    raw.digest == null ? null : Checksums.hex(raw.digest.digest()),
                    lines,
                    uncompressed,
                    torn,
                    problem);
        }
        return result;
    }

    @Override
    public void close() throws IOException {
        try {
            if (gz != null) {
                gz.close(); // releases the inflater; the file itself is closed below
            }
        } finally {
            file.close();
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
