package io.orderbooks.collector;

import io.orderbooks.bench.Corpus;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.FrameScanner;
import io.orderbooks.shared.records.Line;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-frame work on the websocket event loop, piece by piece (in the collector's package, where its figures in
 * docs/PERFORMANCE.md were first taken): {@code inspect} ({@link FrameScanner}, one streaming pass: kind and assets for the
 * manifest), {@code envelope} (the line around the verbatim bytes), and {@code receive} = both plus the {@link Line},
 * i.e. everything {@code WsConnection.message} does except the socket and the queue hand-off.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBench {
    @Param({Corpus.PRICE_CHANGE, Corpus.BOOK})
    public String kind;

    private byte[][] frames;
    private int next;
    private long seq;

    @Setup
    public void load() {
        List<byte[]> corpus = Corpus.load(Path.of(System.getProperty("bench.corpus", "target/bench/corpus")), kind);
        frames = corpus.toArray(new byte[0][]);
    }

    private byte[] frame() {
        byte[] f = frames[next];
        next = next + 1 == frames.length ? 0 : next + 1;
        return f;
    }

    @Benchmark
    public Object inspect() {
        return FrameScanner.scan(frame());
    }

    @Benchmark
    public byte[] envelope() {
        return Envelope.ws(1_764_000_000_123_456L + seq, "ws-00.1", seq++, frame());
    }

    @Benchmark
    public Line receive() {
        byte[] f = frame();
        long recvUs = Clocks.nowMicros();
        FrameScanner.Result r = FrameScanner.scan(f);
        return Line.of(recvUs, r.kind(), r.assets(), Envelope.ws(recvUs, "ws-00.1", seq++, f));
    }
}
