package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.offload.rclone.RcloneClient;
import io.orderbooks.offload.testing.OffloadFixture;
import io.orderbooks.offload.testing.RcloneRcdResource;
import io.orderbooks.offload.testing.SampleData;
import io.orderbooks.offload.testing.TreeHash;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.records.Json;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Local retention with fresh remote rechecks, and dry-run, against the real rclone rcd and a local-disk remote. */
@QuarkusTest
@WithTestResource(RcloneRcdResource.class)
class RetentionAndDryRunTest {
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
    void retentionDeletesOnlyOldFilesThatAreVerifiedAndStillMatchRemotely() throws Exception {
        Path oldVerified = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(10, ChronoUnit.DAYS), 50);
        Path oldRemoteGone = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(9, ChronoUnit.DAYS), 50);
        Path young = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(2, ChronoUnit.DAYS), 50);
        // Everything is uploaded and verified while nothing is old enough yet.
        assertThat(fx.run(s -> s.withKeepDays(30)).verified()).isEqualTo(3);

        // Files that are never candidates: an old .open file, an old file without manifest, quarantine, and an old
        // file that appears after the uploads (so has no ledger line).
        Path open = fx.dir
                .root()
                .resolve(RawFile.parse(oldVerified).relativeDir())
                .resolve("ws_market-20000101T00Z-other-0001.jsonl.gz.open");
        Files.writeString(open, "partial");
        Path noManifest = SampleData.closedFile(fx.dir, StreamName.REST_BOOKS, now.minus(12, ChronoUnit.DAYS), 5);
        Files.delete(fx.dir.manifestPath(RawFile.parse(noManifest)));
        Path quarantined = fx.dir.quarantine().resolve("raw/ws_market/old.jsonl.gz");
        Files.createDirectories(quarantined.getParent());
        Files.writeString(quarantined, "kept forever");
        // The remote loses one verified copy (someone deleted it in Drive).
        Files.delete(fx.remote(fx.dir.relative(oldRemoteGone)));

        // Retention at 7 days, with the disk guard set so high that the disk counts as nearly full: the service
        // alerts, and still deletes nothing that is not verified and re-checked.
        RunReport report = fx.run(s -> s.withKeepDays(7).withDiskMinFreeBytes(Long.MAX_VALUE));

        assertThat(oldVerified).doesNotExist();
        assertThat(fx.dir.manifestPath(RawFile.parse(oldVerified))).doesNotExist();
        assertThat(fx.remote(fx.dir.relative(oldVerified))).exists(); // the remote copy is what we keep
        assertThat(report.deleted()).isEqualTo(1);
        assertThat(oldRemoteGone).exists();
        assertThat(report.recheckFailed()).isEqualTo(1);
        assertThat(young).exists();
        assertThat(open).exists();
        assertThat(noManifest).exists();
        assertThat(quarantined).exists();
        assertThat(report.diskFreeBytes()).isLessThan(Long.MAX_VALUE);

        JsonNode recheck = ledgerLines().stream()
                .filter(l -> l.get("action").asText().equals("recheck"))
                .findFirst()
                .orElseThrow();
        assertThat(recheck.get("file").asText()).isEqualTo(fx.dir.relative(oldRemoteGone));
        assertThat(recheck.get("result").asText()).isEqualTo("missing");
        JsonNode delete = ledgerLines().stream()
                .filter(l -> l.get("action").asText().equals("delete"))
                .findFirst()
                .orElseThrow();
        assertThat(delete.get("file").asText()).isEqualTo(fx.dir.relative(oldVerified));
        assertThat(delete.get("result").asText()).isEqualTo("deleted");

        // The file whose remote copy vanished is uploaded again by the next run, and only then deleted.
        RunReport next = fx.run(s -> s.withKeepDays(7));
        assertThat(next.verified()).isEqualTo(1);
        assertThat(oldRemoteGone).doesNotExist();
        assertThat(fx.remote(fx.dir.relative(oldRemoteGone))).exists();
        assertThat(young).exists();
    }

    @Test
    void dryRunPlansUploadsDeletionsAndQuarantineButChangesNothingLocalOrRemote() throws Exception {
        Path oldVerified = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(10, ChronoUnit.DAYS), 50);
        assertThat(fx.run(s -> s.withKeepDays(30)).verified()).isEqualTo(1);
        SampleData.hourlyFiles(fx.dir, StreamName.REST_BOOKS, now.minus(1, ChronoUnit.HOURS), 4, 30);
        Path damaged = SampleData.closedFile(fx.dir, StreamName.REST_BOOKS, now.minus(3, ChronoUnit.DAYS), 30);
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[15] ^= 0x10;
        Files.write(damaged, bytes);

        Map<String, String> localBefore = TreeHash.of(fx.dir.root(), rel -> !rel.equals(DryRunPlan.FILE));
        Map<String, String> remoteBefore = TreeHash.of(fx.remoteDir);

        RunReport report = fx.run(s -> s.withKeepDays(7).withDryRun(true));

        assertThat(TreeHash.of(fx.dir.root(), rel -> !rel.equals(DryRunPlan.FILE)))
                .isEqualTo(localBefore);
        assertThat(TreeHash.of(fx.remoteDir)).isEqualTo(remoteBefore);
        assertThat(report.dryRun()).isTrue();
        assertThat(report.verified() + report.deleted() + report.quarantined()).isZero();

        JsonNode plan = Json.parse(Files.readAllBytes(fx.dir.root().resolve(DryRunPlan.FILE)));
        assertThat(plan.get("plan"))
                .allSatisfy(i -> assertThat(i.get("result").asText()).isEqualTo("dry-run"));
        assertThat(plan.get("plan"))
                .filteredOn(i -> i.get("action").asText().equals("upload"))
                .hasSize(8);
        assertThat(plan.get("plan"))
                .filteredOn(i -> i.get("action").asText().equals("delete"))
                .singleElement()
                .satisfies(i -> assertThat(i.get("file").asText()).isEqualTo(fx.dir.relative(oldVerified)));
        assertThat(plan.get("plan"))
                .filteredOn(i -> i.get("action").asText().equals("quarantine"))
                .singleElement()
                .satisfies(i -> assertThat(i.get("file").asText()).isEqualTo(fx.dir.relative(damaged)));
    }

    private java.util.List<JsonNode> ledgerLines() throws Exception {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(fx.dir.ledger())) {
            out.add(Json.parse(line.getBytes()));
        }
        return out;
    }
}
