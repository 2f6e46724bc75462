package io.orderbooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.records.Event;
import io.orderbooks.shared.records.GapReason;
import io.orderbooks.shared.records.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** What a run left on disk, read back after the collector closed its files: manifests and the lines themselves. */
final class Recorded {
    /** Totals of one stream's closed files (from their manifests). */
    record Totals(long files, long records, long frames, long bytes, long uncompressedBytes) {
        double bytesPerRecord() {
            return records == 0 ? Double.NaN : (double) bytes / records;
        }

        double ratio() {
            return bytes == 0 ? Double.NaN : (double) uncompressedBytes / bytes;
        }
    }

    private Recorded() {}

    static Totals totals(Path dataDir, String stream) {
        long files = 0;
        long records = 0;
        long events = 0;
        long bytes = 0;
        long raw = 0;
        for (Path m : manifests(dataDir, stream)) {
            try {
                JsonNode n = Json.parse(Files.readAllBytes(m));
                files++;
                records += n.get("records").asLong();
                bytes += n.get("bytes").asLong();
                raw += n.get("uncompressed_bytes").asLong();
                events += n.path("counts").path("event").asLong(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Totals(files, records, records - events, bytes, raw);
    }

    static List<Path> manifests(Path dataDir, String stream) {
        Path root = dataDir.resolve("raw").resolve(stream);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl.gz.manifest.json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the closed {@code ws_market} files say about a measurement window [fromUs, toUs): data frames whose
     * {@code recv_us} lies in it (written), lines lost to a full queue (the {@code lost_lines} of {@code queue-full}
     * gap records whose {@code from_us} lies in it), and how long reading was paused for the disk (the
     * {@code paused_ms} of {@code resumed} events in it; backpressure).
     */
    record Window(long frames, long lost, long pauses, long pausedMs) {}

    static Window window(Path dataDir, long fromUs, long toUs) {
        long[] w = new long[4]; // frames, lost, pauses, pausedMs
        forEachLine(dataDir, "ws_market", line -> {
            if (isFrame(line)) {
                long recvUs = recvUs(line);
                if (recvUs >= fromUs && recvUs < toUs) {
                    w[0]++;
                }
            } else if (line.contains(eventKey(Event.GAP))) {
                JsonNode n = parse(line);
                long from = n.path("from_us").asLong();
                if (GapReason.fromWire(n.path("reason").asText()) == GapReason.QUEUE_FULL
                        && from >= fromUs
                        && from < toUs) {
                    w[1] += n.path("lost_lines").asLong();
                }
            } else if (line.contains(eventKey(Event.RESUMED))) {
                long recvUs = recvUs(line);
                if (recvUs >= fromUs && recvUs < toUs) {
                    w[2]++;
                    w[3] += parse(line).path("paused_ms").asLong();
                }
            }
        });
        return new Window(w[0], w[1], w[2], w[3]);
    }

    /** Lines of a stream's closed files that match. */
    static long count(Path dataDir, String stream, java.util.function.Predicate<String> matching) {
        long[] n = new long[1];
        forEachLine(dataDir, stream, line -> n[0] += matching.test(line) ? 1 : 0);
        return n[0];
    }

    /** Every line of a stream's closed files, in manifest order. */
    static void forEachLine(Path dataDir, String stream, java.util.function.Consumer<String> each) {
        for (Path m : manifests(dataDir, stream)) {
            forEachLineOf(m, each);
        }
    }

    /** Every line of the closed file a manifest describes. */
    static void forEachLineOf(Path manifest, java.util.function.Consumer<String> each) {
        String name = manifest.getFileName().toString();
        Path data = manifest.resolveSibling(name.substring(0, name.length() - ".manifest.json".length()));
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(data), 1 << 16), StandardCharsets.UTF_8),
                1 << 16)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                each.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String line) {
        try {
            return Json.parse(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line starts with {"recv_us":<digits>, (DATA-FORMAT §2). */
    static long recvUs(CharSequence line) {
        long v = 0;
        for (int i = 11; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The text an event line of this name holds (lines are compact JSON, docs/DATA-FORMAT.md §2). */
    private static String eventKey(Event event) {
        return "\"event\":\"" + event.wire() + "\"";
    }

    /** A frame line has its {@code seq} right after {@code conn}; event lines have {@code event} there. */
    static boolean isFrame(String line) {
        int conn = line.indexOf(",\"conn\":\"");
        if (conn < 0) {
            return false;
        }
        int end = line.indexOf('"', conn + 9);
        return line.startsWith(",\"seq\":", end + 1);
    }

    static long sizeOf(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
