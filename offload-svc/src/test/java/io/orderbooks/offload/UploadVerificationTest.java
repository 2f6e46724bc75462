package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.offload.rclone.JobStatus;
import io.orderbooks.offload.rclone.RcloneClient;
import io.orderbooks.offload.rclone.RemoteObject;
import io.orderbooks.offload.testing.OffloadFixture;
import io.orderbooks.offload.testing.RcloneRcdResource;
import io.orderbooks.offload.testing.SampleData;
import io.orderbooks.offload.testing.TreeHash;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.records.Json;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Uploads through the real rclone rcd to a local-disk remote, and what verification makes of the remote's answers. */
@QuarkusTest
@WithTestResource(RcloneRcdResource.class)
class UploadVerificationTest {
    @Inject
    RcloneClient rclone;

    OffloadFixture fx;
    final Instant lastHour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);

    @BeforeEach
    void setUp() {
        fx = new OffloadFixture(rclone);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void uploadsAndVerifiesManyFilesOldestFirstThenHasNothingLeft() throws Exception {
        List<Path> files = new ArrayList<>();
        files.addAll(SampleData.hourlyFiles(fx.dir, StreamName.WS_MARKET, lastHour, 12, 200));
        files.addAll(SampleData.hourlyFiles(fx.dir, StreamName.REST_BOOKS, lastHour, 12, 50));
        files.add(SampleData.closedFile(fx.dir, StreamName.WS_MARKET, lastHour, 10)); // seq 0002 of the last hour

        RunReport first = fx.run(s -> s.withTransfers(3));

        assertThat(first.pendingAtStart()).isEqualTo(25);
        assertThat(first.verified()).isEqualTo(25);
        assertThat(first.failed() + first.mismatch() + first.unverified()).isZero();
        assertThat(first.backlogFiles()).isZero();
        // The remote mirrors raw/: every data file and manifest, byte for byte.
        Map<String, String> local = TreeHash.of(fx.dir.raw(), rel -> !rel.contains(".lock-"));
        Map<String, String> remote = TreeHash.of(fx.remoteDir.resolve("raw"));
        assertThat(remote).isEqualTo(local).hasSize(50);

        List<JsonNode> lines = ledgerLines();
        assertThat(lines)
                .hasSize(50)
                .allSatisfy(l -> assertThat(l.get("result").asText()).isEqualTo("verified"));
        JsonNode data = lines.stream()
                .filter(l -> l.get("kind").asText().equals("data"))
                .findFirst()
                .orElseThrow();
        Path firstFile = fx.dir.root().resolve(data.get("file").asText());
        Checksums.Digests d = Checksums.of(firstFile);
        assertThat(data.get("bytes").asLong()).isEqualTo(d.bytes());
        assertThat(data.get("sha256").asText()).isEqualTo(d.sha256());
        assertThat(data.get("md5").asText()).isEqualTo(d.md5());
        assertThat(data.get("remote_md5").asText()).isEqualTo(d.md5());
        assertThat(data.get("remote_bytes").asLong()).isEqualTo(d.bytes());
        assertThat(data.get("remote").asText())
                .isEqualTo("testdisk:" + fx.remoteDir + "/" + data.get("file").asText());
        // Oldest first: the first file finished is one of the first three taken (3 transfers): the 11 h old ws_market
        // and rest_books files, or the 10 h old rest_books file (streams sort by name within an hour).
        assertThat(data.get("file").asText())
                .containsAnyOf(
                        fmtHour(lastHour.minus(11, ChronoUnit.HOURS)),
                        "rest_books-" + fmtHour(lastHour.minus(10, ChronoUnit.HOURS)));

        // The daily upload manifest lists every attempt and is itself uploaded; its name and content carry the
        // instance, so instances sharing a remote folder keep theirs apart (docs/SCALING.md).
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path daily = fx.dir.uploadManifest(today, OffloadFixture.INSTANCE);
        JsonNode manifest = Json.parse(Files.readAllBytes(daily));
        assertThat(manifest.get("schema").asText()).isEqualTo("orderbooks.upload-manifest/1");
        assertThat(manifest.get("instance").asText()).isEqualTo("vps1");
        assertThat(manifest.get("files")).hasSize(50);
        assertThat(manifest.path("results").path("upload:verified").asLong()).isEqualTo(50);
        assertThat(fx.remote("offload/manifests/upload-" + today + "-vps1.json"))
                .hasSameBinaryContentAs(daily);

        RunReport second = fx.run();
        assertThat(second.pendingAtStart()).isZero();
        assertThat(second.uploaded()).isZero();
        assertThat(ledgerLines()).hasSize(50);
        assertThat(fx.registry
                        .get("offload.files")
                        .tag("result", "verified")
                        .counter()
                        .count())
                .isEqualTo(25);
        assertThat(fx.registry.get("offload.pending").gauge().value()).isZero();
    }

    @Test
    void aRemoteCopyCorruptedAfterUploadIsDetectedReuploadedAndTheLocalCopySurvives() throws Exception {
        Path file = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, lastHour.minus(10, ChronoUnit.DAYS), 300);
        String rel = fx.dir.relative(file);
        assertThat(fx.run(s -> s.withKeepDays(30)).verified()).isEqualTo(1);

        // Bit rot (or a tampered object) on the remote, same size.
        Path remoteCopy = fx.remote(rel);
        byte[] bytes = Files.readAllBytes(remoteCopy);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(remoteCopy, bytes);

        // Retention wants to delete the 10-day-old file, but its fresh remote check finds other bytes.
        RunReport recheck = fx.run();
        assertThat(recheck.deleted()).isZero();
        assertThat(recheck.recheckFailed()).isEqualTo(1);
        assertThat(file).exists();
        assertThat(fx.dir.manifestPath(io.orderbooks.shared.layout.RawFile.parse(file)))
                .exists();
        JsonNode last = ledgerLines().getLast();
        assertThat(last.get("action").asText()).isEqualTo("recheck");
        assertThat(last.get("result").asText()).isEqualTo("mismatch");
        assertThat(last.get("remote_md5").asText()).isEqualTo(Checksums.md5Hex(bytes));

        // The recheck line withdrew "verified": the next run uploads again, verifies, and only then retention deletes.
        RunReport again = fx.run(s -> s.withKeepDays(30));
        assertThat(again.pendingAtStart()).isEqualTo(1);
        assertThat(again.verified()).isEqualTo(1);
        assertThat(remoteCopy).hasSameBinaryContentAs(file);
        assertThat(file).exists();
    }

    @Test
    void aFileWhoseBytesNoLongerMatchItsManifestIsQuarantinedAndNeverUploaded() throws Exception {
        Path good = SampleData.closedFile(fx.dir, StreamName.REST_BOOKS, lastHour.minus(1, ChronoUnit.HOURS), 40);
        Path bad = SampleData.closedFile(fx.dir, StreamName.REST_BOOKS, lastHour, 40);
        String badRel = fx.dir.relative(bad);
        byte[] bytes = Files.readAllBytes(bad);
        bytes[20] ^= 0x01;
        Files.write(bad, bytes);

        RunReport report = fx.run();

        assertThat(report.quarantined()).isEqualTo(1);
        assertThat(report.verified()).isEqualTo(1);
        assertThat(bad).doesNotExist();
        Path quarantined = fx.dir.quarantinePathFor(bad);
        assertThat(quarantined).hasBinaryContent(bytes);
        assertThat(quarantined.resolveSibling(quarantined.getFileName() + ".manifest.json"))
                .exists();
        JsonNode note =
                Json.parse(Files.readAllBytes(quarantined.resolveSibling(quarantined.getFileName() + ".note.json")));
        assertThat(note.get("original").asText()).isEqualTo(badRel);
        assertThat(note.get("reason").asText()).contains("no longer match the manifest");
        assertThat(fx.remote(badRel)).doesNotExist();
        assertThat(fx.remote(fx.dir.relative(good))).hasSameBinaryContentAs(good);
        assertThat(ledgerLines())
                .filteredOn(l -> l.get("file").asText().equals(badRel))
                .singleElement()
                .satisfies(l -> assertThat(l.get("result").asText()).isEqualTo("quarantined"));
        assertThat(fx.registry
                        .get("offload.files")
                        .tag("result", "quarantined")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void anObjectMissingAfterASuccessfulCopyIsMissingInTheLedgerAsInARetentionRecheck() throws Exception {
        // rclone copies the file, but the remote then has no such object (a remote that drops what it took).
        VanishingRemote vanishing = new VanishingRemote(rclone);
        try (OffloadFixture lossy = new OffloadFixture(vanishing)) {
            Path file = SampleData.closedFile(lossy.dir, StreamName.WS_MARKET, lastHour, 20);
            String rel = lossy.dir.relative(file);
            vanishing.gone.add(rel);

            RunReport run = lossy.run();

            assertThat(run.verified()).isZero();
            assertThat(run.failed())
                    .as("not uploaded: counted as a failed file, retried next run")
                    .isEqualTo(1);
            assertThat(file).exists();
            JsonNode line =
                    Json.parse(Files.readAllLines(lossy.dir.ledger()).getFirst().getBytes());
            assertThat(line.get("action").asText()).isEqualTo("upload");
            assertThat(line.get("file").asText()).isEqualTo(rel);
            // The same outcome as retention's recheck of a vanished copy (RetentionAndDryRunTest): "missing".
            assertThat(line.get("result").asText()).isEqualTo("missing");
            assertThat(line.get("error").asText()).contains("missing on the remote after a successful copy");
            assertThat(lossy.registry
                            .get("offload.files")
                            .tag("result", "missing")
                            .counter()
                            .count())
                    .isEqualTo(1);
        }
    }

    /** The real rclone, except that a stat of a path in {@link #gone} finds nothing. */
    private static final class VanishingRemote extends RcloneClient {
        final Set<String> gone = ConcurrentHashMap.newKeySet();
        private final RcloneClient real;

        VanishingRemote(RcloneClient real) {
            this.real = real;
        }

        @Override
        public String version() {
            return real.version();
        }

        @Override
        public String bandwidthLimit(String rate) {
            return real.bandwidthLimit(rate);
        }

        @Override
        public long startCopy(String srcFs, String srcRemote, String dstFs, String dstRemote) {
            return real.startCopy(srcFs, srcRemote, dstFs, dstRemote);
        }

        @Override
        public JobStatus jobStatus(long jobId) {
            return real.jobStatus(jobId);
        }

        @Override
        public void stopJob(long jobId) {
            real.stopJob(jobId);
        }

        @Override
        public Optional<RemoteObject> stat(String fs, String remote) {
            return gone.contains(remote) ? Optional.empty() : real.stat(fs, remote);
        }

        @Override
        public int listTopDirs(String fs) {
            return real.listTopDirs(fs);
        }
    }

    private List<JsonNode> ledgerLines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(fx.dir.ledger())) {
            out.add(Json.parse(line.getBytes()));
        }
        return out;
    }

    private static String fmtHour(Instant hour) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HH'Z'")
                .withZone(ZoneOffset.UTC)
                .format(hour);
    }
}
