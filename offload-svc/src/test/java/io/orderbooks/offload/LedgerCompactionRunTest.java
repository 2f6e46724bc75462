package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.offload.rclone.RcloneClient;
import io.orderbooks.offload.testing.OffloadFixture;
import io.orderbooks.offload.testing.RcloneRcdResource;
import io.orderbooks.offload.testing.SampleData;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.records.Json;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ledger compaction inside a real run (real rclone rcd, local-disk remote): a ledger made by real uploads, a recheck,
 * retention deletions and a quarantine; then a run 40 days later compacts it; the dry-run plan (uploads, deletions,
 * quarantine pruning) is the same before and after, and the compaction is counted in the status line and metrics.
 */
@QuarkusTest
@WithTestResource(RcloneRcdResource.class)
class LedgerCompactionRunTest {
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
    void aRunWeeksLaterCompactsTheLedgerAndOffloadPlansExactlyAsBefore() throws Exception {
        Path a = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(10, ChronoUnit.DAYS), 20);
        Path g = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(11, ChronoUnit.DAYS), 20);
        Path b = SampleData.closedFile(fx.dir, StreamName.REST_BOOKS, now.minus(9, ChronoUnit.DAYS), 20);
        Path c = SampleData.closedFile(fx.dir, StreamName.REST_BOOKS, now.minus(2, ChronoUnit.DAYS), 20);
        Path d = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(1, ChronoUnit.HOURS), 20);
        Path e = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, now.minus(3, ChronoUnit.DAYS), 20);
        byte[] bytes = Files.readAllBytes(e);
        bytes[15] ^= 0x10;
        Files.write(e, bytes); // quarantined by the first run
        UnaryOperator<OffloadSettings> keepQuarantine = s -> s.withQuarantineKeepDays(1000);

        assertThat(fx.run(s -> keepQuarantine.apply(s).withKeepDays(30)).verified())
                .isEqualTo(5);
        Path bManifest = fx.dir.manifestPath(RawFile.parse(b));
        byte[] bManifestBytes = Files.readAllBytes(bManifest);
        Files.delete(fx.remote(fx.dir.relative(b)));
        assertThat(fx.run(s -> keepQuarantine.apply(s).withKeepDays(7)).deleted())
                .isEqualTo(2); // a and g; b rechecked
        assertThat(fx.run(s -> keepQuarantine.apply(s).withKeepDays(7)).deleted())
                .isEqualTo(1); // b, uploaded again
        // b's manifest is back on disk, as a kill between retention's two deletions leaves it; a quarantine note names
        // a
        // as the replacement of a damaged original. Both keep their file's deletion line in the ledger.
        Files.write(bManifest, bManifestBytes);
        Path note = fx.dir.quarantine().resolve(fx.dir.relative(a) + ".note.json");
        Files.createDirectories(note.getParent());
        Files.writeString(
                note,
                "{\"schema\":\"orderbooks.quarantine-note/1\",\"original\":\"" + fx.dir.relative(a)
                        + "\",\"quarantined_at\":\"" + now.minus(10, ChronoUnit.DAYS)
                        + "\",\"reason\":\"torn\",\"replacement\":\""
                        + fx.dir.relative(a) + "\"}");
        Files.writeString(note.resolveSibling(a.getFileName()), "damaged original");

        UnaryOperator<OffloadSettings> planSettings =
                s -> s.withKeepDays(1).withQuarantineKeepDays(7).withDryRun(true);
        List<String> planBefore = plan(planSettings);
        Map<String, Boolean> verifiedBefore = verified();
        List<String> ledgerBefore = Files.readAllLines(fx.dir.ledger());
        assertThat(planBefore)
                .containsExactlyInAnyOrder(
                        "delete data " + fx.dir.relative(c) + " keep-days",
                        "prune quarantine " + fx.dir.relative(note.resolveSibling(a.getFileName()))
                                + " replacement-verified");

        // 40 days later a run (that has nothing else to do) compacts the ledger.
        Offloader later = fx.offloader(
                s -> s.withKeepDays(1000).withQuarantineKeepDays(1000).withLedgerKeepDays(30),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(40)));
        RunReport r = later.run();
        assertThat(r.ledgerCompactions()).isEqualTo(1);
        assertThat(r.statusLine())
                .contains(" ledger_compacted=1 ledger_archived=" + r.ledgerArchived() + " ledger_lines="
                        + r.ledgerLines() + " ");
        assertThat(r.deleted() + r.verified() + r.quarantinePruned()).isZero();
        assertThat(fx.registry.get("offload.ledger.compactions").counter().count())
                .isEqualTo(1);
        assertThat(fx.registry.get("offload.ledger.archived").counter().count()).isEqualTo(r.ledgerArchived());
        assertThat(later.run().ledgerCompactions()).isZero(); // once a day

        List<String> ledgerAfter = Files.readAllLines(fx.dir.ledger());
        assertThat(r.ledgerLines()).isEqualTo(ledgerAfter.size());
        assertThat(ledgerAfter.size() + r.ledgerArchived()).isEqualTo(ledgerBefore.size());
        // g is gone and named by nothing: its whole history left the ledger; so did e's quarantine and b's recheck.
        assertThat(ledgerAfter)
                .noneMatch(l ->
                        l.contains(fx.dir.relative(g)) || l.contains("\"quarantine\"") || l.contains("\"recheck\""));
        assertThat(ledgerAfter)
                .anyMatch(l -> l.contains(fx.dir.relative(a)) && l.contains("\"delete\""))
                .anyMatch(l -> l.contains(fx.dir.relative(b)) && l.contains("\"delete\""));
        assertThat(LedgerCompactionTest.readArchives(fx.dir))
                .hasSize((int) r.ledgerArchived())
                .anyMatch(l -> l.contains(fx.dir.relative(g)));

        assertThat(plan(planSettings)).isEqualTo(planBefore);
        assertThat(verified()).isEqualTo(verifiedBefore);
    }

    /** The dry-run plan as comparable strings (action, kind, file, reason). */
    private List<String> plan(UnaryOperator<OffloadSettings> settings) throws Exception {
        fx.run(settings);
        List<String> out = new ArrayList<>();
        for (JsonNode i : Json.parse(Files.readAllBytes(fx.dir.root().resolve(DryRunPlan.FILE)))
                .get("plan")) {
            out.add(String.join(
                    " ",
                    i.get("action").asText(),
                    i.get("kind").asText(),
                    i.get("file").asText(),
                    i.path("reason").asText("-")));
        }
        return out;
    }

    private Map<String, Boolean> verified() {
        Ledger ledger = fx.ledger();
        Map<String, Boolean> out = new TreeMap<>();
        for (LocalFile f : new LocalFiles(fx.dir).closedWithManifest()) {
            out.put(f.relative(), ledger.isVerified(f, Checksums.md5Hex(f.manifestBytes())));
        }
        return out;
    }
}
