package io.orderbooks.bench;

import io.orderbooks.shared.records.Envelope;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What gzip level and SYNC_FLUSH cadence cost in file size and compression speed, on the realistic corpus (every
 * frame in its envelope, as the collector writes it). In process, one thread, no JMH: each setting compresses the
 * corpus's lines as one gzip member, the way the writer does it: lines gathered into 64 KiB before the deflater
 * ({@code GZIPOutputStream(out, 65536, true)} with the level set by a subclass, as {@code RotatingJsonlWriter}
 * does), and a {@code flush()} (drain the gathering buffer, then a deflate SYNC_FLUSH) every N lines. The
 * compressed bytes are counted, not stored.
 * <p>
 * The collector SYNC_FLUSHes at least every {@code readable-within} (default 50 ms), so its lines per SYNC_FLUSH
 * are the stream's lines per second times that: 5,000 lines/s at 50 ms is 250 lines, 100 lines/s is 5.
 */
final class Compression {
    /** SYNC_FLUSH every this many lines; 0 = never (only the final finish). */
    static final int NEVER = 0;

    /** One setting on one kind of frame. {@code framesPerSec} is single-thread compression speed. */
    record Row(String kind, int level, int flushEvery, int lines, long rawBytes, long gzBytes, double framesPerSec) {
        double ratio() {
            return (double) rawBytes / gzBytes;
        }

        double bytesPerLine() {
            return (double) gzBytes / lines;
        }

        double rawBytesPerLine() {
            return (double) rawBytes / lines;
        }
    }

    private Compression() {}

    /** Levels 1, 6 and 9 without SYNC_FLUSH, then level 6 with a SYNC_FLUSH every 256, 64, 16, 4 and 1 lines. */
    static List<Row> run(Path corpus, double minSecondsPerSetting) {
        List<Row> rows = new ArrayList<>();
        for (String kind : List.of(Corpus.PRICE_CHANGE, Corpus.BOOK)) {
            byte[][] lines = lines(Corpus.load(corpus, kind));
            for (int level : new int[] {1, 6, 9}) {
                rows.add(measure(kind, lines, level, NEVER, minSecondsPerSetting));
            }
            for (int every : new int[] {256, 64, 16, 4, 1}) {
                rows.add(measure(kind, lines, 6, every, minSecondsPerSetting));
            }
        }
        return rows;
    }

    /** The corpus's frames in their envelopes, as the collector writes them (one connection, rising seq and time). */
    private static byte[][] lines(List<byte[]> frames) {
        byte[][] out = new byte[frames.size()][];
        long us = System.currentTimeMillis() * 1000;
        for (int i = 0; i < out.length; i++) {
            out[i] = Envelope.ws(us + i * 37L, WriterBench.CONN, 1_000_000L + i, frames.get(i));
        }
        return out;
    }

    private static Row measure(String kind, byte[][] lines, int level, int flushEvery, double minSeconds) {
        long raw = 0;
        for (byte[] l : lines) {
            raw += l.length;
        }
        long gz = pass(lines, level, flushEvery); // also the warm-up
        pass(lines, level, flushEvery);
        int passes = 0;
        long t0 = System.nanoTime();
        long elapsed;
        do {
            long again = pass(lines, level, flushEvery);
            if (again != gz) {
                throw new IllegalStateException("gzip output size changed between passes: " + gz + " vs " + again);
            }
            passes++;
            elapsed = System.nanoTime() - t0;
        } while (passes < 3 || elapsed < minSeconds * 1e9);
        return new Row(
                kind, level, flushEvery, lines.length, raw, gz, (double) passes * lines.length / (elapsed / 1e9));
    }

    /** Compresses every line once as one gzip member; returns the compressed size (header and trailer included). */
    private static long pass(byte[][] lines, int level, int flushEvery) {
        CountingStream counter = new CountingStream();
        try (OutputStream out = new BufferedOutputStream(WriterBench.gzip(counter, level), 64 * 1024)) {
            for (int i = 0; i < lines.length; i++) {
                out.write(lines[i]);
                if (flushEvery > 0 && (i + 1) % flushEvery == 0) {
                    out.flush(); // the gathered lines into the deflater, then SYNC_FLUSH (syncFlush=true)
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count;
    }

    /** Counts bytes, keeps nothing. */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
