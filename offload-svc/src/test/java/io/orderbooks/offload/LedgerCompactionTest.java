package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.offload.testing.SampleData;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.LedgerAction;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.manifests.LedgerReason;
import io.orderbooks.shared.manifests.LedgerResult;
import io.orderbooks.shared.testing.MutableClock;
import io.orderbooks.shared.testing.TempDataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ledger compaction on a fixture ledger (plain unit tests; the run with real rclone is {@code LedgerCompactionRunTest}):
 * what it keeps and archives, that every question offload asks the ledger gets the same answer afterwards, and that a
 * kill at any step leaves the old or the new ledger, never a broken one, and loses no line.
 */
class LedgerCompactionTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));
    private final List<TempDataDir> temps = new ArrayList<>();
    private TempDataDir temp;
    private DataDir dir;
    private final Map<String, String> files = new LinkedHashMap<>();
    private List<LocalFile> local;

    @BeforeEach
    void fixture() throws IOException {
        temp = newTemp();
        dir = temp.dataDir();
        // Files still on disk (written by the project's own writer, with real manifests).
        files.put("f1", dir.relative(SampleData.closedFile(dir, StreamName.WS_MARKET, hour(40), 5)));
        files.put("f2", dir.relative(SampleData.closedFile(dir, StreamName.WS_MARKET, hour(1), 5)));
        files.put("f3", dir.relative(SampleData.closedFile(dir, StreamName.REST_BOOKS, hour(35), 5)));
        files.put("f4", dir.relative(SampleData.closedFile(dir, StreamName.REST_BOOKS, hour(2), 5)));
        local = new LocalFiles(dir).closedWithManifest();
        // Files deleted by retention long ago (g1), recently (g2), named by a quarantine note (g3), and one whose
        // manifest is still on disk (a kill between retention's two deletes, g4).
        for (String g : List.of("g1", "g2", "g3", "g4")) {
            files.put(
                    g,
                    "raw/ws_market/dt=2026-10-01/hour=00/ws_market-20261001T00Z-vps1-000" + g.charAt(1) + ".jsonl.gz");
        }
        Path note = dir.quarantine().resolve("raw/ws_market/dt=2026-10-01/hour=00/x.jsonl.gz.note.json");
        Files.createDirectories(note.getParent());
        Files.writeString(
                note,
                "{\"schema\":\"orderbooks.quarantine-note/1\",\"original\":\"raw/x\","
                        + "\"quarantined_at\":\"2026-11-20T00:00:00Z\",\"reason\":\"torn\",\"replacement\":\""
                        + files.get("g3") + "\"}");
        Path leftover = dir.root().resolve(files.get("g4") + ".manifest.json");
        Files.createDirectories(leftover.getParent());
        Files.writeString(leftover, "{}");

        Ledger l = Ledger.open(dir, NOW);
        uploadBoth(l, "f1", days(40), "failed");
        uploadBoth(l, "f1", days(40), "verified");
        uploadBoth(l, "f2", days(1), "verified");
        uploadBoth(l, "f3", days(35), "verified");
        l.append(line(days(34), LedgerAction.RECHECK, LedgerKind.DATA, "f3", "missing", null));
        l.append(line(days(2), LedgerAction.UPLOAD, LedgerKind.DATA, "f4", "mismatch", null));
        for (String g : List.of("g1", "g2", "g3", "g4")) {
            uploadBoth(l, g, days(50), "verified");
            l.append(line(
                    g.equals("g2") ? days(10) : days(45),
                    LedgerAction.DELETE,
                    LedgerKind.DATA,
                    g,
                    "deleted",
                    LedgerReason.KEEP_DAYS));
        }
        l.append(new LedgerEntry(
                days(40),
                LedgerAction.QUARANTINE,
                LedgerKind.DATA,
                "raw/q1",
                1,
                "s",
                "m",
                "r",
                LedgerResult.QUARANTINED,
                null,
                null,
                0,
                "bytes differ"));
        l.append(new LedgerEntry(
                days(40),
                LedgerAction.PRUNE,
                LedgerKind.QUARANTINE,
                "quarantine/raw/q0",
                1,
                null,
                null,
                "r",
                LedgerResult.PRUNED,
                null,
                null,
                0,
                null,
                LedgerReason.REPLACEMENT_VERIFIED));
        Files.writeString(dir.ledger(), "not json\n", StandardOpenOption.APPEND);
        l.append(line(NOW.minusSeconds(3600), LedgerAction.UPLOAD, LedgerKind.DATA, "f4", "mismatch", null));
    }

    @AfterEach
    void cleanUp() {
        temps.forEach(TempDataDir::close);
    }

    @Test
    void compactionArchivesWhatDecidesNothingAndEveryAnswerOfTheLedgerStaysTheSame() throws Exception {
        List<String> original = Files.readAllLines(dir.ledger());
        Map<String, Object> before = decisions(Ledger.open(dir, NOW));

        Ledger ledger = Ledger.open(dir, NOW);
        LedgerCompactor.Result r = compactor(ledger).compact(CUTOFF, Ledger.Steps.NONE);

        assertThat(r.linesBefore()).isEqualTo(original.size()).isEqualTo(25);
        assertThat(r.linesArchived()).isEqualTo(12);
        assertThat(r.linesKept()).isEqualTo(13).isEqualTo(ledger.lines());
        assertThat(decisions(ledger)).isEqualTo(before);
        assertThat(decisions(Ledger.open(dir, NOW))).isEqualTo(before); // and as a restarted process reads it
        assertThat(before).containsEntry("verifiedUpstream g3", true);
        // What no one asks any more: g1 is gone from disk and named by no note, so its deletion left the ledger.
        assertThat(ledger.verifiedUpstream(files.get("g1"))).isFalse();
        assertThat(ledger.verifiedUpstream(files.get("g2"))).isTrue();
        assertThat(ledger.verifiedUpstream(files.get("g4"))).isTrue();
        List<String> kept = Files.readAllLines(dir.ledger());
        // Old and superseded (f1's failed attempt, f3's verified lines under its recheck), old and not verified (f3's
        // recheck, the quarantine and prune lines, the unreadable line), and the whole history of g1: archived.
        assertThat(kept)
                .noneMatch(s -> s.contains(files.get("g1"))
                        || s.contains("\"failed\"")
                        || s.contains("missing")
                        || s.contains("raw/q1")
                        || s.contains("pruned")
                        || s.equals("not json"));
        // Still deciding something: f1's verified pair, the young lines, g2's young deletion, g3 (named by a
        // quarantine note), g4 (its manifest is on disk), and f3's verified manifest line.
        assertThat(kept)
                .anyMatch(s -> s.contains(files.get("g3")) && s.contains("\"deleted\""))
                .anyMatch(s -> s.contains(files.get("g4")) && s.contains("\"deleted\""))
                .anyMatch(s -> s.contains(files.get("g2")) && s.contains("\"deleted\""));
        // Nothing is lost: the archive holds exactly the lines that left the ledger, in their order.
        List<String> archived = readArchives(dir);
        assertThat(archived).hasSize(12);
        List<String> union = new ArrayList<>(kept);
        union.addAll(archived);
        assertThat(union).containsExactlyInAnyOrderElementsOf(original);
        assertThat(r.archive().getFileName().toString()).isEqualTo("ledger-20261124T120000Z.jsonl.gz");

        // A second compaction finds nothing more to archive and writes nothing.
        assertThat(compactor(ledger).compact(CUTOFF, Ledger.Steps.NONE).compacted())
                .isFalse();
        assertThat(Files.readAllLines(dir.ledger())).isEqualTo(kept);
    }

    @Test
    void aKillAtAnyStepLeavesTheOldOrTheNewLedgerAndNoLineIsLost() throws Exception {
        byte[] oldBytes = Files.readAllBytes(dir.ledger());
        Set<String> original = new HashSet<>(Files.readAllLines(dir.ledger()));
        Map<String, LedgerEntry> oldLatest = Ledger.open(dir, NOW).latestByObject();
        Map<String, Path> snapshots = new TreeMap<>();
        Ledger ledger = Ledger.open(dir, NOW);
        // At each step, copy the data dir as it is on disk at that instant: what a kill -9 there would leave.
        compactor(ledger).compact(CUTOFF, step -> snapshots.put(step, copyOf(dir.root())));
        byte[] newBytes = Files.readAllBytes(dir.ledger());
        Map<String, LedgerEntry> newLatest = ledger.latestByObject();
        assertThat(newBytes).isNotEqualTo(oldBytes);
        assertThat(snapshots.keySet())
                .containsExactlyInAnyOrder("start", "archived", "temp-half-written", "temp-synced", "renamed", "done");

        for (Map.Entry<String, Path> s : snapshots.entrySet()) {
            DataDir crashed = DataDir.of(s.getValue());
            byte[] left = Files.readAllBytes(crashed.ledger());
            assertThat(left)
                    .as("ledger after a kill at %s", s.getKey())
                    .satisfiesAnyOf(
                            b -> assertThat(b).isEqualTo(oldBytes),
                            b -> assertThat(b).isEqualTo(newBytes));
            Set<String> all = new HashSet<>(Files.readAllLines(crashed.ledger()));
            all.addAll(readArchives(crashed));
            assertThat(all).as("lines after a kill at %s", s.getKey()).containsAll(original);

            // The restarted service opens it (removing a half-written temp file) and decides as before.
            Ledger reopened = Ledger.open(crashed, NOW);
            assertThat(reopened.latestByObject())
                    .satisfiesAnyOf(
                            m -> assertThat(m).isEqualTo(oldLatest),
                            m -> assertThat(m).isEqualTo(newLatest));
            try (Stream<Path> names = Files.list(crashed.ledger().getParent())) {
                assertThat(names.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
            // Its next compaction ends where the uninterrupted one did.
            compactor(reopened).compact(CUTOFF, Ledger.Steps.NONE);
            assertThat(Files.readAllBytes(crashed.ledger()))
                    .as("after a kill at %s and a new compaction", s.getKey())
                    .isEqualTo(newBytes);
            assertThat(decisions(reopened)).isEqualTo(decisions(ledger));
        }
    }

    @Test
    void compactionRunsOnceADayAndNeverTouchesTheLastDays() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        Ledger ledger = Ledger.open(dir, NOW);
        LedgerCompactor c = new LedgerCompactor(dir, ledger, settings().withLedgerKeepDays(30), clock);
        assertThat(c.maybeCompact().compacted()).isTrue();
        clock.advance(Duration.ofHours(11)); // 23:00 the same day
        assertThat(c.maybeCompact()).isEqualTo(LedgerCompactor.Result.NONE);
        clock.advance(Duration.ofDays(40)); // every line is old now; yesterday's and today's stay whatever the setting
        LedgerCompactor shortest = new LedgerCompactor(dir, ledger, settings().withLedgerKeepDays(2), clock);
        ledger.append(line(
                clock.instant().minus(Duration.ofHours(30)),
                LedgerAction.UPLOAD,
                LedgerKind.DATA,
                "f2",
                "failed",
                null));
        ledger.append(line(clock.instant(), LedgerAction.UPLOAD, LedgerKind.DATA, "f2", "verified", null));
        assertThat(shortest.maybeCompact().compacted()).isTrue();
        LocalDate today = LocalDate.parse("2027-01-03");
        assertThat(ledger.entriesOf(today.minusDays(1)))
                .extracting(e -> e.result().wire())
                .containsExactly("failed");
        assertThat(ledger.entriesOf(today)).extracting(e -> e.result().wire()).containsExactly("verified");
    }

    // --- fixture helpers ---

    /**
     * Every answer offload's decisions are made of: whether each local file is verified (upload, retention), whether
     * the replacement a quarantine note names is upstream (quarantine pruning; only g3 is named), and the lines of
     * yesterday and today (daily upload manifests).
     */
    private Map<String, Object> decisions(Ledger ledger) {
        Map<String, Object> out = new TreeMap<>();
        for (LocalFile f : local) {
            out.put("isVerified " + f.relative(), ledger.isVerified(f, Checksums.md5Hex(f.manifestBytes())));
        }
        out.put("verifiedUpstream g3", ledger.verifiedUpstream(files.get("g3")));
        for (int d = 0; d < 2; d++) {
            LocalDate day = LocalDate.ofInstant(NOW, java.time.ZoneOffset.UTC).minusDays(d);
            out.put("entriesOf " + day, ledger.entriesOf(day));
        }
        return out;
    }

    private LedgerCompactor compactor(Ledger ledger) {
        return new LedgerCompactor(
                DataDir.of(ledger.path().getParent().getParent()),
                ledger,
                settings(),
                java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
    }

    private OffloadSettings settings() {
        return OffloadSettings.defaults(dir.root().toString(), "testdisk:/nowhere");
    }

    private void uploadBoth(Ledger l, String name, Instant at, String result) throws IOException {
        l.append(line(at, LedgerAction.UPLOAD, LedgerKind.DATA, name, result, null));
        if (result.equals("verified")) {
            l.append(line(at, LedgerAction.UPLOAD, LedgerKind.MANIFEST, name, result, null));
        }
    }

    /** A line for a fixture file with the hashes of its manifest (so that isVerified can say yes). */
    private LedgerEntry line(
            Instant at, LedgerAction action, LedgerKind kind, String name, String result, LedgerReason reason) {
        String rel = files.get(name);
        LocalFile f =
                local.stream().filter(x -> x.relative().equals(rel)).findFirst().orElse(null);
        boolean manifest = LedgerKind.MANIFEST == kind;
        String file = manifest ? rel + ".manifest.json" : rel;
        String sha = f == null
                ? "sha-" + name
                : manifest
                        ? Checksums.sha256Hex(f.manifestBytes())
                        : f.manifest().sha256();
        String md5 = f == null
                ? "md5-" + name
                : manifest ? Checksums.md5Hex(f.manifestBytes()) : f.manifest().md5();
        return new LedgerEntry(
                at,
                action,
                kind,
                file,
                100,
                sha,
                md5,
                "testdisk:/r/" + file,
                LedgerResult.fromWire(result),
                md5,
                100L,
                1,
                null,
                reason);
    }

    private static Instant days(int n) {
        return NOW.minus(Duration.ofDays(n));
    }

    private static Instant hour(int daysAgo) {
        return NOW.minus(Duration.ofDays(daysAgo));
    }

    private TempDataDir newTemp() {
        TempDataDir t = TempDataDir.create();
        temps.add(t);
        return t;
    }

    private Path copyOf(Path root) {
        Path to = newTemp().root();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(root.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    static List<String> readArchives(DataDir dir) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir.ledgerArchive())) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir.ledgerArchive())) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("ledger-.*\\.jsonl\\.gz"))
                    .sorted()
                    .toList()) {
                try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    out.addAll(text.lines().toList());
                }
            }
        }
        return out;
    }
}
