package io.orderbooks.shared.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.GzipTools;
import io.orderbooks.shared.testing.MutableClock;
import io.orderbooks.shared.testing.SampleLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same disk-full path as the injected fault, on a real file system that runs out of space: a 512 KiB tmpfs.
 * Mounting needs root (CI runs as root); elsewhere the test is skipped and {@code FaultySink} covers the path.
 */
class RealDiskFullTest {
    private Path mount;

    @BeforeEach
    void mountTinyTmpfs() throws Exception {
        assumeTrue("Linux".equals(System.getProperty("os.name")), "tmpfs needs Linux");
        mount = Files.createTempDirectory("orderbooks-full-");
        GzipTools.Result r = GzipTools.run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mount.toString());
        assumeTrue(r.exit() == 0, "cannot mount a tmpfs here (not root?): " + r.stderr());
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            // Busy means a file of the closed writer was still in use (a flush or fsync tick outliving close()).
            GzipTools.Result r = GzipTools.run("umount", mount.toString());
            assertThat(r.exit())
                    .as("umount after the writer closed: %s", r.stderr())
                    .isZero();
            Files.deleteIfExists(mount);
        }
    }

    @Test
    void enospcIsReportedAndWhatWasFlushedSurvivesOnceRoomReturns() throws Exception {
        DataDir dir = DataDir.of(mount);
        Path filler = mount.resolve("filler");
        Files.write(filler, new byte[320 * 1024]);
        InstanceId vps = InstanceId.of("vps1");
        MutableClock clock = MutableClock.at("2026-11-24T11:30:00Z");
        WriterInfo info = new WriterInfo("collector-svc", "test", vps, "r");
        long t = clock.micros();
        long accepted = 0;
        WriterException failure = null;
        try (RotatingJsonlWriter w = RotatingJsonlWriter.open(
                dir,
                WriterConfig.defaults(StreamName.WS_MARKET, vps).withFlushInterval(Duration.ofMinutes(5)),
                info,
                clock)) {
            // Random-ish sizes keep gzip from compressing the test data away to nothing.
            for (int i = 0; i < 2_000_000 && failure == null; i++) {
                try {
                    w.append(SampleLines.wsPriceChange(t + i, "ws-0.0", i * 7919L % 1_000_003));
                    accepted++;
                    if (i % 200 == 199) {
                        w.flush();
                        if (w.stats().writeErrors() > 0) {
                            break;
                        }
                    }
                } catch (WriterException e) {
                    failure = e;
                }
            }
            assertThat(w.stats().writeErrors()).as("the full disk was noticed").isPositive();
            assertThat(w.stats().lastError()).contains("No space left on device");
            Files.delete(filler);
            w.append(SampleLines.wsPriceChange(t + 5_000_000, "ws-0.0", 1));
        }
        DataDirReader reader = new DataDirReader(dir);
        List<Path> files = reader.closedFiles(StreamName.WS_MARKET);
        assertThat(files).hasSize(2);
        FileManifest salvaged = reader.manifest(files.get(0));
        assertThat(salvaged.recovered()).isTrue();
        assertThat(salvaged.records()).isPositive().isLessThanOrEqualTo(accepted);
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
        System.out.printf(
                "disk full after %d records; %d salvaged, %d lines dropped%n",
                accepted, salvaged.records(), salvaged.recovery().droppedLines());
    }
}
