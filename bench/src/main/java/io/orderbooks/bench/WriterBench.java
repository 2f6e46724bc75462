package io.orderbooks.bench;

import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterConfig;
import io.orderbooks.shared.files.WriterException;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Line;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The writer path against its ceiling, one frame per operation, on one thread, into real files:
 * <ul>
 *   <li>{@code bareGzip}: a plain {@link GZIPOutputStream} (64 KiB buffer, the same level) writing the finished
 *       envelope lines of the corpus to a file, nothing else: what compression alone allows on this machine;</li>
 *   <li>{@code writerPath}: what the collector's writer thread does per frame: build the envelope around the
 *       verbatim frame ({@link Envelope#ws}), wrap it in a {@link Line}, and {@link RotatingJsonlWriter#append} it
 *       (lock, hour routing, gzip, digests, manifest stats), with the writer's flusher (SYNC_FLUSH + fsync every
 *       half second) running as in production.</li>
 * </ul>
 * Both write the same bytes (the envelope of the same frame), so their ratio is the writer's share of the ceiling.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WriterBench {
    private static final Pattern ASSET = Pattern.compile("\"asset_id\":\"([0-9]+)\"");
    static final String CONN = "ws-00.1";

    @Param({Corpus.PRICE_CHANGE, Corpus.BOOK})
    public String kind;

    @Param({"6", "1"})
    public int level;

    private byte[][] frames;
    private byte[][] lines;
    private List<List<String>> assets;
    private int next;
    private long seq;
    private long startUs;
    private long startNanos;
    private Path work;
    private RotatingJsonlWriter writer;
    private GZIPOutputStream bare;
    private java.io.OutputStream buffered;

    @Setup(Level.Trial)
    public void load() {
        List<byte[]> corpus = Corpus.load(Path.of(System.getProperty("bench.corpus", "target/bench/corpus")), kind);
        frames = corpus.toArray(new byte[0][]);
        lines = new byte[frames.length][];
        assets = new java.util.ArrayList<>();
        long us = System.currentTimeMillis() * 1000;
        for (int i = 0; i < frames.length; i++) {
            lines[i] = Envelope.ws(us + i * 37L, CONN, 1_000_000L + i, frames[i]);
            Matcher m = ASSET.matcher(new String(frames[i], java.nio.charset.StandardCharsets.US_ASCII));
            assets.add(m.find() ? List.of(m.group(1)) : List.of());
        }
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
        work = Files.createTempDirectory(Path.of(System.getProperty("bench.work", "target/bench/work")), "writer");
        InstanceId instance = InstanceId.of("bench");
        WriterConfig config = WriterConfig.defaults(StreamName.WS_MARKET, instance)
                .withFlushInterval(Duration.ofSeconds(1))
                .withCompressionLevel(level);
        writer = RotatingJsonlWriter.open(
                DataDir.of(work), config, new WriterInfo("bench", "0", instance, "bench", Map.of()), Clock.systemUTC());
        bare = gzip(new FileOutputStream(work.resolve("bare.gz").toFile()), level);
        buffered = new java.io.BufferedOutputStream(
                gzip(new FileOutputStream(work.resolve("buffered.gz").toFile()), level), 64 * 1024);
        startUs = System.currentTimeMillis() * 1000;
        startNanos = System.nanoTime();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        writer.close();
        bare.close();
        buffered.close();
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void bareGzip() throws IOException {
        bare.write(lines[next]);
        next = next + 1 == lines.length ? 0 : next + 1;
    }

    /** The ceiling with the lines gathered into 64 KiB before they reach the deflater (fewer JNI calls). */
    @Benchmark
    public void bufferedGzip() throws IOException {
        buffered.write(lines[next]);
        next = next + 1 == lines.length ? 0 : next + 1;
    }

    @Benchmark
    public void writerPath() throws WriterException {
        int i = next;
        next = i + 1 == frames.length ? 0 : i + 1;
        long recvUs = startUs + (System.nanoTime() - startNanos) / 1000;
        writer.append(Line.of(recvUs, kind, assets.get(i), Envelope.ws(recvUs, CONN, seq++, frames[i])));
    }

    /** A GZIPOutputStream at a given level (the JDK only allows that from a subclass), 64 KiB buffer like the writer's. */
    static GZIPOutputStream gzip(java.io.OutputStream out, int level) throws IOException {
        return new GZIPOutputStream(out, 64 * 1024, true) {
            {
                def.setLevel(level);
            }
        };
    }
}
