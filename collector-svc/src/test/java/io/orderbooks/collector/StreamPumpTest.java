package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.files.FileSink;
import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterConfig;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.FaultySink;
import io.orderbooks.shared.testing.HookedSink;
import io.orderbooks.shared.testing.SampleLines;
import io.orderbooks.shared.testing.TempDataDir;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StreamPumpTest {
    /** A ws_market pump of {@code capacity} lines whose disk stalls every write until {@code release} opens. */
    static StreamPump pumpBehindStallingDisk(TempDataDir temp, CountDownLatch release, int capacity)
            throws IOException {
        InstanceId id = InstanceId.of("t");
        RotatingJsonlWriter writer = RotatingJsonlWriter.open(
                temp.dataDir(),
                WriterConfig.defaults(StreamName.WS_MARKET, id).withOpener(stallingDisk(release)),
                new WriterInfo("collector-svc", "t", id, "r"),
                Clock.systemUTC());
        return new StreamPump(writer, "ws", capacity);
    }

    /** A disk that stalls every write until released: the queue in front of it must fill. */
    private static FileSink.Opener stallingDisk(CountDownLatch release) {
        return new HookedSink((path, len) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return len;
        });
    }

    @Test
    void aFullQueueNeverBlocksTheReceiverAndTheLossBecomesAGapRecord() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            CountDownLatch release = new CountDownLatch(1);
            StreamPump pump = pumpBehindStallingDisk(temp, release, 100);
            long t = Clocks.nowMicros();
            int accepted = 0;
            int refused = 0;
            for (int i = 0; i < 5_000; i++) {
                if (pump.offer(SampleLines.wsPriceChange(t + i, "ws-00.0", i))) {
                    accepted++;
                } else {
                    refused++;
                }
            }
            assertThat(refused).as("the stalled disk filled the queue").isPositive();
            assertThat(pump.lost()).isEqualTo(refused);
            release.countDown();
            pump.close();

            DataDirReader reader = new DataDirReader(temp.dataDir());
            List<JsonNode> records = reader.records(StreamName.WS_MARKET);
            List<JsonNode> gaps = records.stream()
                    .filter(r -> "gap".equals(r.path("event").asText()))
                    .toList();
            assertThat(gaps).hasSize(1);
            assertThat(gaps.get(0).get("reason").asText()).isEqualTo("queue-full");
            assertThat(gaps.get(0).get("lost_lines").asLong()).isEqualTo(refused);
            assertThat(records).hasSize(accepted + 1);
            List<Gap> manifestGaps = reader.manifest(
                            reader.closedFiles(StreamName.WS_MARKET).get(0))
                    .gaps();
            assertThat(manifestGaps).singleElement().satisfies(g -> {
                assertThat(g.reason()).isEqualTo("queue-full");
                assertThat(g.fromUs()).isGreaterThanOrEqualTo(t);
                assertThat(g.toUs()).isLessThan(t + 5_000);
            });
        }
    }

    @Test
    void aFullDiskLosesNoLineSilently() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            FaultySink disk = new FaultySink(30_000);
            InstanceId id = InstanceId.of("t");
            RotatingJsonlWriter writer = RotatingJsonlWriter.open(
                    temp.dataDir(),
                    WriterConfig.defaults(StreamName.WS_MARKET, id).withOpener(disk),
                    new WriterInfo("collector-svc", "t", id, "r"),
                    Clock.systemUTC());
            StreamPump pump = new StreamPump(writer, "ws", 100_000);
            long t = Clocks.nowMicros();
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                assertThat(pump.offer(SampleLines.wsPriceChange(t + i, "ws-00.0", i)))
                        .isTrue();
            }
            for (int i = 0; i < 500 && pump.written() + pump.lost() < n; i++) {
                Thread.sleep(10);
            }
            assertThat(pump.lost()).as("the disk filled up").isPositive();
            disk.refill(Long.MAX_VALUE);
            pump.offer(SampleLines.wsPriceChange(t + n, "ws-00.0", n));
            pump.close();

            List<JsonNode> records = new DataDirReader(temp.dataDir()).records(StreamName.WS_MARKET);
            java.util.Set<Long> kept = new java.util.HashSet<>();
            List<JsonNode> gaps = new java.util.ArrayList<>();
            for (JsonNode r : records) {
                if (r.has("seq")) {
                    kept.add(r.get("seq").asLong());
                } else if ("write-error".equals(r.path("reason").asText())) {
                    gaps.add(r);
                }
            }
            long reported =
                    gaps.stream().mapToLong(g -> g.get("lost_lines").asLong()).sum();
            long missing = n - kept.stream().filter(s -> s < n).count();
            assertThat(missing).as("some lines were lost to the full disk").isPositive();
            // Counted: lines refused by the full disk and lines accepted but not flushed before it failed.
            assertThat(reported)
                    .as("every missing line is counted in a write-error gap")
                    .isGreaterThanOrEqualTo(missing);
            for (long seq = 0; seq < n; seq++) {
                if (!kept.contains(seq)) {
                    long recvUs = t + seq;
                    assertThat(gaps)
                            .as("seq " + seq + " lies inside a write-error gap")
                            .anyMatch(g -> g.get("from_us").asLong() <= recvUs
                                    && recvUs <= g.get("to_us").asLong());
                }
            }
        }
    }

    @Test
    void aBackloggedQueueCallsBackOnlyOnceItHasDrained() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            CountDownLatch release = new CountDownLatch(1);
            StreamPump pump = pumpBehindStallingDisk(temp, release, 100);
            CountDownLatch drained = new CountDownLatch(1);
            pump.whenDrained(drained::countDown);
            assertThat(drained.await(5, java.util.concurrent.TimeUnit.SECONDS))
                    .as("an empty queue calls back at once")
                    .isTrue();

            long t = Clocks.nowMicros();
            // First the writer thread takes one line and stalls on the disk with it. Only then is the queue filled:
            // were it filled first, the writer thread could take the whole queue as one batch before stalling, and
            // an empty queue rightly calls back.
            assertThat(pump.offer(SampleLines.wsPriceChange(t, "ws-00.0", 0))).isTrue();
            for (int i = 0; i < 500 && pump.depth() > 0; i++) {
                Thread.sleep(10);
            }
            assertThat(pump.depth()).as("the writer thread took the first line").isZero();
            for (int i = 1; !pump.backlogged(); i++) {
                assertThat(pump.offer(SampleLines.wsPriceChange(t + i, "ws-00.0", i)))
                        .as("room until half full")
                        .isTrue();
            }
            assertThat(pump.depth()).isEqualTo(50);
            CountDownLatch later = new CountDownLatch(1);
            pump.whenDrained(later::countDown);
            assertThat(later.await(300, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .as("not while backlogged")
                    .isFalse();
            release.countDown();
            assertThat(later.await(10, java.util.concurrent.TimeUnit.SECONDS))
                    .as("once the disk took the lines")
                    .isTrue();
            assertThat(pump.backlogged()).isFalse();
            pump.close();
            assertThat(pump.lost()).isZero();
        }
    }

    /** A queue whose next offer, once armed, waits inside {@code offer} (after the pump's running check) until released. */
    private static final class HeldQueue
            extends java.util.concurrent.ArrayBlockingQueue<io.orderbooks.shared.records.Line> {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();

        HeldQueue(int capacity) {
            super(capacity);
        }

        void holdNextOffer() {
            armed.set(true);
        }

        @Override
        public boolean offer(io.orderbooks.shared.records.Line line) {
            if (armed.compareAndSet(true, false)) {
                reached.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.offer(line);
        }
    }

    /**
     * The shutdown race: an offer that passed the running check while close() runs used to land in the queue after
     * the writer thread had left (never written, never counted), and lines refused once the pump stopped were
     * counted in lost() but their gap record never written. Both are now in the file.
     */
    @Test
    void anOfferRacingCloseIsWrittenAndLinesRefusedAtCloseAreAGapRecord() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            InstanceId id = InstanceId.of("t");
            RotatingJsonlWriter writer = RotatingJsonlWriter.open(
                    temp.dataDir(),
                    WriterConfig.defaults(StreamName.WS_MARKET, id),
                    new WriterInfo("collector-svc", "t", id, "r"),
                    Clock.systemUTC());
            HeldQueue queue = new HeldQueue(1000);
            StreamPump pump = new StreamPump(writer, "ws", queue);
            long t = Clocks.nowMicros();
            java.util.Set<Long> accepted = new java.util.TreeSet<>();
            long seq = 0;
            for (; seq < 10; seq++) {
                assertThat(pump.offer(SampleLines.wsPriceChange(t + seq, "ws-00.0", seq)))
                        .isTrue();
                accepted.add(seq);
            }
            Thread.sleep(300); // the writer thread has written them and waits on the empty queue

            queue.holdNextOffer();
            long held = seq++;
            Thread racer = new Thread(() -> pump.offer(SampleLines.wsPriceChange(t + held, "ws-00.0", held)));
            racer.start();
            assertThat(queue.reached.await(5, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            accepted.add(held); // offer() returns true for it: it must be written

            java.util.concurrent.CompletableFuture<Void> closing =
                    java.util.concurrent.CompletableFuture.runAsync(() -> {
                        try {
                            pump.close();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            long refused = 0;
            for (long deadline = System.nanoTime() + 5_000_000_000L;
                    refused == 0 && System.nanoTime() < deadline;
                    seq++) {
                if (pump.offer(SampleLines.wsPriceChange(t + seq, "ws-00.0", seq))) {
                    accepted.add(seq);
                } else {
                    refused++;
                }
                Thread.sleep(1);
            }
            assertThat(refused).as("the stopping pump refused a line").isEqualTo(1);
            try {
                closing.get(1, java.util.concurrent.TimeUnit.SECONDS); // without the fix close() is done by now
            } catch (java.util.concurrent.TimeoutException expected) {
                // close() waits for the held offer
            }
            queue.release.countDown();
            racer.join(5_000);
            closing.get(30, java.util.concurrent.TimeUnit.SECONDS);

            List<JsonNode> records = new DataDirReader(temp.dataDir()).records(StreamName.WS_MARKET);
            java.util.Set<Long> written = new java.util.TreeSet<>();
            records.stream()
                    .filter(r -> r.has("seq"))
                    .forEach(r -> written.add(r.get("seq").asLong()));
            assertThat(written)
                    .as("every line offer() accepted is in the file, the racing one included")
                    .isEqualTo(accepted);
            List<JsonNode> gaps = records.stream()
                    .filter(r -> "gap".equals(r.path("event").asText()))
                    .toList();
            assertThat(gaps)
                    .as("the line refused at close is a gap record")
                    .singleElement()
                    .satisfies(g -> {
                        assertThat(g.get("reason").asText()).isEqualTo("queue-full");
                        assertThat(g.get("lost_lines").asLong()).isEqualTo(1);
                    });
            assertThat(pump.lost()).isEqualTo(1);
            assertThat(pump.written()).isEqualTo(accepted.size());
            assertThat(pump.unrecorded()).isZero();
            // After close() nothing reaches the file any more: still counted, as unrecorded.
            assertThat(pump.offer(SampleLines.wsPriceChange(t + seq, "ws-00.0", seq)))
                    .isFalse();
            assertThat(pump.lost()).isEqualTo(2);
            assertThat(pump.unrecorded()).isEqualTo(1);
        }
    }
}
