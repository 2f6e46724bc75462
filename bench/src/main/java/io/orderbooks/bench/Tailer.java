package io.orderbooks.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Receive-to-disk latency, observed from outside the collector the way a reader sees the data: it follows the
 * {@code ws_market} {@code .open} files (all of them, so an hour boundary loses nothing), inflates whatever the
 * writer has put into them so far (a SYNC_FLUSH makes every line before it decodable), and for each frame line
 * that becomes complete records {@code now - recv_us}: the time from the collector's receive stamp to the line
 * being readable in the file on disk (page cache; the writer's fsync follows within its flush interval). Polls
 * every millisecond, so values are upper bounds with about 1 ms of resolution (10 ms for the first lines of a new
 * hour's file). Both clocks are this machine's wall clock.
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

    /** One followed {@code .open} file: its channel, its inflater and the head of the line being decoded. */
    private static final class Followed {
        final Path path;
        final FileChannel ch;
        final Inflater inflater = new Inflater(true);
        final StringBuilder line = new StringBuilder(4096);
        boolean headerSkipped;

        Followed(Path path) throws IOException {
            this.path = path;
            this.ch = FileChannel.open(path, StandardOpenOption.READ);
        }

        void close() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only
            }
            inflater.end();
        }
    }

    /**
     * Follows every {@code .open} file at once: at an hour boundary the writer opens the next hour's file while
     * the previous one stays open for late lines (late grace), so following only one would miss the new lines
     * until the old file closes. New files are looked for every 10 ms.
     */
    private void run() {
        java.util.Map<Path, Followed> files = new java.util.HashMap<>();
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        byte[] out = new byte[1 << 18];
        long lastLook = 0;
        try {
            while (running) {
                if (System.nanoTime() - lastLook > 10_000_000L) {
                    for (Path p : openFiles()) {
                        if (!files.containsKey(p)) {
                            try {
                                files.put(p, new Followed(p));
                            } catch (java.nio.file.NoSuchFileException e) {
                                // closed (renamed) in the meantime
                            }
                        }
                    }
                    lastLook = System.nanoTime();
                }
                boolean read = false;
                for (java.util.Iterator<Followed> it = files.values().iterator(); it.hasNext(); ) {
                    Followed f = it.next();
                    int n = read(f, in, out);
                    if (n > 0) {
                        read = true;
                    } else if (!Files.exists(f.path)) { // renamed at rotation or close: read what is left, then drop it
                        while (read(f, in, out) > 0) {
                            read = true;
                        }
                        f.close();
                        it.remove();
                    }
                }
                if (!read) {
                    Thread.sleep(1);
                }
            }
        } catch (IOException | InterruptedException e) {
            // stopped
        } finally {
            files.values().forEach(Followed::close);
        }
    }

    /** Reads what the writer added to one file and samples every line it completes; returns the bytes read. */
    private int read(Followed f, ByteBuffer in, byte[] out) throws IOException {
        in.clear();
        int n = f.ch.read(in);
        if (n <= 0) {
            return n;
        }
        in.flip();
        if (!f.headerSkipped) {
            // The 10-byte gzip header of GZIPOutputStream, plus the extra field naming the writer run (FLG.FEXTRA,
            // docs/DATA-FORMAT.md §1) when there is one.
            int header = 10;
            if (in.remaining() >= 4 && (in.get(3) & 0x04) != 0) {
                header =
                        in.remaining() < 12 ? Integer.MAX_VALUE : 12 + ((in.get(10) & 0xff) | (in.get(11) & 0xff) << 8);
            }
            if (in.remaining() < header) {
                f.ch.position(f.ch.position() - in.remaining());
                return 0;
            }
            in.position(header);
            f.headerSkipped = true;
        }
        f.inflater.setInput(in.array(), in.position(), in.remaining());
        while (true) {
            int k;
            try {
                k = f.inflater.inflate(out);
            } catch (DataFormatException e) {
                throw new IllegalStateException("cannot inflate " + f.path, e);
            }
            if (k == 0) {
                break;
            }
            long now = nowUs();
            for (int i = 0; i < k; i++) {
                char c = (char) (out[i] & 0xff);
                if (c == '\n') {
                    sample(f.line, now);
                    f.line.setLength(0);
                } else if (f.line.length() < 200) {
                    f.line.append(c); // the head of a line holds recv_us, conn and seq
                }
            }
        }
        return n;
    }

    private synchronized void sample(CharSequence head, long nowUs) {
        long recv = Recorded.recvUs(head);
        if (recv < fromUs || count == samples.length || !Recorded.isFrame(head.toString())) {
            return;
        }
        samples[count++] = nowUs - recv;
    }

    private List<Path> openFiles() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl.gz.open"))
                    .toList();
        } catch (java.io.UncheckedIOException e) {
            return List.of(); // a directory changed under the walk; look again next time
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
