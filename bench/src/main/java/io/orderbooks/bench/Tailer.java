package io.orderbooks.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Receive-to-disk latency, observed from outside the collector the way a reader sees the data: it follows the
 * {@code ws_market} {@code .open} file, inflates whatever the writer has put into the file so far (a SYNC_FLUSH
 * makes every line before it decodable), and for each frame line that becomes complete records
 * {@code now - recv_us}: the time from the collector's receive stamp to the line being readable in the file on
 * disk (page cache; the writer's fsync follows right after). Polls every millisecond, so values are upper bounds
 * with about 1 ms of resolution. Both clocks are this machine's wall clock.
 */
final class Tailer implements AutoCloseable {
    private final Path root;
    private final Thread thread;
    private final long[] samples;
    private int count;
    private volatile boolean running = true;
    private volatile long fromUs = Long.MAX_VALUE;

    Tailer(Path dataDir, int maxSamples) {
        this.root = dataDir.resolve("raw/ws_market");
        this.samples = new long[maxSamples];
        this.thread = new Thread(this::run, "bench-tailer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Only frames received from now on are sampled (the first seconds warm up). */
    void startSampling() {
        fromUs = nowUs();
    }

    /** Sorted latencies in microseconds. */
    long[] stop() throws InterruptedException {
        running = false;
        thread.join(5000);
        synchronized (this) {
            long[] out = Arrays.copyOf(samples, count);
            Arrays.sort(out);
            return out;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }

    private static long nowUs() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private void run() {
        Path current = null;
        FileChannel ch = null;
        Inflater inflater = null;
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        byte[] out = new byte[1 << 18];
        StringBuilder line = new StringBuilder(4096);
        boolean headerSkipped = false;
        try {
            while (running) {
                if (ch == null) {
                    Optional<Path> open = newestOpen();
                    if (open.isEmpty()) {
                        Thread.sleep(1);
                        continue;
                    }
                    current = open.get();
                    ch = FileChannel.open(current, StandardOpenOption.READ);
                    inflater = new Inflater(true);
                    headerSkipped = false;
                    line.setLength(0);
                }
                in.clear();
                int n = ch.read(in);
                if (n <= 0) {
                    if (!Files.exists(current)) { // renamed at rotation or close: follow the next .open
                        ch.close();
                        ch = null;
                    }
                    Thread.sleep(1);
                    continue;
                }
                in.flip();
                if (!headerSkipped) {
                    if (in.remaining() < 10) { // the 10-byte gzip header of GZIPOutputStream
                        ch.position(ch.position() - in.remaining());
                        Thread.sleep(1);
                        continue;
                    }
                    in.position(10);
                    headerSkipped = true;
                }
                inflater.setInput(in.array(), in.position(), in.remaining());
                while (true) {
                    int k;
                    try {
                        k = inflater.inflate(out);
                    } catch (DataFormatException e) {
                        throw new IllegalStateException("cannot inflate " + current, e);
                    }
                    if (k == 0) {
                        break;
                    }
                    long now = nowUs();
                    for (int i = 0; i < k; i++) {
                        char c = (char) (out[i] & 0xff);
                        if (c == '\n') {
                            sample(line, now);
                            line.setLength(0);
                        } else if (line.length() < 200) {
                            line.append(c); // the head of a line holds recv_us, conn and seq
                        }
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // stopped
        } finally {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // read-only
            }
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    private synchronized void sample(CharSequence head, long nowUs) {
        long recv = Recorded.recvUs(head);
        if (recv < fromUs || count == samples.length || !Recorded.isFrame(head.toString())) {
            return;
        }
        samples[count++] = nowUs - recv;
    }

    private Optional<Path> newestOpen() throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl.gz.open"))
                    .max((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        }
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }
}
