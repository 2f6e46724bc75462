package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.FileSink;
import io.orderbooks.shared.Gap;
import io.orderbooks.shared.InstanceId;
import io.orderbooks.shared.RotatingJsonlWriter;
import io.orderbooks.shared.StreamName;
import io.orderbooks.shared.WriterConfig;
import io.orderbooks.shared.WriterInfo;
import io.orderbooks.shared.testing.DataDirReader;
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
    static StreamPump pumpBehindStallingDisk(TempDataDir temp, CountDownLatch release, int capacity) throws IOException {
        InstanceId id = InstanceId.of("t");
        RotatingJsonlWriter writer = RotatingJsonlWriter.open(temp.dataDir(),
                WriterConfig.defaults(StreamName.WS_MARKET, id).withOpener(stallingDisk(release)),
                new WriterInfo("collector-svc", "t", id, "r"), Clock.systemUTC());
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
            List<JsonNode> gaps = records.stream().filter(r -> "gap".equals(r.path("event").asText())).toList();
            assertThat(gaps).hasSize(1);
            assertThat(gaps.get(0).get("reason").asText()).isEqualTo("queue-full");
            assertThat(gaps.get(0).get("lost_lines").asLong()).isEqualTo(refused);
            assertThat(records).hasSize(accepted + 1);
            List<Gap> manifestGaps = reader.manifest(reader.closedFiles(StreamName.WS_MARKET).get(0)).gaps();
            assertThat(manifestGaps).singleElement().satisfies(g -> {
                assertThat(g.reason()).isEqualTo("queue-full");
                assertThat(g.fromUs()).isGreaterThanOrEqualTo(t);
                assertThat(g.toUs()).isLessThan(t + 5_000);
            });
        }
    }

    @Test
    void aBackloggedQueueCallsBackOnlyOnceItHasDrained() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            CountDownLatch release = new CountDownLatch(1);
            StreamPump pump = pumpBehindStallingDisk(temp, release, 100);
            CountDownLatch drained = new CountDownLatch(1);
            pump.whenDrained(drained::countDown);
            assertThat(drained.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("an empty queue calls back at once").isTrue();

            long t = Clocks.nowMicros();
            for (int i = 0; !pump.backlogged(); i++) {
                assertThat(pump.offer(SampleLines.wsPriceChange(t + i, "ws-00.0", i))).as("room until half full").isTrue();
            }
            assertThat(pump.depth()).isBetween(50, 51); // one line may sit in the stalled writer
            CountDownLatch later = new CountDownLatch(1);
            pump.whenDrained(later::countDown);
            assertThat(later.await(300, java.util.concurrent.TimeUnit.MILLISECONDS)).as("not while backlogged").isFalse();
            release.countDown();
            assertThat(later.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("once the disk took the lines").isTrue();
            assertThat(pump.backlogged()).isFalse();
            pump.close();
            assertThat(pump.lost()).isZero();
        }
    }
}
