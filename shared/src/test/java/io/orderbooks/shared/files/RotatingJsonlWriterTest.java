package io.orderbooks.shared.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Event;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.records.Line;
import io.orderbooks.shared.records.LostLines;
import io.orderbooks.shared.records.RecordKinds;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.Eventually;
import io.orderbooks.shared.testing.FaultySink;
import io.orderbooks.shared.testing.GzipTools;
import io.orderbooks.shared.testing.MutableClock;
import io.orderbooks.shared.testing.SampleLines;
import io.orderbooks.shared.testing.TempDataDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RotatingJsonlWriterTest {
    private static final InstanceId VPS1 = InstanceId.of("vps1");
    private final TempDataDir temp = TempDataDir.create();
    private final DataDir dir = temp.dataDir();
    private final DataDirReader reader = new DataDirReader(dir);
    private final MutableClock clock = MutableClock.at("2026-11-24T11:30:00Z");
    private final WriterInfo info = new WriterInfo("collector-svc", "test", VPS1, "run-1", Map.of("shard", "0/1"));

    @AfterEach
    void cleanUp() {
        temp.close();
    }

    private RotatingJsonlWriter open(WriterConfig config) throws Exception {
        return RotatingJsonlWriter.open(dir, config, info, clock);
    }

    private WriterConfig ws() {
        return WriterConfig.defaults(StreamName.WS_MARKET, VPS1);
    }

    @Test
    void closedFileHasAManifestThatDescribesItExactly() throws Exception {
        long t0 = clock.micros();
        try (RotatingJsonlWriter w = open(ws())) {
            for (int i = 0; i < 100; i++) {
                w.append(SampleLines.wsPriceChange(t0 + i, "ws-0.0", i));
            }
            w.append(Line.event(
                    t0 + 200, Envelope.event(t0 + 200, "ws", "ws-0.0", Event.CONNECTED, Map.of("assets", 3))));
            Gap gap = new Gap("ws-0.0", t0 + 150, t0 + 190, "disconnected");
            w.append(Line.gap(t0 + 201, gap, Envelope.gap(t0 + 201, "ws", gap, Map.of())));
            byte[] book =
                    "{\"event_type\":\"book\",\"asset_id\":\"123\",\"market\":\"0x1\",\"bids\":[],\"asks\":[],\"timestamp\":\"1\",\"hash\":\"x\"}"
                            .getBytes(StandardCharsets.UTF_8);
            w.append(Line.of(t0 + 300, "book", List.of("123"), Envelope.ws(t0 + 300, "ws-0.0", 100, book)));
        }
        List<Path> files = reader.closedFiles(StreamName.WS_MARKET);
        assertThat(files).hasSize(1);
        Path file = files.get(0);
        assertThat(dir.relative(file))
                .isEqualTo("raw/ws_market/dt=2026-11-24/hour=11/ws_market-20261124T11Z-vps1-0001.jsonl.gz");
        assertThat(reader.openFiles(StreamName.WS_MARKET)).isEmpty();

        FileManifest m = reader.manifest(file);
        Checksums.Digests real = Checksums.of(file);
        assertThat(m.bytes()).isEqualTo(real.bytes()).isEqualTo(Files.size(file));
        assertThat(m.sha256()).isEqualTo(real.sha256());
        assertThat(m.md5()).isEqualTo(real.md5());
        assertThat(m.records()).isEqualTo(103);
        assertThat(m.counts())
                .containsExactlyInAnyOrderEntriesOf(Map.of("price_change", 100L, "event", 2L, "book", 1L));
        assertThat(m.assets()).isEqualTo(2);
        assertThat(m.gaps()).containsExactly(new Gap("ws-0.0", t0 + 150, t0 + 190, "disconnected"));
        assertThat(m.firstRecvUs()).isEqualTo(t0);
        assertThat(m.lastRecvUs()).isEqualTo(t0 + 300);
        assertThat(m.closedReason()).isEqualTo("shutdown");
        assertThat(m.recovered()).isFalse();
        assertThat(m.writer().attributes()).containsEntry("shard", "0/1");
        assertThat(m.hour()).isEqualTo(Instant.parse("2026-11-24T11:00:00Z"));

        // What the writer counted is what the canonical classification derives from the lines.
        Map<String, Long> derived = new HashMap<>();
        for (JsonNode r : DataDirReader.records(file)) {
            derived.merge(RecordKinds.kindOf(r), 1L, Long::sum);
        }
        assertThat(derived).isEqualTo(m.counts());

        assertThat(GzipTools.gzipTest(file).exit()).isZero();
        GzipTools.Result zcat = GzipTools.zcat(file);
        assertThat(zcat.exit()).isZero();
        assertThat(zcat.stdout().split("\n")).hasSize(103);
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void rotatesAtTheUtcHourOfTheReceiveTimeAndKeepsLateRecordsInTheirHour() throws Exception {
        long before = Instant.parse("2026-11-24T11:59:59.900Z").toEpochMilli() * 1000;
        long after = Instant.parse("2026-11-24T12:00:00.100Z").toEpochMilli() * 1000;
        clock.set(Instant.parse("2026-11-24T11:59:59.900Z"));
        try (RotatingJsonlWriter w = open(ws())) {
            w.append(SampleLines.wsPriceChange(before, "ws-0.0", 0));
            w.append(SampleLines.wsPriceChange(after, "ws-1.0", 0));
            // A late record from another thread for the hour that just ended still lands in that hour's file.
            w.append(SampleLines.wsPriceChange(before + 50_000, "ws-0.0", 1));
            assertThat(w.stats().openFiles()).isEqualTo(2);
            clock.set(Instant.parse("2026-11-24T12:00:11Z"));
            w.closeExpired();
            assertThat(w.stats().openFiles()).isEqualTo(1);
        }
        List<Path> files = reader.closedFiles(StreamName.WS_MARKET);
        assertThat(files)
                .extracting(p -> dir.relative(p))
                .containsExactly(
                        "raw/ws_market/dt=2026-11-24/hour=11/ws_market-20261124T11Z-vps1-0001.jsonl.gz",
                        "raw/ws_market/dt=2026-11-24/hour=12/ws_market-20261124T12Z-vps1-0001.jsonl.gz");
        assertThat(reader.manifest(files.get(0)).records()).isEqualTo(2);
        assertThat(reader.manifest(files.get(0)).closedReason()).isEqualTo("rotation");
        assertThat(reader.manifest(files.get(1)).records()).isEqualTo(1);
        assertThat(reader.manifest(files.get(1)).closedReason()).isEqualTo("shutdown");
        for (Path f : files) {
            assertThat(reader.manifest(f).lastRecvUs())
                    .isLessThan(RawFile.parse(f).hourEndUs());
            assertThat(reader.manifest(f).firstRecvUs())
                    .isGreaterThanOrEqualTo(RawFile.parse(f).hourStartUs());
        }
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
    }

    @Test
    void aRecordForAnHourWhoseFileClosedOpensTheNextSequenceNumber() throws Exception {
        long t = clock.micros();
        try (RotatingJsonlWriter w = open(ws())) {
            w.append(SampleLines.wsPriceChange(t, "ws-0.0", 0));
        }
        try (RotatingJsonlWriter w = open(ws())) {
            w.append(SampleLines.wsPriceChange(t + 1, "ws-0.0", 1));
        }
        assertThat(reader.closedFiles(StreamName.WS_MARKET))
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "ws_market-20261124T11Z-vps1-0001.jsonl.gz", "ws_market-20261124T11Z-vps1-0002.jsonl.gz");
    }

    @Test
    void flushedDataIsReadableByZcatWhileTheFileIsStillOpen() throws Exception {
        long t = clock.micros();
        try (RotatingJsonlWriter w = open(ws().withFlushInterval(Duration.ofMinutes(5)))) {
            for (int i = 0; i < 500; i++) {
                w.append(SampleLines.wsPriceChange(t + i, "ws-0.0", i));
            }
            w.flush();
            Path open = reader.openFiles(StreamName.WS_MARKET).get(0);
            Path copy = temp.root().resolve("copy.gz");
            Files.copy(open, copy);
            GzipTools.Result zcat = GzipTools.zcat(copy);
            // No gzip trailer yet, so zcat reports an unexpected end, but everything flushed is on its stdout.
            assertThat(zcat.stdout().split("\n")).hasSize(500);
            assertThat(zcat.stdout()).endsWith("}\n");
        }
    }

    @Test
    void theFlusherBoundsHowLongARecordStaysUnreadable() throws Exception {
        long t = clock.micros();
        try (RotatingJsonlWriter w = open(ws().withFlushInterval(Duration.ofMillis(100)))) {
            w.append(SampleLines.wsPriceChange(t, "ws-0.0", 0));
            Path open = reader.openFiles(StreamName.WS_MARKET).get(0);
            Path copy = temp.root().resolve("poll.gz");
            Eventually.until("the background flush made the record readable", () -> {
                Files.copy(open, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return GzipTools.zcat(copy).stdout().endsWith("}\n");
            });
        }
    }

    @Test
    void recordsBecomeReadableWithinTheirBoundWithoutWaitingForFsync() throws Exception {
        java.util.concurrent.atomic.AtomicInteger fsyncs = new java.util.concurrent.atomic.AtomicInteger();
        FileSink.Opener counting = path -> {
            FileSink real = FileSink.DISK.create(path);
            return new FileSink() {
                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                    real.write(b, off, len);
                }

                @Override
                public void force() throws java.io.IOException {
                    fsyncs.incrementAndGet();
                    real.force();
                }

                @Override
                public void close() throws java.io.IOException {
                    real.close();
                }
            };
        };
        long t = clock.micros();
        WriterConfig config = ws().withOpener(counting)
                .withFlushInterval(Duration.ofMinutes(10))
                .withReadableWithin(Duration.ofMillis(20));
        try (RotatingJsonlWriter w = open(config)) {
            w.append(SampleLines.wsPriceChange(t, "ws-0.0", 0));
            w.append(SampleLines.wsPriceChange(t + 1, "ws-0.0", 1));
            Path open = reader.openFiles(StreamName.WS_MARKET).get(0);
            Path copy = temp.root().resolve("poll.gz");
            String out = Eventually.await("both records readable in the .open file")
                    .until(
                            () -> {
                                Files.copy(open, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                                return GzipTools.zcat(copy).stdout();
                            },
                            o -> o.split("\n").length >= 2);
            assertThat(out.split("\n"))
                    .as("both records readable in the .open file")
                    .hasSize(2);
            assertThat(fsyncs.get())
                    .as("readable by the SYNC_FLUSH tick alone; fsync waits for its own interval")
                    .isZero();
            w.flush();
            assertThat(fsyncs.get())
                    .as("an explicit flush also makes it durable")
                    .isEqualTo(1);
        }
    }

    /**
     * close() while the fsync thread is inside force(): the file must still be closed, renamed and given its
     * manifest. close() used to shutdownNow() its threads; the interrupt made FileChannel.force close the channel
     * (ClosedByInterruptException), the closer's own force then failed and the file stayed .open without a manifest
     * until the next start. Held here deterministically: the fsync thread waits in force() until it is interrupted
     * or the closer has been waiting for it for 300 ms, and the closer forces only after it.
     */
    @Test
    void closeDuringAnFsyncClosesTheFileWithItsManifest() throws Exception {
        CountDownLatch inForce = new CountDownLatch(1);
        CountDownLatch syncerDone = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean(true);
        AtomicLong closerWaitingSince = new AtomicLong();
        AtomicBoolean syncerInterrupted = new AtomicBoolean();
        FileSink.Opener held = path -> {
            FileSink real = FileSink.DISK.create(path);
            return new FileSink() {
                @Override
                public void write(byte[] b, int off, int len) throws java.io.IOException {
                    real.write(b, off, len);
                }

                @Override
                public void force() throws java.io.IOException {
                    String thread = Thread.currentThread().getName();
                    if (thread.endsWith("-fsync") && armed.compareAndSet(true, false)) {
                        inForce.countDown();
                        try {
                            while (!Thread.currentThread().isInterrupted()
                                    && (closerWaitingSince.get() == 0
                                            || System.nanoTime() - closerWaitingSince.get() < 300_000_000L)) {
                                LockSupport.parkNanos(1_000_000L);
                            }
                            syncerInterrupted.set(Thread.currentThread().isInterrupted());
                            real.force();
                        } finally {
                            syncerDone.countDown();
                        }
                        return;
                    }
                    if (thread.endsWith("-closer")) {
                        closerWaitingSince.compareAndSet(0, System.nanoTime());
                        try {
                            syncerDone.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                    }
                    real.force();
                }

                @Override
                public void close() throws java.io.IOException {
                    real.close();
                }
            };
        };
        long t = clock.micros();
        RotatingJsonlWriter w = open(ws().withOpener(held).withFlushInterval(Duration.ofMillis(20)));
        for (int i = 0; i < 100; i++) {
            w.append(SampleLines.wsPriceChange(t + i, "ws-0.0", i));
        }
        assertThat(inForce.await(10, TimeUnit.SECONDS))
                .as("the fsync thread reached force()")
                .isTrue();
        w.close();
        assertThat(reader.openFiles(StreamName.WS_MARKET))
                .as("files left .open")
                .isEmpty();
        assertThat(reader.records(StreamName.WS_MARKET)).hasSize(100);
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
        assertThat(w.stats().writeErrors()).isZero();
        assertThat(w.stats().filesClosed()).isEqualTo(1);
        assertThat(syncerInterrupted.get())
                .as("close() interrupted the fsync thread")
                .isFalse();
    }

    @Test
    void readableWithinIsValidatedAndNeverLagsTheFsyncInterval() {
        assertThat(ws().readableWithin()).isEqualTo(WriterConfig.DEFAULT_READABLE_WITHIN);
        assertThat(ws().withFlushInterval(Duration.ofMillis(30)).readableWithin())
                .isEqualTo(Duration.ofMillis(30));
        assertThat(ws().withReadableWithin(Duration.ofSeconds(5)).readableWithin())
                .isEqualTo(ws().flushInterval());
        assertThatThrownBy(() -> ws().withReadableWithin(Duration.ofMillis(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readable-within");
        assertThatThrownBy(() -> ws().withReadableWithin(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentAppendersLoseNothingAndKeepTheirOrder() throws Exception {
        int threads = 4;
        int perThread = 5000;
        long t = clock.micros();
        try (RotatingJsonlWriter w = open(ws())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                String conn = "ws-" + k + ".0";
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        w.append(SampleLines.wsPriceChange(t + i, conn, i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }
        Map<String, Long> nextSeq = new HashMap<>();
        List<JsonNode> records = reader.records(StreamName.WS_MARKET);
        assertThat(records).hasSize(threads * perThread);
        for (JsonNode r : records) {
            String conn = r.get("conn").asText();
            long expected = nextSeq.getOrDefault(conn, 0L);
            assertThat(r.get("seq").asLong()).as("seq of " + conn).isEqualTo(expected);
            nextSeq.put(conn, expected + 1);
        }
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
    }

    @Test
    void aFullDiskFailsTheWriteKeepsWhatWasFlushedAndRecoversWhenRoomReturns() throws Exception {
        FaultySink disk = new FaultySink(20_000);
        long t = clock.micros();
        int flushed = 0;
        int accepted = 0;
        WriterException failure = null;
        List<LostLines> lost = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RotatingJsonlWriter w = open(ws().withOpener(disk).withFlushInterval(Duration.ofMinutes(5)))) {
            w.onLinesLost(lost::add);
            for (int i = 0; i < 100_000 && failure == null; i++) {
                try {
                    w.append(SampleLines.wsPriceChange(t + i, "ws-0.0", i));
                    accepted++;
                    if (i % 100 == 99) {
                        w.flush();
                        if (w.stats().writeErrors() == 0) {
                            flushed = accepted;
                        }
                    }
                } catch (WriterException e) {
                    failure = e;
                }
            }
            assertThat(failure).as("the writer reports the full disk").isNotNull();
            assertThat(failure.getMessage()).contains("No space left on device");
            assertThat(w.stats().writeErrors()).isPositive();
            assertThat(w.stats().abandonedFiles()).isEqualTo(1);
            assertThat(flushed).isPositive();

            // While the disk is full, a new file cannot be opened: the caller is told, nothing is pretended.
            assertThatThrownBy(() -> w.append(SampleLines.wsPriceChange(t + 200_000, "ws-0.0", 999_999)))
                    .isInstanceOf(WriterException.class);

            disk.refill(Long.MAX_VALUE);
            w.append(SampleLines.wsPriceChange(t + 300_000, "ws-0.0", 1_000_000));
        }
        List<Path> files = reader.closedFiles(StreamName.WS_MARKET);
        assertThat(files).hasSize(2);
        FileManifest salvaged = reader.manifest(files.get(0));
        assertThat(salvaged.recovered()).isTrue();
        assertThat(salvaged.records()).isGreaterThanOrEqualTo(flushed).isLessThanOrEqualTo(accepted);
        assertThat(reader.manifest(files.get(1)).records()).isEqualTo(1);
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
        List<JsonNode> records = reader.records(StreamName.WS_MARKET);
        for (int i = 0; i < salvaged.records(); i++) {
            assertThat(records.get(i).get("seq").asLong()).isEqualTo(i);
        }
        // Every accepted line is in the salvaged file or reported lost; what is reported lost came after the last
        // flush the test saw (the writer's own flusher may have flushed later, never earlier).
        long lostCount = lost.stream().mapToLong(LostLines::count).sum();
        assertThat(salvaged.records() + lostCount)
                .as("kept + reported lost covers every accepted line")
                .isGreaterThanOrEqualTo(accepted);
        assertThat(lostCount).isLessThanOrEqualTo(accepted - flushed);
        for (LostLines l : lost) {
            assertThat(l.fromUs()).isGreaterThanOrEqualTo(t + flushed);
            assertThat(l.toUs()).isLessThan(t + accepted);
        }
        assertThat(Files.list(dir.quarantine().resolve("raw/ws_market/dt=2026-11-24/hour=11"))
                        .count())
                .isEqualTo(2); // original + note
    }

    @Test
    void aSecondWriterForTheSameStreamAndInstanceIsRefused() throws Exception {
        try (RotatingJsonlWriter w = open(ws())) {
            assertThatThrownBy(() -> open(ws())).hasMessageContaining("locked");
            // Another instance, or another stream, is fine.
            RotatingJsonlWriter.open(dir, WriterConfig.defaults(StreamName.REST_BOOKS, VPS1), info, clock)
                    .close();
        }
        open(ws()).close();
    }

    /**
     * Errors are counted from several threads at once (appenders under the lock, but the fsync thread, the closer
     * and {@link RotatingJsonlWriter#flush()} callers outside it): none may be lost. Hammered hard enough that an
     * unsynchronised {@code ++} loses updates on any machine with two cores.
     */
    @Test
    void errorsNotedFromManyThreadsAtOnceAreAllCounted() throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(RotatingJsonlWriter.class.getName());
        java.util.logging.Level level = log.getLevel();
        log.setLevel(java.util.logging.Level.OFF); // a million ERROR lines would drown the build log
        int threads = 8;
        int each = 40_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (RotatingJsonlWriter w = open(ws())) {
            IOException cause = new IOException("test");
            // Several rounds: on a loaded machine the threads of one round may seldom run at the same instant.
            for (int round = 1; round <= 3; round++) {
                long before = w.stats().writeErrors();
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++) {
                            w.noteError("hammer", cause);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                assertThat(w.stats().writeErrors() - before)
                        .as("errors counted in round " + round)
                        .isEqualTo((long) threads * each);
            }
            assertThat(w.stats().lastError()).startsWith("hammer");
        } finally {
            pool.shutdownNow();
            log.setLevel(level);
        }
    }

    @Test
    void linesThatAreNotOneJsonObjectWithANewlineAreRejected() {
        assertThatThrownBy(() -> Line.of(1, "x", List.of(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Line.of(0, "x", List.of(), "{}\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("recv_us");
    }
}
