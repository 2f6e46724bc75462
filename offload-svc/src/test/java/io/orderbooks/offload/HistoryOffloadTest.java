package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.offload.rclone.RcloneClient;
import io.orderbooks.offload.testing.OffloadFixture;
import io.orderbooks.offload.testing.RcloneRcdResource;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.HistoryCopyName;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.UploadManifestName;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.manifests.LedgerReason;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensHistory;
import io.orderbooks.shared.manifests.TokensJson;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.TempDataDir;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery's history copies ({@code discovery/history/…/tokens-<ts>-<instance>.json.gz}, or without the instance when
 * written before names carried it, with the manifest discovery writes)
 * are offloaded like raw files: uploaded to the same relative path on the remote, verified, and deleted locally under
 * the same retention rules (keep-days, disk-low), only after verification and a fresh recheck. Real rclone rcd, local
 * disk remote.
 */
@QuarkusTest
@WithTestResource(RcloneRcdResource.class)
class HistoryOffloadTest {
    private static final String COND = "0xa467" + "0".repeat(60);
    private static final WriterInfo DISCOVERY = new WriterInfo("discovery-svc", "test", InstanceId.of("vps1"), "run-h");
    /** A second instance whose id holds a dash, as a StatefulSet replica's pod name does. */
    private static final InstanceId OTHER = InstanceId.of("orderbooks-1");

    private static final WriterInfo OTHER_DISCOVERY = new WriterInfo("discovery-svc", "test", OTHER, "run-o");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Inject
    RcloneClient rclone;

    OffloadFixture fx;
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void setUp() {
        fx = new OffloadFixture(rclone);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void historyCopiesAreUploadedVerifiedAndDeletedByRetentionOnlyOnceVerified() throws Exception {
        Path old = publish(now.minus(10, ChronoUnit.DAYS), "1", "2");
        Path older = publish(now.minus(12, ChronoUnit.DAYS), "1", "3");
        Path young = publish(now.minus(2, ChronoUnit.HOURS), "1", "2", "3");
        // A copy whose manifest is not written yet (discovery killed in between) is neither uploaded nor deleted.
        Path noManifest = publish(now.minus(11, ChronoUnit.DAYS), "9", "8");
        Files.delete(TokensHistory.manifestPath(noManifest));

        RunReport first = fx.run(s -> s.withKeepDays(30));

        assertThat(first.verified()).isEqualTo(3);
        for (Path copy : List.of(old, older, young)) {
            String rel = fx.dir.relative(copy);
            assertThat(rel).startsWith("discovery/history/");
            assertThat(fx.remote(rel)).hasSameBinaryContentAs(copy); // the parallel path on the remote
            assertThat(fx.remote(rel + ".manifest.json")).hasSameBinaryContentAs(TokensHistory.manifestPath(copy));
            assertThat(fx.ledger().latest(rel, LedgerKind.DATA).verified()).isTrue();
            assertThat(fx.ledger()
                            .latest(rel + ".manifest.json", LedgerKind.MANIFEST)
                            .verified())
                    .isTrue();
        }
        assertThat(fx.remote(fx.dir.relative(noManifest))).doesNotExist();
        assertThat(first.backlogFiles()).isZero();

        // Someone removes one remote copy: retention's fresh recheck finds it missing and keeps the local one.
        Files.delete(fx.remote(fx.dir.relative(older)));
        RunReport second = fx.run(s -> s.withKeepDays(7));
        assertThat(old).doesNotExist();
        assertThat(TokensHistory.manifestPath(old)).doesNotExist();
        assertThat(fx.remote(fx.dir.relative(old))).exists();
        assertThat(older).exists();
        assertThat(second.recheckFailed()).isEqualTo(1);
        assertThat(second.deleted()).isEqualTo(1);
        assertThat(young).exists();
        assertThat(noManifest).exists();
        assertThat(deleteLine(fx.dir.relative(old)).get("reason").asText()).isEqualTo(LedgerReason.KEEP_DAYS.wire());

        // The next run uploads it again, verifies it, and only then deletes it.
        RunReport third = fx.run(s -> s.withKeepDays(7));
        assertThat(third.verified()).isEqualTo(1);
        assertThat(older).doesNotExist();
        assertThat(fx.remote(fx.dir.relative(older))).exists();
        assertThat(young).exists();

        // A low disk deletes the young copy before its keep-days, like a raw file; the copy without a manifest stays.
        RunReport low = fx.run(s -> s.withKeepDays(7).withRetentionMinFreeBytes(Long.MAX_VALUE));
        assertThat(young).doesNotExist();
        assertThat(low.deletedEarly()).isEqualTo(1);
        assertThat(deleteLine(fx.dir.relative(young)).get("reason").asText()).isEqualTo(LedgerReason.DISK_LOW.wire());
        assertThat(fx.remote(fx.dir.relative(young))).exists();
        assertThat(noManifest).exists();
    }

    /**
     * One data dir holding two discovery instances' copies of the same second and a copy named before instances (two
     * replicas' folders merged, or an upgraded instance): nothing collides, and all three are uploaded and verified
     * under their own names.
     */
    @Test
    void copiesOfTwoInstancesOfTheSameSecondAndAnOldNamedCopyAllUpload() throws Exception {
        Instant at = now.minus(1, ChronoUnit.HOURS);
        Path mine = publish(at, "1", "2");
        Path theirs = publish(fx.dir, OTHER_DISCOVERY, at, "3");
        Path old = fx.dir.historyCopy(HistoryCopyName.withoutInstance(at));
        Files.copy(theirs, old); // as an older discovery named it; its manifest as discovery repairs it at start
        assertThat(TokensHistory.repairManifests(fx.dir, DISCOVERY, now).described())
                .containsExactly(old);
        assertThat(List.of(mine, theirs, old)).doesNotHaveDuplicates();

        RunReport run = fx.run(s -> s.withKeepDays(30));

        assertThat(run.verified()).isEqualTo(3);
        assertThat(List.of(mine, theirs, old))
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "tokens-" + STAMP.format(at) + "-vps1.json.gz",
                        "tokens-" + STAMP.format(at) + "-orderbooks-1.json.gz",
                        "tokens-" + STAMP.format(at) + ".json.gz");
        for (Path copy : List.of(mine, theirs, old)) {
            String rel = fx.dir.relative(copy);
            assertThat(fx.remote(rel)).hasSameBinaryContentAs(copy);
            assertThat(fx.remote(rel + ".manifest.json")).hasSameBinaryContentAs(TokensHistory.manifestPath(copy));
            assertThat(fx.ledger().latest(rel, LedgerKind.DATA).verified()).isTrue();
        }
        assertThat(Files.readAllBytes(mine)).isNotEqualTo(Files.readAllBytes(theirs));
    }

    /**
     * Two instances (two VPSes, or two replicas) uploading into one remote folder: their history copies of the same
     * second and their daily upload manifests of the same day each arrive under their own name, intact, and a later
     * run of either overwrites nothing of the other's (docs/SCALING.md).
     */
    @Test
    void twoInstancesSharingOneRemoteFolderKeepTheirCopiesAndUploadManifestsApart() throws Exception {
        try (TempDataDir other = TempDataDir.create()) {
            Instant at = now.minus(1, ChronoUnit.HOURS);
            Path mine = publish(at, "1", "2");
            Path theirs = publish(other.dataDir(), OTHER_DISCOVERY, at, "3");
            // The old-named upload manifest of an instance before its upgrade: left alone, locally and remotely.
            Path oldManifest = fx.dir.uploadManifest(UploadManifestName.withoutInstance(LocalDate.now(ZoneOffset.UTC)));
            Files.createDirectories(oldManifest.getParent());
            Files.writeString(oldManifest, "{\"schema\":\"orderbooks.upload-manifest/1\",\"lines\":0}");

            assertThat(fx.run(s -> s.withKeepDays(30)).verified()).isEqualTo(1);
            assertThat(fx.offloader(OTHER, other.dataDir(), s -> s.withKeepDays(30), Clock.systemUTC())
                            .run()
                            .verified())
                    .isEqualTo(1);
            assertThat(fx.run(s -> s.withKeepDays(30)).uploaded()).isZero();

            assertThat(fx.remote(fx.dir.relative(mine))).hasSameBinaryContentAs(mine);
            assertThat(fx.remote(other.dataDir().relative(theirs))).hasSameBinaryContentAs(theirs);
            assertThat(fx.dir.relative(mine)).isNotEqualTo(other.dataDir().relative(theirs));
            List<String> names = new ArrayList<>();
            try (var listing = Files.list(fx.remote("offload/manifests"))) {
                listing.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
            }
            assertThat(names)
                    .isNotEmpty()
                    .allSatisfy(n -> assertThat(UploadManifestName.parse(n))
                            .get()
                            .satisfies(m -> assertThat(m.writer()).isPresent()));
            assertThat(names)
                    .extracting(n -> UploadManifestName.parse(n)
                            .orElseThrow()
                            .writer()
                            .orElseThrow()
                            .value())
                    .containsOnly("vps1", "orderbooks-1")
                    .contains("vps1", "orderbooks-1");
            for (String n : names) {
                UploadManifestName name = UploadManifestName.parse(n).orElseThrow();
                DataDir owner = name.writer().orElseThrow().equals(OffloadFixture.INSTANCE) ? fx.dir : other.dataDir();
                Path local = owner.uploadManifest(name);
                assertThat(fx.remote("offload/manifests/" + n)).hasSameBinaryContentAs(local);
                JsonNode m = Json.parse(Files.readAllBytes(local));
                assertThat(m.get("instance").asText())
                        .isEqualTo(name.writer().orElseThrow().value());
                assertThat(m.get("files").findValuesAsText("file"))
                        .allSatisfy(f -> assertThat(owner.root().resolve(f)).exists());
            }
            assertThat(oldManifest).content().contains("\"lines\":0");
            assertThat(fx.remote("offload/manifests/" + oldManifest.getFileName()))
                    .doesNotExist();
        }
    }

    private Path publish(Instant at, String... ids) throws Exception {
        return publish(fx.dir, DISCOVERY, at, ids);
    }

    private static Path publish(DataDir dir, WriterInfo discovery, Instant at, String... ids) throws Exception {
        List<TokenEntry> tokens = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            tokens.add(new TokenEntry(
                    ids[i],
                    i == 0 ? "No" : "Yes" + i,
                    i,
                    COND,
                    "559651",
                    "slug",
                    "Q?",
                    "event",
                    false,
                    "2026-12-31T00:00:00Z",
                    "0.001",
                    "5",
                    Protocol.V1));
        }
        return TokensJson.publish(dir, TokensFile.of(at, "run-h", "test", null, tokens), discovery);
    }

    private JsonNode deleteLine(String rel) throws Exception {
        JsonNode found = null;
        for (String line : Files.readAllLines(fx.dir.ledger())) {
            JsonNode n = Json.parse(line.getBytes());
            if ("delete".equals(n.get("action").asText())
                    && rel.equals(n.get("file").asText())) {
                found = n;
            }
        }
        assertThat(found).as("delete line of %s", rel).isNotNull();
        return found;
    }
}
