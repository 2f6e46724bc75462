package io.orderbooks.shared.files;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The run that wrote a raw file's lines, carried in the file itself: an extra field (RFC 1952 §2.3.1.1, {@code FLG.FEXTRA})
 * in the gzip header with one subfield {@code SI1='O' SI2='R'} whose data is the run id in ASCII
 * (docs/DATA-FORMAT.md §1, "Who wrote the lines"). It is the first thing written to a new file, before any line, so
 * every file with a line to salvage has it, and recovery can name the writer run of an {@code .open} file left by a
 * crash without trusting any other file or clock. gzip, zcat, Java's {@code GZIPInputStream}, Python and DuckDB all
 * skip an extra field; the deflate data and the trailer do not change.
 */
public final class GzipRunHeader {
    static final byte SI1 = 'O';
    static final byte SI2 = 'R';
    private static final int FEXTRA = 0x04;
    private static final int BASE = 10;
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_.-]{1,200}");

    private GzipRunHeader() {}

    /**
     * Wraps {@code out} for a {@link java.util.zip.GZIPOutputStream}: the standard 10-byte header that stream writes
     * first comes out with {@code FEXTRA} set and the run id subfield after it; every later byte passes unchanged.
     * A {@code runId} that is null or not a run id leaves the header as it is.
     */
    static OutputStream wrap(OutputStream out, String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            return out;
        }
        byte[] id = runId.getBytes(StandardCharsets.US_ASCII);
        return new FilterOutputStream(out) {
            private final byte[] header = new byte[BASE];
            private int have;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (have < BASE && len > 0) {
                    header[have++] = b[off++];
                    len--;
                    if (have == BASE) {
                        if ((header[0] & 0xff) != 0x1f || (header[1] & 0xff) != 0x8b || (header[3] & 0xff) != 0) {
                            throw new IOException("not the plain gzip header this wrapper expects");
                        }
                        header[3] = (byte) FEXTRA;
                        int sub = 4 + id.length;
                        byte[] extra = new byte[2 + sub];
                        extra[0] = (byte) sub;
                        extra[1] = (byte) (sub >>> 8);
                        extra[2] = SI1;
                        extra[3] = SI2;
                        extra[4] = (byte) id.length;
                        extra[5] = (byte) (id.length >>> 8);
                        System.arraycopy(id, 0, extra, 6, id.length);
                        out.write(header, 0, BASE);
                        out.write(extra, 0, extra.length);
                    }
                }
                if (len > 0) {
                    out.write(b, off, len);
                }
            }
        };
    }

    /**
     * The run id in the header of a gzip file written by {@link #wrap}, or null: a file written before the header
     * carried it, another gzip file, or a header too damaged to read.
     */
    public static String runIdOf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] base = in.readNBytes(BASE);
            if (base.length < BASE || (base[0] & 0xff) != 0x1f || (base[1] & 0xff) != 0x8b || (base[3] & FEXTRA) == 0) {
                return null;
            }
            byte[] xlen = in.readNBytes(2);
            if (xlen.length < 2) {
                return null;
            }
            byte[] extra = in.readNBytes((xlen[0] & 0xff) | (xlen[1] & 0xff) << 8);
            for (int p = 0; p + 4 <= extra.length; ) {
                int len = (extra[p + 2] & 0xff) | (extra[p + 3] & 0xff) << 8;
                if (p + 4 + len > extra.length) {
                    return null;
                }
                if (extra[p] == SI1 && extra[p + 1] == SI2) {
                    String id = new String(extra, p + 4, len, StandardCharsets.US_ASCII);
                    return RUN_ID.matcher(id).matches() ? id : null;
                }
                p += 4 + len;
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
