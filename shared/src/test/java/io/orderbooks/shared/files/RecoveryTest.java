package io.orderbooks.shared.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.QuarantineNote;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.GzipTools;
import io.orderbooks.shared.testing.MutableClock;
import io.orderbooks.shared.testing.SampleLines;
import io.orderbooks.shared.testing.TempDataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecoveryTest {
    private static final InstanceId VPS1 = InstanceId.of("vps1");
    private static final List<StreamName> WS = List.of(StreamName.WS_MARKET);
    private final TempDataDir temp = TempDataDir.create();
    private final DataDir dir = temp.dataDir();
    private final DataDirReader reader = new DataDirReader(dir);
    private final MutableClock clock = MutableClock.at("2026-11-24T11:30:00Z");
    private final WriterInfo info = new WriterInfo("collector-svc", "test", VPS1, "run-2");

    @AfterEach
    void cleanUp() {
        temp.close();
    }

    /** Writes {@code n} records into a closed file and returns it. */
    private Path closedFile(int n) throws IOException {
        try (RotatingJsonlWriter w =
                RotatingJsonlWriter.open(dir, WriterConfig.defaults(StreamName.WS_MARKET, VPS1), info, clock)) {
            for (int i = 0; i < n; i++) {
                w.append(SampleLines.wsPriceChange(clock.micros() + i, "ws-0.0", i));
            }
        }
        return reader.closedFiles(StreamName.WS_MARKET).getLast();
    }

    /** Turns a closed file back into the {@code .open} file a crash would leave, cut to {@code keep} bytes. */
    private Path crashedOpenFile(Path closed, long keep) throws IOException {
        RawFile id = RawFile.parse(closed);
        Path open = dir.openPath(id);
        byte[] bytes = Files.readAllBytes(closed);
        Files.write(open, java.util.Arrays.copyOf(bytes, (int) Math.min(keep, bytes.length)));
        Files.delete(closed);
        Files.delete(dir.manifestPath(id));
        return open;
    }

    private Recovery.Report recover() throws IOException {
        return Recovery.run(dir, VPS1, WS, info, clock);
    }

    private Map<String, String> treeDigest() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir.root())) {
            for (Path p : walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".lock"))
                    .toList()) {
                out.put(dir.relative(p), Checksums.of(p).sha256());
            }
        }
        return out;
    }

    @Test
    void aTruncatedGzipKeepsEveryCompleteLineAndQuarantinesTheOriginal() throws Exception {
        Path closed = closedFile(5000);
        long size = Files.size(closed);
        Path open = crashedOpenFile(closed, size * 2 / 3);

        Recovery.Report report = recover();

        assertThat(report.actions())
                .singleElement()
                .satisfies(a -> assertThat(a.action()).isEqualTo("salvaged"));
        assertThat(Files.exists(open)).isFalse();
        FileManifest m = reader.manifest(closed);
        assertThat(m.recovered()).isTrue();
        assertThat(m.closedReason()).isEqualTo("recovered");
        assertThat(m.records()).isBetween(1000L, 4999L);
        assertThat(m.recovery().reason()).contains("EOFException");
        assertThat(m.recovery().quarantinedAs()).isEqualTo("quarantine/" + dir.relative(open));
        Path quarantined = dir.root().resolve(m.recovery().quarantinedAs());
        assertThat(quarantined).exists();
        JsonNode note = Json.parse(Files.readAllBytes(QuarantineNote.pathFor(quarantined)));
        assertThat(note.get("replacement").asText()).isEqualTo(dir.relative(closed));
        assertThat(note.get("status").asText()).startsWith("invalid");

        List<JsonNode> records = DataDirReader.records(closed);
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).get("seq").asLong()).isEqualTo(i);
        }
        assertThat(GzipTools.gzipTest(closed).exit()).isZero();
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
    }

    @Test
    void everyCutPointGivesAValidPrefixAndCountsTheTornTail() throws Exception {
        Path closed = closedFile(300);
        byte[] whole = Files.readAllBytes(closed);
        List<String> original = DataDirReader.lines(closed);
        Files.delete(closed);
        Files.delete(dir.manifestPath(RawFile.parse(closed)));
        for (int cut = 5; cut < whole.length; cut += Math.max(1, whole.length / 40)) {
            Path open = dir.openPath(RawFile.parse(closed));
            Files.write(open, java.util.Arrays.copyOf(whole, cut));
            recover();
            if (Files.exists(closed)) {
                List<String> kept = DataDirReader.lines(closed);
                assertThat(original.subList(0, kept.size()))
                        .as("cut at %d", cut)
                        .isEqualTo(kept);
                Files.delete(closed);
                Files.delete(dir.manifestPath(RawFile.parse(closed)));
            }
            assertThat(open).doesNotExist();
        }
    }

    @Test
    void anEmptyOrGarbageOpenFileIsQuarantinedWithoutMakingAnEmptyDataFile() throws Exception {
        RawFile a = new RawFile(StreamName.WS_MARKET, java.time.Instant.parse("2026-11-24T10:00:00Z"), VPS1, 1);
        RawFile b = new RawFile(StreamName.WS_MARKET, java.time.Instant.parse("2026-11-24T10:00:00Z"), VPS1, 2);
        DataDir.ensureDir(dir.dirOf(a));
        Files.write(dir.openPath(a), new byte[0]);
        Files.write(dir.openPath(b), "this is not gzip at all\n".getBytes());

        Recovery.Report report = recover();

        assertThat(report.actions()).extracting(Recovery.Action::action).containsOnly("quarantined-empty");
        assertThat(reader.closedFiles(StreamName.WS_MARKET)).isEmpty();
        assertThat(dir.quarantinePathFor(dir.openPath(a))).exists();
        assertThat(dir.quarantinePathFor(dir.openPath(b))).exists();
    }

    @Test
    void aMissingManifestIsRebuiltFromAnIntactFile() throws Exception {
        Path closed = closedFile(50);
        Path manifest = dir.manifestPath(RawFile.parse(closed));
        FileManifest before = reader.manifest(closed);
        Files.delete(manifest);

        assertThat(recover().actions()).extracting(Recovery.Action::action).containsExactly("manifest-repaired");

        FileManifest after = reader.manifest(closed);
        assertThat(after.sha256()).isEqualTo(before.sha256());
        assertThat(after.records()).isEqualTo(before.records());
        assertThat(after.counts()).isEqualTo(before.counts());
        assertThat(after.firstRecvUs()).isEqualTo(before.firstRecvUs());
        assertThat(after.recovered()).isTrue();
        assertThat(after.recovery().droppedLines()).isZero();
        assertThat(after.closedReason()).isEqualTo("manifest-repaired");
    }

    @Test
    void aDamagedClosedFileWithoutManifestIsSalvagedAndItsOriginalKept() throws Exception {
        Path closed = closedFile(2000);
        Files.delete(dir.manifestPath(RawFile.parse(closed)));
        byte[] bytes = Files.readAllBytes(closed);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        Files.write(closed, cut);

        assertThat(recover().actions()).extracting(Recovery.Action::action).containsExactly("salvaged");

        FileManifest m = reader.manifest(closed);
        assertThat(m.recovered()).isTrue();
        assertThat(Files.readAllBytes(dir.root().resolve(m.recovery().quarantinedAs())))
                .isEqualTo(cut);
        assertThat(GzipTools.gzipTest(closed).exit()).isZero();
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
    }

    @Test
    void runningTwiceChangesNothing() throws Exception {
        Path closed = closedFile(1000);
        Path other = closedFile(10); // (opening a writer recovers, so crash the files only after writing both)
        crashedOpenFile(closed, Files.size(closed) / 2);
        Files.delete(dir.manifestPath(RawFile.parse(other)));

        assertThat(recover().actions()).hasSize(2);
        Map<String, String> once = treeDigest();
        clock.advance(Duration.ofMinutes(5));
        assertThat(recover().isEmpty()).isTrue();
        assertThat(treeDigest()).isEqualTo(once);
    }

    @Test
    void aCrashAfterTheSalvageButBeforeTheQuarantineIsFinishedNextTime() throws Exception {
        Path closed = closedFile(100);
        Path open = crashedOpenFile(closed, Files.size(closed));
        recover();
        // Put the original back, as if the crash came right before the move to quarantine.
        Files.copy(dir.quarantinePathFor(open), open);
        Map<String, String> salvage = Map.of("file", Checksums.of(closed).sha256());

        assertThat(recover().actions()).extracting(Recovery.Action::action).containsExactly("quarantined-original");
        assertThat(open).doesNotExist();
        assertThat(Map.of("file", Checksums.of(closed).sha256())).isEqualTo(salvage);
    }

    @Test
    void concurrentRecoveryRunsSalvageEachFileExactlyOnce() throws Exception {
        List<Path> closedFiles = new ArrayList<>();
        for (int h = 0; h < 4; h++) {
            clock.set(java.time.Instant.parse("2026-11-24T0" + h + ":10:00Z"));
            closedFiles.add(closedFile(500));
        }
        for (Path closed : closedFiles) {
            crashedOpenFile(closed, Files.size(closed) - 7);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Recovery.Report>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit((Callable<Recovery.Report>) this::recover));
        }
        long salvaged = 0;
        for (Future<Recovery.Report> r : runs) {
            salvaged += r.get().actions().stream()
                    .filter(a -> a.action().equals("salvaged"))
                    .count();
        }
        pool.shutdown();
        assertThat(salvaged).isEqualTo(4);
        assertThat(reader.closedFiles(StreamName.WS_MARKET)).hasSize(4);
        assertThat(reader.openFiles(StreamName.WS_MARKET)).isEmpty();
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
        try (Stream<Path> q = Files.walk(dir.quarantine())) {
            assertThat(q.filter(p -> p.toString().endsWith(".open")).count()).isEqualTo(4);
        }
    }

    @Test
    void filesOfAnotherInstanceAreLeftAlone() throws Exception {
        Path closed = closedFile(100);
        Path open = crashedOpenFile(closed, Files.size(closed) / 2);
        InstanceId other = InstanceId.of("vps2");
        assertThat(Recovery.run(dir, other, WS, new WriterInfo("collector-svc", "t", other, "r"), clock)
                        .isEmpty())
                .isTrue();
        assertThat(open).exists();
    }

    @Test
    void aLiveWriterIsNeverRecoveredUnderneath() throws Exception {
        try (RotatingJsonlWriter w =
                RotatingJsonlWriter.open(dir, WriterConfig.defaults(StreamName.WS_MARKET, VPS1), info, clock)) {
            w.append(SampleLines.wsPriceChange(clock.micros(), "ws-0.0", 0));
            long start = System.nanoTime();
            Future<Recovery.Report> attempt =
                    Executors.newSingleThreadExecutor().submit(this::recover);
            Thread.sleep(300);
            assertThat(attempt.isDone())
                    .as("recovery waits for the writer's lock")
                    .isFalse();
            assertThat(reader.openFiles(StreamName.WS_MARKET)).hasSize(1);
            attempt.cancel(true);
            assertThat(System.nanoTime() - start).isPositive();
        }
    }

    @Test
    void aRecoveredManifestNamesTheRunThatWroteTheLinesAndTheRunThatRecoveredThem() throws Exception {
        // Written by run-1 (its gzip header says so), left .open by a "crash", recovered by run-2.
        WriterInfo first = new WriterInfo("collector-svc", "test", VPS1, "20261124T110000Z-vps1-0a1b");
        Path closed;
        try (RotatingJsonlWriter w =
                RotatingJsonlWriter.open(dir, WriterConfig.defaults(StreamName.WS_MARKET, VPS1), first, clock)) {
            for (int i = 0; i < 3000; i++) {
                w.append(SampleLines.wsPriceChange(clock.micros() + i, "ws-0.0", i));
            }
        }
        closed = reader.closedFiles(StreamName.WS_MARKET).getLast();
        assertThat(GzipRunHeader.runIdOf(closed))
                .as("a closed file's header names its writer run")
                .isEqualTo(first.runId());
        assertThat(GzipTools.gzipTest(closed).exit())
                .as("gzip -t accepts the header")
                .isZero();
        Path open = crashedOpenFile(closed, Files.size(closed) / 2);

        recover();

        FileManifest m = reader.manifest(closed);
        assertThat(m.writer().runId()).as("the recovering run").isEqualTo("run-2");
        assertThat(m.recovery().writerRunId())
                .as("the run that wrote the lines")
                .isEqualTo(first.runId());
        assertThat(GzipRunHeader.runIdOf(closed))
                .as("the salvaged file keeps the writer run in its header")
                .isEqualTo(first.runId());
        assertThat(FileManifest.parse(m.toJson())).isEqualTo(m);
        assertThat(open).doesNotExist();

        // A closed file whose manifest is missing: the rebuilt manifest names its writer run too.
        Files.delete(dir.manifestPath(RawFile.parse(closed)));
        recover();
        assertThat(reader.manifest(closed).closedReason()).isEqualTo("manifest-repaired");
        assertThat(reader.manifest(closed).recovery().writerRunId()).isEqualTo(first.runId());
    }

    @Test
    void anOpenFileWithoutTheRunInItsHeaderIsRecoveredWithTheWriterRunUnknown() throws Exception {
        // As the writer wrote files before the header named the run: a plain gzip header.
        RawFile id = new RawFile(StreamName.WS_MARKET, java.time.Instant.parse("2026-11-24T11:00:00Z"), VPS1, 1);
        Path open = dir.openPath(id);
        DataDir.ensureDir(open.getParent());
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(open))) {
            for (int i = 0; i < 10; i++) {
                gz.write(SampleLines.wsPriceChange(clock.micros() + i, "ws-0.0", i)
                        .bytes());
            }
        }
        assertThat(GzipRunHeader.runIdOf(open)).isNull();

        recover();

        FileManifest m = reader.manifest(dir.closedPath(id));
        assertThat(m.records()).isEqualTo(10);
        assertThat(m.recovery().writerRunId()).isNull();
        assertThat(Json.parse(m.toJson()).path("recovery").has("writer_run_id"))
                .as("written as null")
                .isTrue();
    }

    /**
     * A drained volume (docs/OFFLOAD.md "Draining a volume"): what every instance's writers left is recovered, however
     * many instances and streams the volume holds, and a second pass finds nothing.
     */
    @Test
    void everyInstanceRecoversTheFilesOfEveryStreamAndInstanceOnTheVolume() throws Exception {
        Path first = crashedOpenFile(closedFile(200), Long.MAX_VALUE);
        InstanceId vps2 = InstanceId.of("vps2");
        WriterInfo other = new WriterInfo("collector-svc", "test", vps2, "run-9");
        Path second;
        try (RotatingJsonlWriter w =
                RotatingJsonlWriter.open(dir, WriterConfig.defaults(StreamName.REST_BOOKS, vps2), other, clock)) {
            w.append(SampleLines.wsPriceChange(clock.micros(), "ws-0.0", 0));
        }
        second = reader.closedFiles(StreamName.REST_BOOKS).getLast();
        Files.delete(dir.manifestPath(RawFile.parse(second)));
        WriterInfo drain = new WriterInfo("offload-svc", "test", InstanceId.of("drain"), "run-d");

        Recovery.Report report = Recovery.everyInstance(dir, drain, clock, Duration.ofSeconds(1));

        assertThat(report.actions())
                .extracting(Recovery.Action::action)
                .containsExactlyInAnyOrder("salvaged", "manifest-repaired");
        assertThat(Files.exists(first)).isFalse();
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
        assertThat(reader.verify(StreamName.REST_BOOKS)).isEmpty();
        assertThat(Recovery.everyInstance(dir, drain, clock, Duration.ofSeconds(1))
                        .isEmpty())
                .isTrue();
    }

    /** A writer still running on the volume holds its stream's lock: recovery refuses, naming it, and changes nothing. */
    @Test
    void everyInstanceRefusesAStreamAWriterStillHolds() throws Exception {
        crashedOpenFile(closedFile(50), Long.MAX_VALUE);
        Map<String, String> before = treeDigest();
        WriterInfo drain = new WriterInfo("offload-svc", "test", InstanceId.of("drain"), "run-d");
        try (RotatingJsonlWriter live =
                RotatingJsonlWriter.open(dir, WriterConfig.defaults(StreamName.REST_BOOKS, VPS1), info, clock)) {
            assertThat(live).isNotNull();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> Recovery.everyInstance(dir, drain, clock, Duration.ofMillis(200)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("rest_books")
                    .hasMessageContaining("vps1");
        }
        assertThat(treeDigest()).containsAllEntriesOf(before);
    }
}
