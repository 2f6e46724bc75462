package io.orderbooks.shared.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.records.RecordKinds;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads a possibly damaged gzip JSONL file as far as it decompresses and keeps every complete line that is a JSON
 * object: after a crash, everything before the last SYNC_FLUSH decompresses, and a line is complete only when its
 * newline made it. A torn tail and anything that does not parse are counted as dropped, never guessed at.
 */
final class GzipSalvage {
    private GzipSalvage() {}

    /**
     * @param clean   the whole file decompressed to its trailer and every line was kept
     * @param problem why reading stopped early or what was dropped (null when clean)
     * @param digests of the written target (null when only checking)
     */
    record Result(
            FileStats stats,
            long droppedLines,
            long droppedBytes,
            boolean clean,
            String problem,
            Checksums.Digests digests) {}

    /**
     * Salvages {@code source} into a new gzip file {@code target} (created, fsynced), or only checks when null.
     * {@code runId}, when known, goes into the target's header ({@link GzipRunHeader}): the run that wrote the lines.
     */
    static Result salvage(Path source, Path target, int level, String runId) throws IOException {
        FileStats stats = new FileStats();
        Counter dropped = new Counter();
        MessageDigest sha = Checksums.sha256();
        MessageDigest md5 = Checksums.md5();
        CountingStream counting = null;
        GZIPOutputStream out = null;
        if (target != null) {
            OutputStream file = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            counting = new CountingStream(new DigestOutputStream(new DigestOutputStream(file, sha), md5));
            out = new GZIPOutputStream(GzipRunHeader.wrap(counting, runId), 64 * 1024) {
                {
                    def.setLevel(level);
                }
            };
        }
        try {
            return copyLines(source, target, stats, dropped, out, counting, sha, md5);
        } catch (IOException | RuntimeException e) {
            if (out != null) {
                try {
                    out.close(); // release the descriptor even when the disk refused the bytes
                } catch (IOException ignored) {
                    // already failing; the caller deletes the temp file
                }
            }
            throw e;
        }
    }

    private static Result copyLines(
            Path source,
            Path target,
            FileStats stats,
            Counter dropped,
            GZIPOutputStream out,
            CountingStream counting,
            MessageDigest sha,
            MessageDigest md5)
            throws IOException {
        String problem = null;
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        try (InputStream in =
                new GZIPInputStream(new BufferedInputStream(Files.newInputStream(source), 1 << 16), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        partial.write(buf, start, i - start + 1);
                        keep(partial.toByteArray(), stats, dropped, out);
                        partial.reset();
                        start = i + 1;
                    }
                }
                partial.write(buf, start, n - start);
            }
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            // EOFException for a file cut after a flush point, ZipException for damage: keep what came before.
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (partial.size() > 0) {
            dropped.lines++;
            dropped.bytes += partial.size();
            problem = problem == null ? "torn last line" : problem;
        }
        if (dropped.invalid > 0 && problem == null) {
            problem = dropped.invalid + " line(s) were not JSON objects";
        }
        Checksums.Digests digests = null;
        if (out != null) {
            out.finish();
            out.flush();
            out.close();
            AtomicFiles.fsync(target);
            digests = new Checksums.Digests(counting.count, Checksums.hex(sha.digest()), Checksums.hex(md5.digest()));
        }
        return new Result(stats, dropped.lines, dropped.bytes, problem == null, problem, digests);
    }

    private static void keep(byte[] line, FileStats stats, Counter dropped, GZIPOutputStream out) throws IOException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            dropped.lines++;
            dropped.invalid++;
            dropped.bytes += line.length;
            return;
        }
        long recvUs = node.path("recv_us").asLong(0);
        stats.add(recvUs, RecordKinds.kindOf(node), RecordKinds.assetsOf(node), line.length, RecordKinds.gapOf(node));
        if (out != null) {
            out.write(line);
        }
    }

    private static final class Counter {
        long lines;
        long bytes;
        long invalid;
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }
    }
}
