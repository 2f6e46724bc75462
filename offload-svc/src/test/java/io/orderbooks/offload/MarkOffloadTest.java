package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.offload.rclone.RcloneClient;
import io.orderbooks.offload.testing.OffloadFixture;
import io.orderbooks.offload.testing.RcloneRcdResource;
import io.orderbooks.offload.testing.SampleData;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.InvalidMark;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.manifests.Marks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invalid marks (docs/DATA-FORMAT.md §8) go up beside the files they concern, verified by size and MD5 through real
 * rclone like every other object, once; they are never deleted locally, even when retention deletes the raw file.
 */
@QuarkusTest
@WithTestResource(RcloneRcdResource.class)
class MarkOffloadTest {
    @Inject
    RcloneClient rclone;

    OffloadFixture fx;
    final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(10, ChronoUnit.DAYS);

    @BeforeEach
    void setUp() {
        fx = new OffloadFixture(rclone);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void marksAreUploadedBesideTheirFilesVerifiedOnceAndNeverDeletedLocally() throws Exception {
        Path raw = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, hour, 50);
        String rawRel = fx.dir.relative(raw);
        Instant at = Instant.now();
        InvalidMark fileMark = InvalidMark.forFile(rawRel, "frames rewritten by a proxy", "ops", at);
        InvalidMark hoursMark = InvalidMark.forHours(
                StreamName.REST_BOOKS, null, hour, hour.plus(2, ChronoUnit.HOURS), "stale cache", "ops", at);
        InvalidMark revocation = InvalidMark.revocationOf(hoursMark, "the cache was fine", "ops", at.plusSeconds(1));
        Path fileMarkPath = Marks.write(fx.dir, fileMark);
        Path hoursMarkPath = Marks.write(fx.dir, hoursMark);
        Path revocationPath = Marks.write(fx.dir, revocation);
        Path bad = fx.dir.marks().resolve("raw/ws_market/broken.mark.json");
        Files.writeString(bad, "{");

        RunReport first = fx.run(s -> s.withKeepDays(30));

        assertThat(first.verified()).isEqualTo(1);
        // beside the raw file on the remote: the same folder as raw/ws_market/dt=…/hour=…/<file>
        String besideRaw = rawRel.substring(0, rawRel.lastIndexOf('/')) + "/" + fileMark.id() + ".mark.json";
        assertThat(fileMark.remotePath()).isEqualTo(besideRaw);
        assertThat(fx.remote(besideRaw)).hasSameBinaryContentAs(fileMarkPath);
        assertThat(fx.remote(rawRel)).hasSameBinaryContentAs(raw);
        assertThat(fx.remote(hoursMark.remotePath())).hasSameBinaryContentAs(hoursMarkPath);
        assertThat(fx.remote(revocation.remotePath())).hasSameBinaryContentAs(revocationPath);
        assertThat(fx.remote("raw/ws_market/broken.mark.json"))
                .as("a bad mark file is not uploaded")
                .doesNotExist();
        assertThat(fx.remote("marks")).as("nothing goes up under marks/").doesNotExist();
        LedgerEntry line = fx.ledger().latest(fx.dir.relative(fileMarkPath), LedgerKind.MARK);
        assertThat(line.verified()).isTrue();
        assertThat(line.remote()).endsWith(besideRaw);
        assertThat(line.remoteBytes()).isEqualTo(Files.size(fileMarkPath));
        long markLines = Files.readAllLines(fx.dir.ledger()).stream()
                .filter(l -> l.contains("\"kind\":\"mark\""))
                .count();
        assertThat(markLines).isEqualTo(3);

        // A second run: retention deletes the verified raw file (older than keep-days); the marks stay, and are not
        // uploaded again.
        RunReport second = fx.run(s -> s.withKeepDays(7));
        assertThat(second.deleted()).isEqualTo(1);
        assertThat(raw).doesNotExist();
        assertThat(fileMarkPath).exists();
        assertThat(hoursMarkPath).exists();
        assertThat(revocationPath).exists();
        assertThat(bad).exists();
        assertThat(Files.readAllLines(fx.dir.ledger()).stream()
                        .filter(l -> l.contains("\"kind\":\"mark\""))
                        .count())
                .isEqualTo(3);

        // A mark written later goes up in the next run.
        InvalidMark later = InvalidMark.forFile(rawRel, "and the next file too", "ops", at.plusSeconds(5));
        Marks.write(fx.dir, later);
        fx.run(s -> s.withKeepDays(7));
        assertThat(fx.remote(later.remotePath())).exists();
    }
}
