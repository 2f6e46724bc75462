package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.offload.rclone.RcloneClient;
import io.orderbooks.offload.testing.OffloadFixture;
import io.orderbooks.offload.testing.RcloneRcdResource;
import io.orderbooks.offload.testing.SampleData;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.records.Json;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention that knows the disk, quarantine pruning and the remote probe (issue 13), against the real rclone rcd and
 * a local-disk remote. A nearly full disk is simulated honestly by setting {@code retention-min-free} above the real
 * free space of the test's file system (and below it for the "enough room" case): the service measures the real free
 * space every time, and only the threshold is moved.
 */
@QuarkusTest
@WithTestResource(RcloneRcdResource.class)
class DiskAwareRetentionTest {
    @Inject
    RcloneClient rclone;

    OffloadFixture fx;
    final Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);

    @BeforeEach
    void setUp() {
        fx = new OffloadFixture(rclone);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aLowDiskDeletesVerifiedFilesOldestFirstBeforeTheirTimeAndNeverAnUnverifiedOne() throws Exception {
        Path oldest = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(50, ChronoUnit.HOURS), 40);
        Path middle = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(30, ChronoUnit.HOURS), 40);
        Path newest = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(2, ChronoUnit.HOURS), 40);
        assertThat(fx.run(s -> s.withKeepDays(7)).verified()).isEqualTo(3);

        // A file whose upload fails: the remote has a regular file where its folder must go, so rclone cannot
        // create the folder (a real failure of the copy, not a mock). It stays unverified.
        Path unverified = SampleData.closedFile(fx.dir, StreamName.REST_BOOKS, now.minus(60, ChronoUnit.HOURS), 40);
        Path blocker = fx.remote("raw/" + StreamName.REST_BOOKS.value());
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "not a folder");

        // Enough room (threshold 1 byte, below the real free space): nothing younger than keep-days goes.
        RunReport roomy = fx.run(s -> s.withKeepDays(7).withRetentionMinFreeBytes(1));
        assertThat(roomy.deleted()).isZero();
        assertThat(List.of(oldest, middle, newest, unverified))
                .allSatisfy(p -> assertThat(p).exists());
        assertThat(fx.ledger().isVerified(local(unverified), md5Manifest(unverified)))
                .isFalse();

        // Nearly full (threshold above the real free space): every verified file goes, oldest first, each re-checked
        // remotely first; the unverified one stays, although it is the oldest of all.
        RunReport low = fx.run(s -> s.withKeepDays(7).withRetentionMinFreeBytes(Long.MAX_VALUE));
        assertThat(low.deleted()).isEqualTo(3);
        assertThat(low.deletedEarly()).isEqualTo(3);
        assertThat(List.of(oldest, middle, newest))
                .allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(List.of(oldest, middle, newest))
                .allSatisfy(p -> assertThat(fx.remote(fx.dir.relative(p))).exists());
        assertThat(unverified).exists();
        assertThat(fx.dir.manifestPath(RawFile.parse(unverified))).exists();

        List<JsonNode> deletes = ledgerLines().stream()
                .filter(l -> l.get("action").asText().equals("delete"))
                .toList();
        assertThat(deletes)
                .extracting(l -> l.get("file").asText())
                .containsExactly(fx.dir.relative(oldest), fx.dir.relative(middle), fx.dir.relative(newest));
        assertThat(deletes).allSatisfy(l -> assertThat(l.get("reason").asText()).isEqualTo("disk-low"));
        assertThat(low.statusLine()).contains(" deleted=3 deleted_disk_low=3 ", " disk_free=", "GiB", " disk_full_in=");
    }

    @Test
    void keepDaysDeletionsSayWhyInTheLedger() throws Exception {
        Path old = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(10, ChronoUnit.DAYS), 20);
        fx.run(s -> s.withKeepDays(30));
        assertThat(fx.run(s -> s.withKeepDays(7)).deletedEarly()).isZero();
        assertThat(old).doesNotExist();
        JsonNode delete = ledgerLines().stream()
                .filter(l -> l.get("action").asText().equals("delete"))
                .findFirst()
                .orElseThrow();
        assertThat(delete.get("reason").asText()).isEqualTo("keep-days");
    }

    @Test
    void quarantineIsPrunedByAgeOnlyOnceTheRecoveredFileIsVerifiedUpstream() throws Exception {
        Path recovered = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(3, ChronoUnit.HOURS), 30);
        Path notUploaded = fx.dir.root().resolve("raw/ws_market/2020-01-01/ws_market-20200101T00Z-vps1-0001.jsonl.gz");
        Path oldDone = quarantined("a.jsonl.gz.open", 10, fx.dir.relative(recovered));
        Path oldPending = quarantined("b.jsonl.gz.open", 10, fx.dir.relative(notUploaded));
        Path youngDone = quarantined("c.jsonl.gz.open", 1, fx.dir.relative(recovered));
        Path noReplacement = quarantined("d.jsonl.gz.open", 30, null);

        // Before the recovered file is verified, nothing is pruned, however old.
        Files.writeString(fx.remoteDir.resolve("raw"), "block uploads for this run");
        RunReport blocked = fx.run(s -> s.withQuarantineKeepDays(7));
        assertThat(blocked.verified()).isZero();
        assertThat(blocked.quarantinePruned()).isZero();
        assertThat(oldDone).exists();
        Files.delete(fx.remoteDir.resolve("raw"));

        RunReport report = fx.run(s -> s.withQuarantineKeepDays(7));
        assertThat(report.verified()).isEqualTo(1);
        assertThat(report.quarantinePruned()).isEqualTo(1);
        assertThat(oldDone).doesNotExist();
        assertThat(note(oldDone)).doesNotExist();
        assertThat(List.of(oldPending, youngDone, noReplacement)).allSatisfy(p -> {
            assertThat(p).exists();
            assertThat(note(p)).exists();
        });
        JsonNode prune = ledgerLines().stream()
                .filter(l -> l.get("action").asText().equals("prune"))
                .findFirst()
                .orElseThrow();
        assertThat(prune.get("kind").asText()).isEqualTo("quarantine");
        assertThat(prune.get("file").asText()).isEqualTo(fx.dir.relative(oldDone));
        assertThat(prune.get("result").asText()).isEqualTo("pruned");
        assertThat(prune.get("reason").asText()).isEqualTo("replacement-verified");
        assertThat(report.statusLine()).contains(" quarantine_pruned=1 ");
    }

    @Test
    void aRemoteWithoutAConfigSectionIsNotListableAndTheProbeSaysWhich() {
        RemoteState missing = new RemoteProbe(rclone, "nosuchremote:orderbooks", Clock.systemUTC()).probe();
        assertThat(missing.listable()).isFalse();
        assertThat(missing.detail()).contains("didn't find section in config file", "[nosuchremote]", "rclone config");

        // A configured remote whose folder does not exist yet is fine: the first upload creates it.
        RemoteState fresh =
                new RemoteProbe(rclone, "testdisk:" + fx.remoteDir.resolve("not-yet"), Clock.systemUTC()).probe();
        assertThat(fresh.listable()).as(fresh.detail()).isTrue();
        assertThat(new RemoteProbe(rclone, "testdisk:" + fx.remoteDir, Clock.systemUTC())
                        .probe()
                        .listable())
                .isTrue();
    }

    private Path quarantined(String name, int daysAgo, String replacement) throws Exception {
        Path artifact = fx.dir.quarantine().resolve("raw/ws_market/2020-01-01/" + name);
        Files.createDirectories(artifact.getParent());
        Files.writeString(artifact, "damaged bytes of " + name);
        byte[] note = Json.writePretty(g -> {
            g.writeStartObject();
            g.writeStringField("schema", "orderbooks.quarantine-note/1");
            g.writeStringField("original", "raw/ws_market/2020-01-01/" + name);
            g.writeStringField(
                    "quarantined_at",
                    Instant.now().minus(daysAgo, ChronoUnit.DAYS).toString());
            g.writeStringField("reason", "test");
            g.writeStringField("replacement", replacement);
            g.writeStringField("status", "invalid");
            g.writeEndObject();
        });
        Files.write(note(artifact), note);
        return artifact;
    }

    private static Path note(Path artifact) {
        return artifact.resolveSibling(artifact.getFileName() + ".note.json");
    }

    private LocalFile local(Path p) {
        return new LocalFiles(fx.dir)
                .closedWithManifest().stream()
                        .filter(f -> f.path().equals(p))
                        .findFirst()
                        .orElseThrow();
    }

    private String md5Manifest(Path p) {
        return io.orderbooks.shared.layout.Checksums.md5Hex(local(p).manifestBytes());
    }

    private List<JsonNode> ledgerLines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(fx.dir.ledger())) {
            out.add(Json.parse(line.getBytes()));
        }
        return out;
    }
}
