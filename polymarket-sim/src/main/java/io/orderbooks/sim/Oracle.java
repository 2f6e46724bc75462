package io.orderbooks.sim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulator sent, so a test can prove a recorder stored everything it was sent and nothing else.
 * <ul>
 *   <li>Per websocket connection: the number of data text frames, their bytes and a rolling {@link FrameDigest} over the
 *       frame texts in send order ({@code PONG} replies are counted apart and are not in the digest, because
 *       recorders do not store them).</li>
 *   <li>Per token: every REST book summary served (from {@code /book} or {@code /books}), count and digest.</li>
 *   <li>Optionally every frame and book verbatim in a JSONL sidecar file.</li>
 * </ul>
 */
public final class Oracle implements AutoCloseable {

    /** What {@code GET /admin/oracle} says about {@link #DIGEST}. */
    public static final String DIGEST = "sha256 over each frame's UTF-8 text + \\n, in send order; PONG excluded";

    /**
     * The whole oracle as {@code GET /admin/oracle} serves it (docs/SIMULATOR.md): every connection, the REST books
     * served in intact responses, the responses a fault corrupted, and the sidecar's path (null without one).
     * <p>
     * On the wire every record here (and {@link ConnectionRecord}, {@link RestBookRecord}, {@link SidecarFrame}) has its
     * components in snake_case ({@code restBooksServed} is {@code rest_books_served}), so a consumer can read the
     * admin API's JSON straight into these types (the soak module does, with Jackson's SNAKE_CASE naming).
     */
    public record Snapshot(
            String digest,
            List<ConnectionRecord> connections,
            long restBooksServed,
            long restResponsesCorrupted,
            String sidecar) {}

    /**
     * One websocket line of the sidecar file: the {@code seq}-th frame (from 1) sent on connection {@code conn},
     * verbatim. The sidecar's REST lines ({@code "src":"rest"}) carry {@code asset_id} and {@code item} instead.
     */
    public record SidecarFrame(String conn, long seq, String frame) {}

    /** Snapshot of one websocket connection's record. {@code closedAtMs} is 0 while open. */
    public record ConnectionRecord(
            String id,
            String remote,
            long openedAtMs,
            long closedAtMs,
            String closeReason,
            long frames,
            long bytes,
            String sha256,
            long pongs,
            long invalidClientFrames,
            int subscribedAssets,
            int servedAssets) {
        public boolean open() {
            return closedAtMs == 0;
        }
    }

    /** Snapshot of the REST books served for one token. */
    public record RestBookRecord(String assetId, long count, String sha256, String lastHash) {}

    private final Map<String, ConnectionLog> connections = new ConcurrentHashMap<>();
    private final Map<String, RestLog> rest = new ConcurrentHashMap<>();
    private final AtomicLong restBooks = new AtomicLong();
    private final AtomicLong restCorrupted = new AtomicLong();
    private final BufferedWriter sidecar;
    private final Path sidecarPath;

    Oracle(Path sidecarPath) {
        this.sidecarPath = sidecarPath;
        try {
            if (sidecarPath != null) {
                if (sidecarPath.getParent() != null) {
                    Files.createDirectories(sidecarPath.getParent());
                }
                sidecar = Files.newBufferedWriter(
                        sidecarPath,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
            } else {
                sidecar = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open oracle sidecar " + sidecarPath, e);
        }
    }

    /** All connections seen since start, in connect order. */
    public List<ConnectionRecord> connections() {
        List<ConnectionRecord> out = new ArrayList<>();
        for (ConnectionLog l : connections.values()) {
            out.add(l.snapshot());
        }
        out.sort(Comparator.comparingLong(ConnectionRecord::openedAtMs).thenComparing(r -> seqOf(r.id())));
        return out;
    }

    /** The oracle as {@code GET /admin/oracle} serves it. */
    public Snapshot snapshot() {
        return new Snapshot(
                DIGEST,
                connections(),
                restBooksServed(),
                restResponsesCorrupted(),
                sidecarPath().map(Object::toString).orElse(null));
    }

    public Optional<ConnectionRecord> connection(String id) {
        ConnectionLog l = connections.get(id);
        return l == null ? Optional.empty() : Optional.of(l.snapshot());
    }

    public Optional<RestBookRecord> restBook(String assetId) {
        RestLog l = rest.get(assetId);
        return l == null ? Optional.empty() : Optional.of(l.snapshot(assetId));
    }

    public long restBooksServed() {
        return restBooks.get();
    }

    /** REST responses that a fault truncated or garbled (their books are not in the per-token digests). */
    public long restResponsesCorrupted() {
        return restCorrupted.get();
    }

    public long totalFrames() {
        return connections.values().stream().mapToLong(l -> l.frames).sum();
    }

    public Optional<Path> sidecarPath() {
        return Optional.ofNullable(sidecarPath);
    }

    ConnectionLog open(String id, String remote, long nowMs) {
        ConnectionLog log = new ConnectionLog(id, remote, nowMs);
        connections.put(id, log);
        return log;
    }

    void restBook(String assetId, String item) {
        restBooks.incrementAndGet();
        rest.computeIfAbsent(assetId, k -> new RestLog()).add(item);
        if (sidecar != null) {
            StringBuilder sb = new StringBuilder(item.length() + 64);
            sb.append("{\"src\":\"rest\",\"asset_id\":\"").append(assetId).append("\",\"item\":");
            Json.str(sb, item);
            writeLine(sb.append('}').toString());
        }
    }

    void restCorrupted() {
        restCorrupted.incrementAndGet();
    }

    /** Pushes buffered sidecar lines to the file. */
    public void flush() {
        if (sidecar != null) {
            synchronized (sidecar) {
                try {
                    sidecar.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    public void close() {
        if (sidecar != null) {
            synchronized (sidecar) {
                try {
                    sidecar.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void writeLine(String line) {
        synchronized (sidecar) {
            try {
                sidecar.write(line);
                sidecar.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static long seqOf(String id) {
        try {
            return Long.parseLong(id.substring(1));
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The live record of one connection; all calls come from that connection's event loop. */
    final class ConnectionLog {
        private final String id;
        private final String remote;
        private final long openedAtMs;
        private final FrameDigest digest = new FrameDigest();
        private volatile long frames;
        private volatile long bytes;
        private volatile long pongs;
        private volatile long invalid;
        private volatile long closedAtMs;
        private volatile String closeReason = "";
        private volatile int subscribed;
        private volatile int served;

        private ConnectionLog(String id, String remote, long openedAtMs) {
            this.id = id;
            this.remote = remote;
            this.openedAtMs = openedAtMs;
        }

        void frame(String text) {
            synchronized (this) {
                digest.add(text);
                frames++;
                bytes += text.length();
            }
            if (sidecar != null) {
                StringBuilder sb = new StringBuilder(text.length() + 48);
                sb.append("{\"conn\":\"")
                        .append(id)
                        .append("\",\"seq\":")
                        .append(frames)
                        .append(",\"frame\":");
                Json.str(sb, text);
                writeLine(sb.append('}').toString());
            }
        }

        void pong() {
            pongs++;
        }

        void invalidClientFrame() {
            invalid++;
        }

        void assets(int subscribedCount, int servedCount) {
            subscribed = subscribedCount;
            served = servedCount;
        }

        void closed(long nowMs, String reason) {
            if (closedAtMs == 0) {
                closedAtMs = nowMs;
                closeReason = reason;
            }
        }

        synchronized ConnectionRecord snapshot() {
            return new ConnectionRecord(
                    id,
                    remote,
                    openedAtMs,
                    closedAtMs,
                    closeReason,
                    frames,
                    bytes,
                    digest.hex(),
                    pongs,
                    invalid,
                    subscribed,
                    served);
        }
    }

    private static final class RestLog {
        private final FrameDigest digest = new FrameDigest();
        private long count;
        private String lastHash = "";

        synchronized void add(String item) {
            digest.add(item);
            count++;
            int h = item.indexOf("\"hash\":\"");
            if (h >= 0) {
                lastHash = item.substring(h + 8, item.indexOf('"', h + 8));
            }
        }

        synchronized RestBookRecord snapshot(String assetId) {
            return new RestBookRecord(assetId, count, digest.hex(), lastHash);
        }
    }
}
