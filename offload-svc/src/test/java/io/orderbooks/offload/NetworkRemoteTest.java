package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.offload.rclone.RcloneClient;
import io.orderbooks.offload.testing.OffloadFixture;
import io.orderbooks.offload.testing.RcloneProcess;
import io.orderbooks.offload.testing.RcloneRcdResource;
import io.orderbooks.offload.testing.SampleData;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.Eventually;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Uploads that cross a real socket: remotes served by rclone itself on loopback ({@code rclone serve sftp}, which
 * answers MD5 requests, and {@code rclone serve webdav}, which keeps no hashes), cut by killing processes mid-copy.
 */
@QuarkusTest
@WithTestResource(RcloneRcdResource.class)
class NetworkRemoteTest {
    private static final String SFTP_USER = "offload";
    private static final String SFTP_PASS = "loopback-only";

    @Inject
    RcloneClient rclone;

    OffloadFixture fx;
    final List<RcloneProcess> servers = new ArrayList<>();
    final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);

    @BeforeEach
    void setUp() {
        fx = new OffloadFixture(rclone);
    }

    @AfterEach
    void tearDown() {
        servers.forEach(RcloneProcess::close);
        RcloneRcdResource.current().restartRcd(); // in case a test left it dead
        awaitRcloneUp();
        rclone.bandwidthLimit("off");
        fx.close();
    }

    @Test
    void aRemoteThatRefusesConnectionsLeavesNothingVerifiedAndTheNextRunRecovers() throws Exception {
        SampleData.hourlyFiles(fx.dir, StreamName.WS_MARKET, hour, 4, 50);
        int port = RcloneProcess.freePort(); // nothing listens there yet
        String remote = sftpRemote(port);

        RunReport refused = fx.run(s -> s.withRemote(remote).withTransfers(1));

        assertThat(refused.verified()).isZero();
        assertThat(refused.failed()).isEqualTo(3); // then the run stops: max-consecutive-failures
        assertThat(refused.stopReason()).contains("failed files in a row");
        assertThat(refused.backlogFiles()).isEqualTo(4);
        assertThat(ledgerLines())
                .isNotEmpty()
                .noneMatch(l -> l.get("result").asText().equals("verified"));

        Path served = startSftp(port);
        RunReport recovered = fx.run(s -> s.withRemote(remote));

        assertThat(recovered.verified()).isEqualTo(4);
        assertThat(recovered.backlogFiles()).isZero();
        for (Path f : closedFiles()) {
            assertThat(served.resolve(fx.dir.relative(f))).hasSameBinaryContentAs(f);
        }
    }

    @Test
    void aRemoteServerKilledMidTransferLeavesNoVerifiedLineAndTheNextRunCompletesTheUpload() throws Exception {
        Path big = SampleData.bigFile(fx.dir, StreamName.WS_MARKET, hour, 1_500_000);
        String rel = fx.dir.relative(big);
        int port = RcloneProcess.freePort();
        Path served = startSftp(port);
        String remote = sftpRemote(port);

        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(
                () -> fx.run(s -> s.withRemote(remote).withBwlimit("256k")));
        awaitPartial(served.resolve(rel), Files.size(big));
        servers.getFirst().kill();
        RunReport cut = run.get(90, TimeUnit.SECONDS);

        assertThat(cut.verified()).isZero();
        assertThat(cut.failed()).isEqualTo(1);
        assertThat(ledgerLines())
                .noneMatch(l -> l.get("result").asText().equals("verified"))
                .anyMatch(l -> l.get("file").asText().equals(rel)
                        && l.get("result").asText().equals("failed"));

        servers.getFirst().start();
        RunReport resumed = fx.run(s -> s.withRemote(remote).withBwlimit("off"));

        assertThat(resumed.verified()).isEqualTo(1);
        assertThat(served.resolve(rel)).hasSameBinaryContentAs(big);
    }

    @Test
    void rcloneItselfKilledMidTransferLeavesNoVerifiedLineAndTheRunAfterItsRestartCompletes() throws Exception {
        Path big = SampleData.bigFile(fx.dir, StreamName.REST_BOOKS, hour, 1_500_000);
        String rel = fx.dir.relative(big);

        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> fx.run(s -> s.withBwlimit("256k")));
        awaitPartial(fx.remote(rel), Files.size(big));
        RcloneRcdResource.current().killRcd();
        RunReport cut = run.get(90, TimeUnit.SECONDS);

        assertThat(cut.verified()).isZero();
        assertThat(cut.stopReason()).contains("rclone unreachable");
        assertThat(cut.backlogFiles()).isEqualTo(1);
        assertThat(ledgerLines()).noneMatch(l -> l.get("result").asText().equals("verified"));
        assertThat(fx.run().rcloneReachable()).isFalse();

        RcloneRcdResource.current().restartRcd();
        awaitRcloneUp();
        RunReport resumed = fx.run();

        assertThat(resumed.verified()).isEqualTo(1);
        assertThat(fx.remote(rel)).hasSameBinaryContentAs(big);
    }

    @Test
    void offloadStoppedMidUploadRecordsNoVerifiedLineAndTheRestartedServiceFinishesTheFile() throws Exception {
        Path big = SampleData.bigFile(fx.dir, StreamName.WS_MARKET, hour, 1_500_000);
        String rel = fx.dir.relative(big);
        Offloader first = fx.offloader(s -> s.withBwlimit("256k"));

        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(first::run);
        awaitPartial(fx.remote(rel), Files.size(big));
        first.cancel(); // what the shutdown hook does on SIGTERM
        RunReport stopped = run.get(90, TimeUnit.SECONDS);

        assertThat(stopped.verified()).isZero();
        assertThat(ledgerLines()).noneMatch(l -> l.get("result").asText().equals("verified"));

        RunReport restarted = fx.run(s -> s.withBwlimit("off")); // a new process: the ledger is read from disk

        assertThat(restarted.pendingAtStart()).isEqualTo(1);
        assertThat(restarted.verified()).isEqualTo(1);
        assertThat(fx.remote(rel)).hasSameBinaryContentAs(big);
    }

    @Test
    void aRemoteWithoutMd5GivesUnverifiedNeverVerifiedAndRetentionKeepsTheFile() throws Exception {
        Path old = SampleData.closedFile(fx.dir, StreamName.WS_MARKET, hour.minus(10, ChronoUnit.DAYS), 40);
        int port = RcloneProcess.freePort();
        Path served = RcloneRcdResource.current().newDir("webdav-");
        servers.add(RcloneProcess.start(
                port,
                served.resolveSibling(served.getFileName() + ".log"),
                "serve",
                "webdav",
                served.toString(),
                "--addr",
                "127.0.0.1:" + port,
                "--config",
                conf()));
        String remote = ":webdav,url='http://127.0.0.1:" + port + "/':";

        RunReport report = fx.run(s -> s.withRemote(remote).withKeepDays(7));

        assertThat(report.unverified()).isEqualTo(1);
        assertThat(report.verified() + report.deleted()).isZero();
        assertThat(report.keptUnverifiedOld()).isEqualTo(1);
        assertThat(old).exists();
        assertThat(served.resolve(fx.dir.relative(old))).hasSameBinaryContentAs(old); // uploaded, just not provable
        JsonNode line = ledgerLines().getFirst();
        assertThat(line.get("result").asText()).isEqualTo("unverified");
        assertThat(line.get("remote_md5").isNull()).isTrue();
        assertThat(line.get("remote_bytes").asLong()).isEqualTo(Files.size(old));
    }

    private String sftpRemote(int port) {
        return ":sftp,host=127.0.0.1,port=" + port + ",user=" + SFTP_USER + ",pass=" + RcloneProcess.obscure(SFTP_PASS)
                + ":";
    }

    private Path startSftp(int port) {
        Path served = RcloneRcdResource.current().newDir("sftp-");
        Path base = served.getParent();
        servers.add(RcloneProcess.start(
                port,
                base.resolve(served.getFileName() + ".log"),
                "serve",
                "sftp",
                served.toString(),
                "--addr",
                "127.0.0.1:" + port,
                "--user",
                SFTP_USER,
                "--pass",
                SFTP_PASS,
                "--config",
                conf(),
                "--cache-dir",
                base.resolve(served.getFileName() + "-cache").toString()));
        return served;
    }

    private static String conf() {
        return RcloneRcdResource.current().base().resolve("rclone.conf").toString();
    }

    /** Waits (bounded) until the copy has written some, but not all, bytes of the file on the remote side. */
    private static void awaitPartial(Path remoteFile, long fullSize) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            long size = partialSize(remoteFile);
            if (size > 0 && size < fullSize) {
                return;
            }
            assertThat(size).as("the copy finished before it could be cut").isLessThan(fullSize);
            Thread.sleep(20);
        }
        throw new AssertionError("no partial copy of " + remoteFile + " appeared within 30 s");
    }

    /** The file itself, or a temp sibling rclone writes first (newer rclone versions upload to *.partial). */
    private static long partialSize(Path remoteFile) throws IOException {
        if (!Files.isDirectory(remoteFile.getParent())) {
            return 0;
        }
        try (Stream<Path> s = Files.list(remoteFile.getParent())) {
            return s.filter(p -> p.getFileName()
                            .toString()
                            .startsWith(remoteFile.getFileName().toString()))
                    .mapToLong(p -> p.toFile().length())
                    .max()
                    .orElse(0);
        }
    }

    private void awaitRcloneUp() {
        Eventually.await("rclone back").pollInterval(Duration.ofMillis(200)).until(() -> {
            rclone.version();
            return true;
        });
        // Each rc call has its own breaker; the ones opened while rclone was dead would close by themselves after
        // their delay. In production the next run comes minutes later; here it comes at once.
        io.smallrye.faulttolerance.api.CircuitBreakerMaintenance.get().resetAll();
    }

    private List<Path> closedFiles() {
        return new io.orderbooks.shared.testing.DataDirReader(fx.dir).closedFiles(StreamName.WS_MARKET);
    }

    private List<JsonNode> ledgerLines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(fx.dir.ledger())) {
            return out;
        }
        for (String line : Files.readAllLines(fx.dir.ledger())) {
            out.add(Json.parse(line.getBytes()));
        }
        return out;
    }
}
