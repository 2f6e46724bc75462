package io.orderbooks.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.sim.FrameDigest;
import io.orderbooks.soak.check.QualityRun;
import io.orderbooks.soak.input.Inputs;
import io.orderbooks.soak.input.SoakDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciliation over {@link SoakFixture}: the intact fixture passes; each test breaks one thing and expects the
 * FAIL of exactly its criterion (and, where the data-quality report necessarily sees the same damage, its FAIL too).
 */
class ReconcilerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    SoakFixture fx;

    @BeforeEach
    void fixture() throws IOException {
        fx = SoakFixture.build(root);
    }

    Reconciler.Outcome reconcile() throws IOException {
        return Reconciler.run(fx.dir, Reconciler.inProcess(), CLOCK);
    }

    Set<Criterion> failed(Reconciler.Outcome o) {
        return o.findings().failures().stream().map(Findings.Failure::criterion).collect(Collectors.toSet());
    }

    void assertFails(Criterion... expected) throws IOException {
        Reconciler.Outcome o = reconcile();
        assertThat(failed(o)).as(o.markdown()).containsExactlyInAnyOrder(expected);
        assertThat(o.markdown()).contains("**Verdict: FAIL**");
        assertThat(Files.readString(fx.dir.report())).isEqualTo(o.markdown());
    }

    // ---- PASS
    // ----------------------------------------------------------------------------------------------------------

    @Test
    void intactFixturePasses() throws IOException {
        Reconciler.Outcome o = reconcile();
        assertThat(o.findings().failures()).as(o.markdown()).isEmpty();
        String md = o.markdown();
        assertThat(md)
                .contains("**Verdict: PASS** (every check below held)")
                .contains("| oracle connections | 1 (1 matched exactly: same frame count and SHA-256) |")
                .contains("| frames sent | 20 |")
                .contains("| frames recorded | 20 |")
                .contains("| per token, stored = served (count and SHA-256) | 2 of 2 tokens |")
                .contains("| local closed files on the remote with the manifest's MD5 (data and manifest) | 3 of 3 |")
                .contains(
                        "| deleted by retention (keep-days 0: hours that had ended) | 1, of which 1 verified before deletion")
                .contains("| discovery runs / lists published | 2 / 2 ")
                .contains("### Over the data dir")
                .contains("### Over the whole archive")
                .contains("exited 0 (no integrity problem)")
                .contains("| collector | 98 / 98 / 98 | +0.0 (fds +0.0/h, threads +0.0/h; pid 1003, 0.6 h) |");
        // the report's files are left in the soak dir, as make report would write them
        assertThat(Files.readString(fx.dir.file("quality.rc")).trim()).isEqualTo("0");
        assertThat(Files.readString(fx.dir.file("quality-archive.rc")).trim()).isEqualTo("0");
        assertThat(fx.dir.file("quality-archive.json")).exists();
        assertThat(fx.dir.file(".archive-view")).doesNotExist();
    }

    @Test
    void tailLostInACollectorKillIsExplainedAndCheckedAgainstTheSidecar() throws IOException {
        List<String> sent = new ArrayList<>(fx.frames);
        sent.add("{\"event_type\":\"price_change\",\"lost\":1}");
        sent.add("{\"event_type\":\"price_change\",\"lost\":2}");
        fx.oracle(List.of(SoakFixture.connection(sent.size(), FrameDigest.of(sent))));
        fx.sidecar(sent);
        collectorKillAtConnectionClose();
        Reconciler.Outcome o = reconcile();
        assertThat(o.findings().failures()).as(o.markdown()).isEmpty();
        assertThat(o.markdown())
                .contains("| missing, explained | 2 ")
                .contains("the 20 recorded frames equal the first 20 sent (sidecar)")
                .contains("connection ended with the collector kill -9 at 10:01:30Z");
    }

    private void collectorKillAtConnectionClose() throws IOException {
        List<String> events = new ArrayList<>(Files.readAllLines(fx.dir.eventsLog()));
        events.add(SoakFixture.event(
                SoakFixture.T0.toEpochMilli() + 30_000, "collector", "stop-KILL", "1003", "fault: kill -9"));
        Files.write(fx.dir.eventsLog(), events);
    }

    // ---- websocket
    // -----------------------------------------------------------------------------------------------------

    @Test
    void noOracle() throws IOException {
        Files.delete(fx.dir.oracle());
        assertFails(Criterion.WS_NO_ORACLE);
    }

    @Test
    void simulatorRestarted() throws IOException {
        addEvent("sim", "unexpected-exit", "exit 137");
        // the watchdog's restart is an unexpected exit as well: the same event, judged by both families
        assertFails(Criterion.WS_SIM_RESTARTED, Criterion.PROCESS_UNEXPECTED_EXIT);
    }

    @Test
    void moreFramesRecordedThanSent() throws IOException {
        List<String> sent = fx.frames.subList(0, SoakFixture.FRAMES - 1);
        fx.oracle(List.of(SoakFixture.connection(sent.size(), FrameDigest.of(sent))));
        assertFails(Criterion.WS_EXTRA_FRAMES);
    }

    @Test
    void sameCountOtherDigest() throws IOException {
        List<String> sent = new ArrayList<>(fx.frames);
        sent.set(3, "{\"event_type\":\"price_change\",\"changed\":true}");
        fx.oracle(List.of(SoakFixture.connection(sent.size(), FrameDigest.of(sent))));
        assertFails(Criterion.WS_ALTERED);
    }

    @Test
    void truncatedConnectionWhoseRecordedPartDiffersFromTheSidecar() throws IOException {
        List<String> sent = new ArrayList<>(fx.frames);
        sent.set(0, "{\"event_type\":\"book\",\"other\":true}");
        sent.add("{\"event_type\":\"price_change\",\"lost\":1}");
        fx.oracle(List.of(SoakFixture.connection(sent.size(), FrameDigest.of(sent))));
        fx.sidecar(sent);
        collectorKillAtConnectionClose(); // the tail itself is explained
        assertFails(Criterion.WS_PREFIX_DIFFERS);
    }

    @Test
    void missingTailWithoutACrash() throws IOException {
        List<String> sent = new ArrayList<>(fx.frames);
        sent.add("{\"event_type\":\"price_change\",\"lost\":1}");
        fx.oracle(List.of(SoakFixture.connection(sent.size(), FrameDigest.of(sent))));
        fx.sidecar(sent);
        assertFails(Criterion.WS_MISSING_UNEXPLAINED);
    }

    @Test
    void recordedConnectionTheOracleNeverHad() throws IOException {
        fx.oracle(List.of());
        assertFails(Criterion.WS_UNMATCHED_CONNECTION);
    }

    @Test
    void tornLineInAClosedFile() throws IOException {
        Path rest = fx.local("rest_books");
        byte[] plain = SoakFixture.gunzip(rest);
        byte[] torn = new byte[plain.length + 12];
        System.arraycopy(plain, 0, torn, 0, plain.length);
        System.arraycopy("{\"recv_us\":1".getBytes(StandardCharsets.US_ASCII), 0, torn, plain.length, 12);
        replaceClosedFile(rest, SoakFixture.gzip(torn));
        // the data-quality report reads the same file and reports the torn last line as an integrity problem
        assertFails(Criterion.TORN_LINES, Criterion.QUALITY_PROBLEMS);
    }

    /** New bytes for a closed file, consistently: its manifest's size and checksums, the remote copies, the ledger. */
    private void replaceClosedFile(Path file, byte[] gz) throws IOException {
        String rel = fx.dir.data().relativize(file).toString();
        String oldMd5 = SoakFixture.md5(file);
        Path manifestPath = file.resolveSibling(file.getFileName() + ".manifest.json");
        String oldManifestMd5 = SoakFixture.md5(manifestPath);
        Files.write(file, gz);
        FileManifest m = FileManifest.parse(Files.readAllBytes(manifestPath));
        FileManifest changed = new FileManifest(
                m.file(),
                m.stream(),
                m.hour(),
                gz.length,
                sha256(gz),
                SoakFixture.md5(file),
                m.records(),
                m.uncompressedBytes(),
                m.firstRecvUs(),
                m.lastRecvUs(),
                m.counts(),
                m.assets(),
                m.gaps(),
                m.writer(),
                m.closedReason(),
                m.closedAt(),
                m.recovery());
        Files.write(manifestPath, changed.toJson());
        Files.copy(file, fx.dir.remote().resolve(rel), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
                manifestPath,
                fx.dir.remote().resolve(rel + ".manifest.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String newManifestMd5 = SoakFixture.md5(manifestPath);
        fx.ledger(fx.ledgerLines().stream()
                .map(l -> l.replace(oldMd5, changed.md5()).replace(oldManifestMd5, newManifestMd5))
                .toList());
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- REST
    // --------------------------------------------------------------------------------------------------------

    @Test
    void restBooksStoredDifferFromServed() throws IOException {
        restOracle(0, fx.books.get(0).size(), FrameDigest.of(List.of("{}", "{}")));
        assertFails(Criterion.REST_ALTERED);
    }

    @Test
    void moreRestBooksStoredThanServed() throws IOException {
        restOracle(0, 1, FrameDigest.of(fx.books.get(0).subList(0, 1)));
        assertFails(Criterion.REST_EXTRA_BOOKS);
    }

    @Test
    void restBooksForATokenNeverServed() throws IOException {
        List<String> lines = Files.readAllLines(fx.dir.oracleRest());
        Files.write(fx.dir.oracleRest(), lines.subList(0, 1));
        assertFails(Criterion.REST_UNSERVED_TOKENS);
    }

    private void restOracle(int token, long count, String sha) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(fx.dir.oracleRest()));
        lines.set(
                token,
                Inputs.JSON.writeValueAsString(
                        new io.orderbooks.sim.Oracle.RestBookRecord(SoakFixture.TOKENS.get(token), count, sha, "h")));
        Files.write(fx.dir.oracleRest(), lines);
    }

    // ---- offload
    // -----------------------------------------------------------------------------------------------------

    @Test
    void closedFileMissingOnTheRemote() throws IOException {
        Files.delete(fx.dir
                .remote()
                .resolve(fx.dir.data().relativize(fx.local("ws_market")).toString()));
        assertFails(Criterion.OFFLOAD_NOT_ON_REMOTE);
    }

    @Test
    void retentionDeletedAFileWithoutAVerifiedUpload() throws IOException {
        fx.ledger(fx.ledgerLines().stream()
                .filter(l -> !(l.contains("\"upload\"") && l.contains(fx.deletedRel)))
                .toList());
        assertFails(Criterion.OFFLOAD_DELETED_UNVERIFIED);
    }

    @Test
    void openFileLeft() throws IOException {
        Path ws = fx.local("ws_market");
        Files.write(
                ws.resolveSibling(ws.getFileName().toString().replace("-0001.", "-0002.") + ".open"),
                SoakFixture.gzip(new byte[0]));
        assertFails(Criterion.OFFLOAD_OPEN_LEFT);
    }

    @Test
    void closedDataFileWithoutManifest() throws IOException {
        Path ws = fx.local("ws_market");
        Files.copy(ws, ws.resolveSibling(ws.getFileName().toString().replace("-0001.", "-0002.")));
        // the data-quality report lists a closed file without a manifest as an integrity problem too
        assertFails(Criterion.OFFLOAD_NO_MANIFEST, Criterion.QUALITY_PROBLEMS);
    }

    @Test
    void finalFlushLeftABacklog() throws IOException {
        Files.writeString(
                fx.dir.soakEnv(),
                Files.readString(fx.dir.soakEnv())
                        .replace("final_flush_backlog_empty=yes", "final_flush_backlog_empty=no"));
        assertFails(Criterion.OFFLOAD_FLUSH_INCOMPLETE);
    }

    // ---- processes
    // ---------------------------------------------------------------------------------------------------

    @Test
    void startThatNeverAnswered() throws IOException {
        addEvent("discovery", "not-up", "no health answer after restart");
        assertFails(Criterion.PROCESS_NOT_UP);
    }

    @Test
    void serviceIgnoredSigterm() throws IOException {
        addEvent("discovery", "sigkill-after-grace", "TERM not obeyed within 30s");
        assertFails(Criterion.PROCESS_IGNORED_SIGTERM);
    }

    @Test
    void unexpectedExit() throws IOException {
        addEvent("offload", "unexpected-exit", "java.lang.OutOfMemoryError");
        assertFails(Criterion.PROCESS_UNEXPECTED_EXIT);
    }

    @Test
    void probeFailedInThreeSamplesInARow() throws IOException {
        fx.samples((svc, i) -> 100_000.0, (svc, i) -> svc.equals("discovery") && i >= 10 && i < 13 ? "0" : "1");
        assertFails(Criterion.PROCESS_PROBE_FAILURES);
    }

    @Test
    void faultNotApplied() throws IOException {
        List<String> faults = new ArrayList<>(Files.readAllLines(fx.dir.faultsLog()));
        faults.add(SoakFixture.fault(
                SoakFixture.T0.toEpochMilli() + 1_500_000, 1, "drop", "FAILED: curl: (7) Failed to connect"));
        Files.write(fx.dir.faultsLog(), faults);
        assertFails(Criterion.FAULT_NOT_APPLIED);
    }

    private void addEvent(String service, String event, String detail) throws IOException {
        List<String> events = new ArrayList<>(Files.readAllLines(fx.dir.eventsLog()));
        events.add(SoakFixture.event(SoakFixture.T0.toEpochMilli() + 900_000, service, event, "1009", detail));
        Files.write(fx.dir.eventsLog(), events);
    }

    // ---- resources
    // ---------------------------------------------------------------------------------------------------

    @Test
    void noSamples() throws IOException {
        Files.write(
                fx.dir.samples(), List.of(Files.readAllLines(fx.dir.samples()).get(0)));
        assertFails(Criterion.RESOURCES_NO_SAMPLES);
    }

    @Test
    void rssGrowthAboveTheLimit() throws IOException {
        fx.samples((svc, i) -> svc.equals("collector") ? 100_000.0 + 2048.0 * i : 100_000.0); // 2 MB/min = 120 MB/h
        Reconciler.Outcome o = reconcile();
        assertThat(failed(o)).as(o.markdown()).containsExactly(Criterion.RESOURCES_RSS_GROWTH);
        assertThat(o.findings().failures().get(0).message())
                .isEqualTo("collector (pid 1003): RSS grew 120.0 MB/h after warm-up, above the 64 MB/h limit");
    }

    // ---- data quality
    // ------------------------------------------------------------------------------------------------

    @Test
    void dataQualityReportFindsAProblem() throws IOException {
        // a manifest whose data file is gone without a deletion in the ledger: only the report looks at manifests alone
        Path ws = fx.local("ws_market");
        Path orphan = ws.resolveSibling(ws.getFileName().toString().replace("-0001.", "-0007.") + ".manifest.json");
        Files.copy(ws.resolveSibling(ws.getFileName() + ".manifest.json"), orphan);
        Reconciler.Outcome o = reconcile();
        assertThat(failed(o)).as(o.markdown()).containsExactly(Criterion.QUALITY_PROBLEMS);
        assertThat(o.findings().failures()).hasSize(2); // over the data dir and over the archive
        assertThat(o.markdown())
                .contains("exited 1 (integrity problems)")
                .contains("- manifest-without-data `raw/ws_market/");
    }

    @Test
    void dataQualityReportFailsToRun() throws IOException {
        Reconciler.Quality inProcess = Reconciler.inProcess();
        Reconciler.Outcome o = Reconciler.run(
                fx.dir,
                new Reconciler.Quality() {
                    @Override
                    public QualityRun.Outcome overDataDir(SoakDir dir, Clock asOf) throws IOException {
                        return inProcess.overDataDir(dir, asOf);
                    }

                    @Override
                    public QualityRun.Outcome overArchive(SoakDir dir, Clock asOf) {
                        return new QualityRun.Outcome("quality-archive", 2, "", "report: no such dir", null);
                    }
                },
                CLOCK);
        assertThat(failed(o)).as(o.markdown()).containsExactly(Criterion.QUALITY_TOOL_FAILED);
        assertThat(o.findings().failures().get(0).message())
                .isEqualTo(
                        "the data-quality report over the whole archive failed to run (exit 2): report: no such dir");
    }

    @Test
    void everyCriterionHasAFailTest() {
        // the tests above, one per criterion (kept in step by hand; this lists them so a new criterion is noticed)
        assertThat(Criterion.values()).hasSize(25);
    }

    @Test
    void mainExitCodes(@TempDir Path empty) throws IOException {
        assertThat(SoakMain.run(new String[] {})).isEqualTo(2);
        assertThat(SoakMain.run(new String[] {empty.resolve("nope").toString()}))
                .isEqualTo(2);
        assertThat(SoakMain.run(new String[] {root.toString()})).isEqualTo(0);
        Files.delete(fx.dir.oracle());
        assertThat(SoakMain.run(new String[] {root.toString()})).isEqualTo(1);
    }
}
