package io.orderbooks.shared.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.testing.MutableClock;
import io.orderbooks.shared.testing.SampleLines;
import io.orderbooks.shared.testing.TempDataDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LastWrittenTest {
    private static final InstanceId VPS1 = InstanceId.of("vps1");
    private static final InstanceId VPS2 = InstanceId.of("vps2");
    private final TempDataDir temp = TempDataDir.create();
    private final DataDir dir = temp.dataDir();
    private final MutableClock clock = MutableClock.at("2026-11-24T23:30:00Z");

    @AfterEach
    void cleanUp() {
        temp.close();
    }

    private void write(InstanceId instance, long... recvUs) throws Exception {
        WriterInfo info = new WriterInfo("collector-svc", "test", instance, "run-" + instance.value(), Map.of());
        try (RotatingJsonlWriter w =
                RotatingJsonlWriter.open(dir, WriterConfig.defaults(StreamName.WS_MARKET, instance), info, clock)) {
            for (int i = 0; i < recvUs.length; i++) {
                w.append(SampleLines.wsPriceChange(recvUs[i], "ws-00.0", i));
            }
        }
    }

    @Test
    void theNewestRecordOfTheInstanceAcrossDaysAndHours() throws Exception {
        long t = clock.micros();
        long nextDay = t + 3_600_000_000L; // 00:30 on the next day: a newer dt= partition
        write(VPS1, t - 7_200_000_000L, t, t + 5);
        write(VPS1, nextDay, nextDay + 42);
        write(VPS2, nextDay + 3_600_000_000L); // another instance, later still: not ours

        assertThat(LastWritten.recvUs(dir, StreamName.WS_MARKET, VPS1)).hasValue(nextDay + 42);
        assertThat(LastWritten.recvUs(dir, StreamName.WS_MARKET, VPS2)).hasValue(nextDay + 3_600_000_000L);
        assertThat(LastWritten.recvUs(dir, StreamName.REST_BOOKS, VPS1)).isEmpty();
        assertThat(LastWritten.recvUs(dir, StreamName.WS_MARKET, InstanceId.of("fresh")))
                .isEmpty();
    }

    @Test
    void aDamagedManifestIsSkippedAndAnOlderHourStillAnswers() throws Exception {
        long t = clock.micros();
        write(VPS1, t);
        write(VPS1, t + 3_600_000_000L);
        List<Path> manifests;
        try (var s = Files.walk(dir.streamDir(StreamName.WS_MARKET))) {
            manifests = s.filter(p -> p.toString().endsWith(RawFile.MANIFEST_SUFFIX))
                    .sorted()
                    .toList();
        }
        assertThat(manifests).hasSize(2);
        Files.writeString(manifests.get(1), "{\"schema\":", StandardCharsets.UTF_8);

        OptionalLong last = LastWritten.recvUs(dir, StreamName.WS_MARKET, VPS1);
        assertThat(last).hasValue(t);
    }
}
