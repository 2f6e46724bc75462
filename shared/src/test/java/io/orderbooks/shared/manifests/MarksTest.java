package io.orderbooks.shared.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.InvalidNameException;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.testing.TempDataDir;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MarksTest {
    private final TempDataDir temp = TempDataDir.create();
    private final DataDir dir = temp.dataDir();
    private final Instant at = Instant.parse("2026-12-02T14:05:00Z");
    private final Instant h13 = Instant.parse("2026-12-02T13:00:00Z");
    private final RawFile ws13 = new RawFile(StreamName.WS_MARKET, h13, InstanceId.of("vps1"), 1);
    private final RawFile ws13other = new RawFile(StreamName.WS_MARKET, h13, InstanceId.of("vps2"), 1);
    private final RawFile rest13 = new RawFile(StreamName.REST_BOOKS, h13, InstanceId.of("vps1"), 1);

    @AfterEach
    void cleanUp() {
        temp.close();
    }

    @Test
    void aFileMarkLivesUnderMarksBesideItsFilesFolderAndReadsBack() throws Exception {
        InvalidMark m = InvalidMark.forFile(ws13.relativePath(), "frames from a misconfigured proxy", "ops", at);
        Path written = Marks.write(dir, m);

        assertThat(dir.relative(written))
                .isEqualTo("marks/raw/ws_market/dt=2026-12-02/hour=13/" + m.id() + ".mark.json");
        assertThat(m.remotePath()).isEqualTo("raw/ws_market/dt=2026-12-02/hour=13/" + m.id() + ".mark.json");
        assertThat(DataDirScan.marks(dir)).containsExactly(written);
        Marks.Loaded loaded = Marks.read(dir);
        assertThat(loaded.active()).containsExactly(m);
        assertThat(loaded.bad()).isEmpty();
        assertThat(loaded.covering(ws13)).containsExactly(m);
        assertThat(loaded.covering(ws13other)).isEmpty();
        assertThat(loaded.covering(rest13)).isEmpty();
        assertThat(loaded.coveringHour(StreamName.WS_MARKET, h13)).containsExactly(m);
        assertThat(loaded.coveringHour(StreamName.WS_MARKET, h13.plusSeconds(3600)))
                .isEmpty();
        assertThatThrownBy(() -> Marks.write(dir, m)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void anHoursMarkTakesInEveryInstanceUnlessItNamesOne() throws Exception {
        InvalidMark all = InvalidMark.forHours(
                StreamName.WS_MARKET, null, h13, h13.plusSeconds(7200), "clock of the host jumped", "ops", at);
        InvalidMark one = InvalidMark.forHours(
                StreamName.REST_BOOKS, InstanceId.of("vps1"), h13, h13.plusSeconds(3600), "proxy", "ops", at);
        Marks.write(dir, all);
        Marks.write(dir, one);

        Marks.Loaded loaded = Marks.read(dir);
        assertThat(loaded.covering(ws13)).containsExactly(all);
        assertThat(loaded.covering(ws13other)).containsExactly(all);
        assertThat(loaded.covering(rest13)).containsExactly(one);
        assertThat(loaded.covering(new RawFile(StreamName.REST_BOOKS, h13, InstanceId.of("vps2"), 1)))
                .isEmpty();
        assertThat(all.remotePath()).isEqualTo("raw/ws_market/" + all.id() + ".mark.json");
        assertThat(all.describe()).isEqualTo("ws_market (every instance) 2026-12-02T13Z .. 2026-12-02T15Z");
    }

    @Test
    void aRevocationWithdrawsTheMarkAndBothFilesStay() throws Exception {
        InvalidMark m = InvalidMark.forFile(ws13.relativePath(), "suspected bad", "ops", at);
        Marks.write(dir, m);
        InvalidMark r = InvalidMark.revocationOf(m, "checked: the data is fine", "ops", at.plusSeconds(60));
        Marks.write(dir, r);

        Marks.Loaded loaded = Marks.read(dir);
        assertThat(loaded.active()).isEmpty();
        assertThat(loaded.revoked()).containsExactly(new Marks.Revoked(m, r));
        assertThat(DataDirScan.marks(dir)).hasSize(2);
        assertThatThrownBy(() -> InvalidMark.revocationOf(r, "again", "ops", at))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badMarkFilesAreListedWithTheirReasonAndTheGoodRestStillApplies() throws Exception {
        InvalidMark good = InvalidMark.forFile(ws13.relativePath(), "bad frames", "ops", at);
        Marks.write(dir, good);
        Path folder = dir.root().resolve("marks/raw/ws_market/dt=2026-12-02/hour=13");
        Files.writeString(folder.resolve("truncated.mark.json"), "{\"schema\":\"orderbooks.invalid-mark/1\",\"id\"");
        Files.writeString(
                folder.resolve("noreason.mark.json"),
                new String(good.toJson()).replace("\"bad frames\"", "\"\"").replace(good.id(), "m2"));
        InvalidMark elsewhere = InvalidMark.forFile(rest13.relativePath(), "wrong folder", "ops", at);
        Files.write(folder.resolve(elsewhere.id() + ".mark.json"), elsewhere.toJson());
        InvalidMark orphan = InvalidMark.revocationOf(
                InvalidMark.forFile(ws13.relativePath(), "never written", "ops", at), "undo", "ops", at);
        Marks.write(dir, orphan);
        Files.writeString(folder.resolve(".half.mark.json.1a2b.tmp"), "{");

        Marks.Loaded loaded = Marks.read(dir);
        assertThat(loaded.active()).containsExactly(good);
        List<String> reasons =
                loaded.bad().stream().map(b -> b.file() + ": " + b.reason()).toList();
        assertThat(reasons)
                .hasSize(4)
                .anySatisfy(r -> assertThat(r).contains("truncated.mark.json: not JSON"))
                .anySatisfy(r -> assertThat(r).contains("noreason.mark.json").contains("a reason is required"))
                .anySatisfy(r -> assertThat(r).contains("not where its scope puts it"))
                .anySatisfy(r -> assertThat(r).contains("which is no mark in force"));
    }

    @Test
    void aMarkRefusesWhatItCannotMean() {
        assertThatThrownBy(() -> InvalidMark.forFile("raw/ws_market/x.jsonl.gz", "r", "ops", at))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() ->
                        InvalidMark.forFile("raw/ws_market/dt=2026-12-02/hour=14/" + ws13.fileName(), "r", "ops", at))
                .hasMessageContaining("not a raw file's data-dir relative path");
        assertThatThrownBy(() -> InvalidMark.forHours(StreamName.WS_MARKET, null, h13, h13, "r", "ops", at))
                .hasMessageContaining("must be before");
        assertThatThrownBy(() -> InvalidMark.forHours(
                        StreamName.WS_MARKET, null, h13.plusSeconds(60), h13.plusSeconds(7200), "r", "ops", at))
                .hasMessageContaining("whole UTC hours");
        assertThatThrownBy(() -> InvalidMark.forFile(ws13.relativePath(), " ", "ops", at))
                .hasMessageContaining("a reason is required");
    }
}
