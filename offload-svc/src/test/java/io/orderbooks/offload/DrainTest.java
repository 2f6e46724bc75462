package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.offload.rclone.RcloneClient;
import io.orderbooks.offload.testing.OffloadFixture;
import io.orderbooks.offload.testing.RcloneRcdResource;
import io.orderbooks.offload.testing.SampleData;
import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterConfig;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.InvalidMark;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.manifests.Marks;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.MutableClock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drain mode (docs/OFFLOAD.md "Draining a volume") over a real {@code rclone rcd} and a local-disk remote: a volume a
 * replica left behind is recovered and emptied into the remote, verified, and the verdict says so; what cannot go up
 * is listed, never hidden; a writer still running refuses the drain before anything is touched.
 */
@QuarkusTest
@WithTestResource(RcloneRcdResource.class)
class DrainTest {
    /** As the drain Job runs it: offload.instance is the replica's own instance id. */
    private static final WriterInfo DRAIN = new WriterInfo("offload-svc", "test", SampleData.VPS1, "run-d");

    @Inject
    RcloneClient rclone;

    OffloadFixture fx;
    final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.DAYS);
    final AtomicInteger runs = new AtomicInteger();

    @BeforeEach
    void setUp() {
        fx = new OffloadFixture(rclone);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private Drain drain(UnaryOperator<OffloadSettings> tweak, Duration timeout) {
        Offloader o = fx.offloader(tweak);
        return new Drain(
                fx.dir,
                o,
                () -> {
                    runs.incrementAndGet();
                    return Optional.of(o.run());
                },
                DRAIN,
                timeout,
                Duration.ofMillis(200),
                Clock.systemUTC());
    }

    /** The {@code .open} file a crash leaves: the closed file's bytes under the open name, no manifest. */
    private Path crashed(Path closed) throws Exception {
        RawFile id = RawFile.parse(closed);
        Path open = fx.dir.openPath(id);
        Files.copy(closed, open);
        Files.delete(closed);
        Files.delete(fx.dir.manifestPath(id));
        return open;
    }

    @Test
    void aVolumeTheReplicaLeftIsRecoveredUploadedVerifiedAndDeclaredDrained() throws Exception {
        Path a = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, hour, 200);
        Path b = SampleData.closedFile(fx.dir, StreamName.REST_BOOKS, hour, 100);
        Path c = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, hour.plus(1, ChronoUnit.HOURS), 300);
        Path open = crashed(c);
        Path noManifest = SampleData.closedFile(fx.dir, StreamName.REST_BOOKS, hour.plus(1, ChronoUnit.HOURS), 50);
        Files.delete(fx.dir.manifestPath(RawFile.parse(noManifest)));
        InvalidMark mark = InvalidMark.forFile(fx.dir.relative(a), "a proxy rewrote frames", "ops", Instant.now());
        Marks.write(fx.dir, mark);

        DrainVerdict v = drain(s -> s.withKeepDays(30), Duration.ofMinutes(2)).run();

        assertThat(v.outcome()).as(v.statusLine()).isEqualTo(DrainVerdict.Outcome.DRAINED);
        assertThat(v.exitCode()).isZero();
        assertThat(v.left().nothingLeft()).isTrue();
        assertThat(v.recovered())
                .containsExactlyInAnyOrder(
                        "salvaged " + fx.dir.relative(c), "manifest-repaired " + fx.dir.relative(noManifest));
        assertThat(open).doesNotExist();
        for (Path p : new Path[] {a, b, c, noManifest}) {
            String rel = fx.dir.relative(p);
            assertThat(fx.remote(rel)).as(rel).hasSameBinaryContentAs(p);
            assertThat(fx.ledger().latest(rel, LedgerKind.DATA).verified())
                    .as(rel)
                    .isTrue();
        }
        FileManifest recovered = FileManifest.parse(Files.readAllBytes(fx.dir.manifestPath(RawFile.parse(c))));
        assertThat(recovered.recovered()).isTrue();
        assertThat(fx.remote(mark.remotePath())).exists();
        assertThat(v.verified()).isEqualTo(4);
        assertThat(v.statusLine()).contains("outcome=drained", "verified=4", "recovered=2", "left=0");

        JsonNode file = Json.parse(Files.readAllBytes(v.write(fx.dir)));
        assertThat(file.get("schema").asText()).isEqualTo(DrainVerdict.SCHEMA);
        assertThat(file.get("outcome").asText()).isEqualTo("drained");
        assertThat(file.get("exit_code").asInt()).isZero();
        assertThat(file.get("left").get("count").asInt()).isZero();
        assertThat(file.get("recovered")).hasSize(2);
    }

    @Test
    void aRemoteThatRefusesEveryUploadEndsTheDrainAtItsTimeoutWithEveryFileListed() throws Exception {
        Path a = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, hour, 20);
        Path b = SampleData.closedFile(fx.dir, StreamName.REST_BOOKS, hour, 20);

        DrainVerdict v = drain(s -> s.withRemote("no-such-remote:orderbooks"), Duration.ofSeconds(2))
                .run();

        assertThat(v.outcome()).as(v.statusLine()).isEqualTo(DrainVerdict.Outcome.NOT_DRAINED);
        assertThat(v.exitCode()).isEqualTo(1);
        assertThat(v.detail()).contains("offload.drain-timeout");
        assertThat(v.runs())
                .as("a run that verified nothing is followed by another after the pause")
                .isGreaterThan(1);
        assertThat(v.left().unverified()).containsExactlyInAnyOrder(fx.dir.relative(a), fx.dir.relative(b));
        assertThat(v.leftoverLines()).anySatisfy(l -> assertThat(l).startsWith("2 not verified upstream: "));
        assertThat(a).exists();
        assertThat(b).exists();
    }

    @Test
    void aWriterStillRunningOnTheVolumeRefusesTheDrainBeforeAnythingIsTouched() throws Exception {
        Path a = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, hour, 20);
        WriterInfo collector = new WriterInfo("collector-svc", "test", SampleData.VPS1, "run-live");
        try (RotatingJsonlWriter live = RotatingJsonlWriter.open(
                fx.dir,
                WriterConfig.defaults(StreamName.WS_MARKET, SampleData.VPS1),
                collector,
                new MutableClock(Instant.now()))) {
            assertThat(live).isNotNull();

            DrainVerdict v = drain(s -> s, Duration.ofMinutes(1)).run();

            assertThat(v.outcome()).isEqualTo(DrainVerdict.Outcome.REFUSED);
            assertThat(v.exitCode()).isEqualTo(75);
            assertThat(v.detail()).contains("a writer still runs", "ws_market", "vps1");
            assertThat(runs).hasValue(0);
            assertThat(fx.remote(fx.dir.relative(a))).doesNotExist();
        }
    }

    /** A volume holding other instances' files only is most likely not the replica's: refused, nothing touched. */
    @Test
    void aVolumeWithoutAFileOfTheInstanceIsRefusedAsTheWrongVolume() throws Exception {
        Path a = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, hour, 20);
        Offloader o = fx.offloader(s -> s);
        Drain d = new Drain(
                fx.dir,
                o,
                () -> Optional.of(o.run()),
                new WriterInfo("offload-svc", "test", InstanceId.of("orderbooks-3"), "run-d"),
                Duration.ofMinutes(1),
                Duration.ofMillis(200),
                Clock.systemUTC());

        DrainVerdict v = d.run();

        assertThat(v.outcome()).isEqualTo(DrainVerdict.Outcome.WRONG_VOLUME);
        assertThat(v.exitCode()).isEqualTo(78);
        assertThat(v.detail()).contains("[vps1]", "orderbooks-3");
        assertThat(fx.remote(fx.dir.relative(a))).doesNotExist();
    }

    /** Only what no run can fix is left (a mark file that cannot be read): the drain ends after one run and names it. */
    @Test
    void whatOnlyAnOperatorCanFixEndsTheDrainAfterOneRunAndIsNamed() throws Exception {
        Path a = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, hour, 20);
        Path bad =
                Files.createDirectories(fx.dir.marks().resolve("raw/ws_market")).resolve("broken.mark.json");
        Files.writeString(bad, "{");

        DrainVerdict v = drain(s -> s, Duration.ofHours(1)).run();

        assertThat(v.outcome()).as(v.statusLine()).isEqualTo(DrainVerdict.Outcome.NOT_DRAINED);
        assertThat(v.detail()).contains("needs an operator");
        assertThat(v.runs()).isEqualTo(1);
        assertThat(v.left().unverified()).isEmpty();
        assertThat(v.left().unusableMarks()).singleElement().asString().contains("broken.mark.json");
        assertThat(fx.remote(fx.dir.relative(a))).hasSameBinaryContentAs(a);
    }

    /** A stop (SIGTERM to the Job's pod) ends a drain that is waiting for a remote, with what is left in its verdict. */
    @Test
    void aStopEndsAWaitingDrainWithItsLeftovers() throws Exception {
        SampleData.closedFile(fx.dir, StreamName.WS_MARKET, hour, 20);
        Drain d = drain(s -> s.withRemote("no-such-remote:orderbooks"), Duration.ofHours(1));
        CompletableFuture<DrainVerdict> running = CompletableFuture.supplyAsync(d::run);
        io.orderbooks.shared.testing.Eventually.until(
                "the first drain run", Duration.ofSeconds(60), () -> runs.get() >= 1);

        d.stop();

        DrainVerdict v = running.get(60, TimeUnit.SECONDS);
        assertThat(v.outcome()).isEqualTo(DrainVerdict.Outcome.NOT_DRAINED);
        assertThat(v.detail()).contains("stopped");
        assertThat(v.left().unverified()).hasSize(1);
    }
}
