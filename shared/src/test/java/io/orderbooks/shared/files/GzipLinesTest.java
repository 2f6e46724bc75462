package io.orderbooks.shared.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.shared.layout.Checksums;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract's line reader on its own: slices, over-long lines, growth, torn ends, damage, hashing, both forms. */
class GzipLinesTest {
    @TempDir
    Path tmp;

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    private Path file(byte[] bytes) throws IOException {
        Path p = tmp.resolve("f.jsonl.gz");
        Files.write(p, bytes);
        return p;
    }

    @Test
    void handsOverEveryLineAndHashesTheCompressedBytes() throws IOException {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            content.append("{\"n\":").append(i).append("}\n");
        }
        byte[] gz = gzip(content.toString().getBytes(StandardCharsets.US_ASCII));
        List<String> lines = new ArrayList<>();

        GzipLines.Result r = GzipLines.read(file(gz), true, (b, off, len, truncated) -> {
            assertThat(truncated).isFalse();
            lines.add(new String(b, off, len, StandardCharsets.US_ASCII));
        });

        assertThat(lines).hasSize(50_000).startsWith("{\"n\":0}").endsWith("{\"n\":49999}");
        assertThat(r.lines()).isEqualTo(50_000);
        assertThat(r.uncompressedBytes()).isEqualTo(content.length());
        assertThat(r.compressedBytes()).isEqualTo(gz.length);
        assertThat(r.sha256()).isEqualTo(Checksums.sha256Hex(gz));
        assertThat(r.tornBytes()).isZero();
        assertThat(r.gzipProblem()).isNull();
    }

    @Test
    void aLineLongerThanTheBufferIsHandedOverAsItsStart() throws IOException {
        byte[] longLine = new byte[GzipLines.ENVELOPE_BOUND * 2 + 17];
        Arrays.fill(longLine, (byte) 'x');
        longLine[longLine.length - 1] = '\n';
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write("{\"a\":1}\n".getBytes(StandardCharsets.US_ASCII));
        content.write(longLine);
        content.write("{\"b\":2}\n".getBytes(StandardCharsets.US_ASCII));
        List<String> seen = new ArrayList<>();

        GzipLines.Result r = GzipLines.read(
                file(gzip(content.toByteArray())), false, (b, off, len, truncated) -> seen.add(truncated + ":" + len));

        assertThat(seen).containsExactly("false:7", "true:" + GzipLines.ENVELOPE_BOUND, "false:7");
        assertThat(r.lines()).isEqualTo(3);
        assertThat(r.uncompressedBytes()).isEqualTo(content.size());
        assertThat(r.sha256()).isNull();
    }

    @Test
    void bytesAfterTheLastNewlineAreATornLine() throws IOException {
        GzipLines.Result r = GzipLines.read(
                file(gzip("{\"a\":1}\n{\"b\"".getBytes(StandardCharsets.US_ASCII))),
                true,
                (b, off, len, truncated) -> {});
        assertThat(r.lines()).isEqualTo(1);
        assertThat(r.tornBytes()).isEqualTo(4);
    }

    @Test
    void aCutFileIsTruncatedAndStillFullyCountedAndHashed() throws IOException {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            content.append("{\"n\":").append(i * 7919L % 100_003).append("}\n");
        }
        byte[] gz = gzip(content.toString().getBytes(StandardCharsets.US_ASCII));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);

        GzipLines.Result r = GzipLines.read(file(cut), true, (b, off, len, truncated) -> {});

        assertThat(r.gzipProblem()).startsWith("truncated gzip");
        assertThat(r.lines()).isPositive().isLessThan(20_000);
        assertThat(r.compressedBytes()).isEqualTo(cut.length);
        assertThat(r.sha256()).isEqualTo(Checksums.sha256Hex(cut));
    }

    @Test
    void damageInsideTheDeflateStreamIsCorrupt() throws IOException {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            content.append("{\"n\":").append(i * 7919L % 100_003).append("}\n");
        }
        byte[] gz = gzip(content.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 100; i < 140; i++) {
            gz[i] = (byte) 0xff;
        }

        GzipLines.Result r = GzipLines.read(file(gz), false, (b, off, len, truncated) -> {});

        assertThat(r.gzipProblem()).startsWith("corrupt gzip");
        assertThat(r.compressedBytes()).isEqualTo(gz.length);
    }

    @Test
    void wholeLinesGrowTheBufferAndThePullFormSeesTheSameLines() throws IOException {
        byte[] longLine = new byte[GzipLines.ENVELOPE_BOUND * 3 + 5];
        Arrays.fill(longLine, (byte) 'y');
        longLine[0] = '{';
        longLine[longLine.length - 1] = '\n';
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write("{\"a\":1}\n".getBytes(StandardCharsets.US_ASCII));
        content.write(longLine);
        content.write("{\"b\":2}".getBytes(StandardCharsets.US_ASCII)); // torn: no newline
        Path f = file(gzip(content.toByteArray()));
        List<String> seen = new ArrayList<>();

        try (GzipLines r = GzipLines.open(f, true, GzipLines.WHOLE_LINES)) {
            while (r.next()) {
                seen.add(r.truncated() + ":" + r.length() + ":" + (char) r.buffer()[r.offset()]);
            }
            GzipLines.Result result = r.result();
            assertThat(result.lines()).isEqualTo(2);
            assertThat(result.tornBytes()).isEqualTo(7);
            assertThat(result.sound()).isFalse();
            assertThat(result.uncompressedBytes()).isEqualTo(content.size());
            assertThat(result.sha256()).isEqualTo(Checksums.sha256Hex(Files.readAllBytes(f)));
        }
        assertThat(seen).containsExactly("false:7:{", "false:" + (longLine.length - 1) + ":{");
    }

    @Test
    void aSmallBoundTruncatesAndSkipsToTheNextLine() throws IOException {
        int bound = 128 * 1024;
        byte[] longLine = new byte[bound * 5 / 2];
        Arrays.fill(longLine, (byte) 'z');
        longLine[longLine.length - 1] = '\n';
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(longLine);
        content.write("{\"b\":2}\n".getBytes(StandardCharsets.US_ASCII));
        List<String> seen = new ArrayList<>();

        GzipLines.Result r = GzipLines.read(
                file(gzip(content.toByteArray())),
                false,
                bound,
                (b, off, len, truncated) -> seen.add(truncated + ":" + len));

        assertThat(seen).containsExactly("true:" + bound, "false:7");
        assertThat(r.sound()).isTrue();
    }

    @Test
    void notGzipAtAllIsAProblemNotAnException() throws IOException {
        GzipLines.Result r = GzipLines.read(
                file("{\"plain\":1}\n".getBytes(StandardCharsets.US_ASCII)), true, (b, off, len, t) -> {});
        assertThat(r.gzipProblem()).startsWith("corrupt gzip");
        assertThat(r.lines()).isZero();
        assertThat(r.compressedBytes()).isEqualTo(12);
    }

    @Test
    void anEmptyFileIsTruncatedInItsHeader() throws IOException {
        GzipLines.Result r = GzipLines.read(file(new byte[0]), true, (b, off, len, t) -> {});
        assertThat(r.gzipProblem()).isEqualTo("truncated gzip (end of file inside the gzip header)");
    }

    @Test
    void findsNewlinesAtEveryOffset() {
        for (int len = 1; len < 40; len++) {
            for (int at = 0; at < len; at++) {
                byte[] b = new byte[len];
                Arrays.fill(b, (byte) 'a');
                b[at] = '\n';
                assertThat(GzipLines.indexOfNewline(b, 0, len)).isEqualTo(at);
                assertThat(GzipLines.indexOfNewline(b, at + 1, len)).isEqualTo(-1);
            }
        }
    }
}
