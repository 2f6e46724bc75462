package io.orderbooks.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.records.Json;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads the {@code gamma_markets} stream back as a data user would with {@code zcat}, including the file still
 * being written (readable up to its last flush, like {@code zcat} of an {@code .open} file).
 */
final class RawStream {
    private RawStream() {}

    static List<JsonNode> gammaLines(DataDir dir) {
        Path root = dir.streamDir(StreamName.GAMMA_MARKETS);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(f ->
                            f.toString().endsWith(".jsonl.gz") || f.toString().endsWith(".jsonl.gz.open"))
                    .sorted()
                    .toList()) {
                String text = readFlushed(p);
                int end = text.lastIndexOf('\n');
                if (end < 0) {
                    continue;
                }
                for (String line : text.substring(0, end).split("\n")) {
                    out.add(Json.parse(line.getBytes(StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String readFlushed(Path gz) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (EOFException flushedButNotFinished) {
            // an .open file: everything up to the last flush has been read
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
