package io.orderbooks.shared.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.GzipTools;
import io.orderbooks.shared.testing.TempDataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AtomicFilesTest {
    private final TempDataDir temp = TempDataDir.create();

    @AfterEach
    void cleanUp() {
        temp.close();
    }

    @Test
    void readersSeeTheOldOrTheNewContentNeverAMixAndNoTempIsLeft() throws Exception {
        Path target = temp.root().resolve("discovery/tokens.json");
        AtomicFiles.replace(target, ("{\"v\":0,\"pad\":\"" + "x".repeat(100_000) + "\"}").getBytes());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger torn = new AtomicInteger();
        Thread readerThread = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Json.parse(Files.readAllBytes(target));
                    reads.incrementAndGet();
                } catch (Exception e) {
                    torn.incrementAndGet();
                }
            }
        });
        readerThread.start();
        for (int v = 1; v <= 200; v++) {
            AtomicFiles.replace(target, ("{\"v\":" + v + ",\"pad\":\"" + "y".repeat(100_000 + v) + "\"}").getBytes());
        }
        stop.set(true);
        readerThread.join();
        assertThat(torn.get()).isZero();
        assertThat(reads.get()).isPositive();
        assertThat(Json.parse(Files.readAllBytes(target)).get("v").asInt()).isEqualTo(200);
        try (var files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("tokens.json");
        }
        assertThat(Files.getPosixFilePermissions(target))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void checksumsMatchTheStandardTools() throws Exception {
        Path f = temp.root().resolve("a.bin");
        Files.write(f, "hello orderbooks\n".getBytes());
        Checksums.Digests d = Checksums.of(f);
        assertThat(d.bytes()).isEqualTo(17);
        assertThat(GzipTools.run("sha256sum", f.toString()).stdout()).startsWith(d.sha256());
        assertThat(GzipTools.run("md5sum", f.toString()).stdout()).startsWith(d.md5());
    }
}
