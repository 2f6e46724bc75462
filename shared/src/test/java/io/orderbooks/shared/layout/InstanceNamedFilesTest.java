package io.orderbooks.shared.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderbooks.shared.testing.TempDataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The names of discovery's history copies and offload's daily upload manifests (docs/DATA-FORMAT.md §1): they carry
 * the writer's instance, names written before that still read, and neither form is ambiguous.
 */
class InstanceNamedFilesTest {
    private static final Instant AT = Instant.parse("2026-11-24T12:00:05Z");
    private static final LocalDate DAY = LocalDate.parse("2026-11-24");

    @ParameterizedTest
    @ValueSource(strings = {"vps1", "orderbooks-0", "a", "x-20261124t120005z", "-", "a_b-c-"})
    void historyCopyNamesWithAnInstanceRoundTripWhateverDashesItHolds(String instance) {
        HistoryCopyName name = HistoryCopyName.of(AT, InstanceId.of(instance));

        assertThat(name.fileName()).isEqualTo("tokens-20261124T120005Z-" + instance + ".json.gz");
        assertThat(HistoryCopyName.parse(name.fileName())).contains(name);
        assertThat(name.writer()).contains(InstanceId.of(instance));
        assertThat(name.dayFolder()).isEqualTo("2026-11-24");
    }

    @Test
    void historyCopyNamesWrittenBeforeInstancesStillParse() {
        assertThat(HistoryCopyName.parse("tokens-20261124T120005Z.json.gz"))
                .contains(HistoryCopyName.withoutInstance(AT))
                .get()
                .satisfies(n -> assertThat(n.writer()).isEmpty())
                .satisfies(n -> assertThat(n.fileName()).isEqualTo("tokens-20261124T120005Z.json.gz"));
        assertThat(DataDirScan.historyCopyTime("tokens-20261124T120005Z.json.gz"))
                .contains(AT);
        assertThat(DataDirScan.historyCopyTime("tokens-20261124T120005Z-orderbooks-0.json.gz"))
                .contains(AT);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "tokens-20261124T120005Z.json.gz.manifest.json",
                "tokens-20261124T120005Z-vps1.json.gz.manifest.json",
                "tokens-20261124T120005Z-.json.gz",
                "tokens-20261124T120005Z-VPS1.json.gz",
                "tokens-20261124T120005Z-a.b.json.gz",
                "tokens-20261124T1200Z-vps1.json.gz",
                "tokens-20260230T120005Z-vps1.json.gz",
                "tokens-20261124T250005Z.json.gz",
                ".tokens-20261124T120005Z-vps1.json.gz.1a2b.tmp",
                "tokens.json"
            })
    void whatIsNotAHistoryCopyNameDoesNotParse(String name) {
        assertThat(HistoryCopyName.parse(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vps1", "orderbooks-0", "2026-11-25", "a_b-c-"})
    void uploadManifestNamesWithAnInstanceRoundTripWhateverDashesItHolds(String instance) {
        UploadManifestName name = UploadManifestName.of(DAY, InstanceId.of(instance));

        assertThat(name.fileName()).isEqualTo("upload-2026-11-24-" + instance + ".json");
        assertThat(UploadManifestName.parse(name.fileName())).contains(name);
        assertThat(name.writer()).contains(InstanceId.of(instance));
    }

    @Test
    void uploadManifestNamesWrittenBeforeInstancesStillParse() {
        assertThat(UploadManifestName.parse("upload-2026-11-24.json"))
                .contains(UploadManifestName.withoutInstance(DAY))
                .get()
                .satisfies(n -> assertThat(n.writer()).isEmpty())
                .satisfies(n -> assertThat(n.fileName()).isEqualTo("upload-2026-11-24.json"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "upload-2026-11-24-.json",
                "upload-2026-11-24-VPS1.json",
                "upload-2026-1-24-vps1.json",
                "upload-2026-02-30-vps1.json",
                "upload-2026-11-24-vps1.json.tmp",
                "upload-20261124.json",
                "ledger.jsonl"
            })
    void whatIsNotAnUploadManifestNameDoesNotParse(String name) {
        assertThat(UploadManifestName.parse(name)).isEmpty();
    }

    @Test
    void writersMustNameTheirInstance() {
        assertThatThrownBy(() -> HistoryCopyName.of(AT, null)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> UploadManifestName.of(DAY, null)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> new HistoryCopyName(null, null)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> new UploadManifestName(null, null)).isInstanceOf(InvalidNameException.class);
    }

    /**
     * Two instances' copies of the same second, and a copy named before instances, side by side in one data dir (two
     * replicas merged, or an upgraded one): the scan lists all three in time order, same second by name, and nothing
     * that is only named like a copy.
     */
    @Test
    void theScanListsEveryInstancesCopiesAndTheOldOnes() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            DataDir dir = temp.dataDir();
            Path old = write(dir.historyCopy(HistoryCopyName.withoutInstance(AT.minusSeconds(60))));
            Path b = write(dir.tokensHistory(AT, InstanceId.of("orderbooks-1")));
            Path a = write(dir.tokensHistory(AT, InstanceId.of("orderbooks-0")));
            write(Path.of(a + ".manifest.json"));
            // Named like copies, but in the wrong day's folder or outside any: not copies.
            write(dir.historyDir().resolve("2026-11-23").resolve("tokens-20261124T120005Z-vps9.json.gz"));
            write(dir.historyDir().resolve("tokens-20261124T120005Z-vps9.json.gz"));

            List<DataDirScan.HistoryCopy> copies = DataDirScan.history(dir);

            assertThat(copies).extracting(DataDirScan.HistoryCopy::copy).containsExactly(old, a, b);
            assertThat(copies)
                    .extracting(c -> c.name().writer().map(InstanceId::value).orElse("-"))
                    .containsExactly("-", "orderbooks-0", "orderbooks-1");
            assertThat(copies.get(1).manifest()).isEqualTo(Path.of(a + ".manifest.json"));
            assertThat(copies.get(2).manifest()).isNull();
            assertThat(copies.get(1).generatedAt()).isEqualTo(AT);
        }
    }

    private static Path write(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
        return p;
    }
}
