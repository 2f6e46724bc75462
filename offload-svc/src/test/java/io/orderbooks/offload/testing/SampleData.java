package io.orderbooks.offload.testing;

import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterConfig;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Line;
import io.orderbooks.shared.testing.MutableClock;
import io.orderbooks.shared.testing.SampleLines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/** Closed raw files with manifests, written by the project's real {@link RotatingJsonlWriter}. */
public final class SampleData {
    public static final InstanceId VPS1 = InstanceId.of("vps1");

    private SampleData() {}

    /**
     * One closed file of {@code stream} for the UTC hour starting at {@code hour}, with {@code lines} price-change
     * lines; returns its path. Every call in the same hour makes the next sequence number.
     */
    public static Path closedFile(DataDir dir, StreamName stream, Instant hour, int lines) {
        return write(dir, stream, hour, lines, 0, new Random(hour.getEpochSecond()));
    }

    /**
     * A file of about {@code approxBytes} of gzip that barely compresses (random payloads): for transfers that take
     * long enough to be cut.
     */
    public static Path bigFile(DataDir dir, StreamName stream, Instant hour, int approxBytes) {
        int blob = 3000;
        return write(dir, stream, hour, Math.max(1, approxBytes / (blob * 3 / 4)), blob, new Random(approxBytes));
    }

    /** {@code count} files, one per hour, ending {@code count} hours before {@code lastHour}. */
    public static List<Path> hourlyFiles(DataDir dir, StreamName stream, Instant lastHour, int count, int lines) {
        List<Path> out = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            out.add(closedFile(dir, stream, lastHour.minus(Duration.ofHours(i)), lines));
        }
        return out;
    }

    private static Path write(DataDir dir, StreamName stream, Instant hour, int lines, int blobBytes, Random random) {
        MutableClock clock = new MutableClock(hour.plusSeconds(60));
        WriterInfo info = new WriterInfo("collector-svc", "test", VPS1, "run-test");
        try (RotatingJsonlWriter w = RotatingJsonlWriter.open(dir, WriterConfig.defaults(stream, VPS1), info, clock)) {
            long t0 = clock.micros();
            for (int i = 0; i < lines; i++) {
                long recvUs = t0 + i * 1000L;
                if (blobBytes > 0) {
                    byte[] raw = new byte[blobBytes];
                    random.nextBytes(raw);
                    byte[] frame = ("{\"event_type\":\"blob\",\"data\":\""
                                    + Base64.getEncoder().encodeToString(raw) + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    w.append(Line.of(recvUs, "blob", List.of(), Envelope.ws(recvUs, "ws-0.0", i, frame)));
                } else {
                    w.append(SampleLines.wsPriceChange(recvUs, "ws-0.0", i + random.nextInt(1000)));
                }
            }
            List<String> current = w.currentFiles();
            if (current.isEmpty()) {
                throw new IllegalStateException("writer has no open file");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot write a sample file: " + e, e);
        }
        return newestClosed(dir, stream, hour);
    }

    private static Path newestClosed(DataDir dir, StreamName stream, Instant hour) {
        Path folder = dir.root()
                .resolve(io.orderbooks.shared.layout.RawFile.forRecord(
                                stream, hour.getEpochSecond() * 1_000_000L, VPS1, 1)
                        .relativeDir());
        try (var files = java.nio.file.Files.list(folder)) {
            return files.filter(p -> io.orderbooks.shared.layout.RawFile.isClosedName(
                            p.getFileName().toString()))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
