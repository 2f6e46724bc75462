package io.orderbooks.shared.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "WS", "ws/market", "..", "ws market", "ws\nmarket", "wś"})
    void malformedStreamNamesAreRejectedClearly(String bad) {
        assertThatThrownBy(() -> StreamName.of(bad))
                .isInstanceOf(InvalidNameException.class)
                .hasMessageContaining("stream name")
                .hasMessageContaining("[a-z0-9_-]");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "VPS1", "../etc", "a.b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            })
    void malformedInstanceIdsAreRejected(String bad) {
        assertThatThrownBy(() -> InstanceId.of(bad))
                .isInstanceOf(InvalidNameException.class)
                .hasMessageContaining("instance id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0x12", "12a", "-1", "1.5", " 1", "../1"})
    void malformedTokenIdsAreRejected(String bad) {
        assertThatThrownBy(() -> TokenId.of(bad))
                .isInstanceOf(InvalidNameException.class)
                .hasMessageContaining("token id");
    }

    @Test
    void nullsAndControlCharactersGiveReadableMessages() {
        assertThatThrownBy(() -> StreamName.of(null)).hasMessageContaining("missing");
        assertThatThrownBy(() -> InstanceId.of("a\u0000b")).hasMessageContaining("\\u0000");
    }

    @Test
    void hostNamesAreSanitisedIntoInstanceIds() {
        assertThat(InstanceId.sanitised("VPS-1.example.COM")).isEqualTo(InstanceId.of("vps-1-example-com"));
        assertThat(InstanceId.sanitised("..")).isEqualTo(InstanceId.of("local"));
        assertThat(InstanceId.fromHostname().value()).matches("[a-z0-9_-]+");
    }

    @Test
    void tokenIdsKeepAll78DigitsAndSortNumerically() {
        String big = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
        assertThat(TokenId.of(big).value()).hasSize(77);
        assertThat(TokenId.of("9").compareTo(TokenId.of("10"))).isNegative();
    }

    @Test
    void rawFileNamesFollowTheLayoutAndParseBack() {
        RawFile f =
                new RawFile(StreamName.WS_MARKET, Instant.parse("2026-11-24T12:00:00Z"), InstanceId.of("my-vps"), 7);
        assertThat(f.relativePath())
                .isEqualTo("raw/ws_market/dt=2026-11-24/hour=12/ws_market-20261124T12Z-my-vps-0007.jsonl.gz");
        assertThat(RawFile.parse(f.fileName())).isEqualTo(f);
        assertThat(RawFile.parse(f.baseName() + RawFile.OPEN_SUFFIX)).isEqualTo(f);
        assertThat(RawFile.parse(f.baseName() + RawFile.MANIFEST_SUFFIX)).isEqualTo(f);
        assertThat(RawFile.hourOf(Instant.parse("2026-11-24T12:59:59.999999Z").toEpochMilli() * 1000 + 999))
                .isEqualTo(Instant.parse("2026-11-24T12:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ws_market-20261124T12Z-vps1-0001.json",
                "ws_market-20261324T12Z-vps1-0001.jsonl.gz",
                "ws_market-20261124T25Z-vps1-0001.jsonl.gz",
                "WS-20261124T12Z-vps1-0001.jsonl.gz",
                "../x-20261124T12Z-vps1-0001.jsonl.gz",
                "ws_market-20261124T12Z-vps1-1.jsonl.gz",
                ".ws_market-20261124T12Z-vps1-0001.jsonl.gz.123.tmp"
            })
    void malformedFileNamesAreRejected(String bad) {
        assertThatThrownBy(() -> RawFile.parse(bad)).isInstanceOf(InvalidNameException.class);
    }

    @Test
    void rawFilesNeedAWholeHourAndAPositiveSequence() {
        assertThatThrownBy(() ->
                        new RawFile(StreamName.WS_MARKET, Instant.parse("2026-11-24T12:30:00Z"), InstanceId.of("a"), 1))
                .hasMessageContaining("whole UTC hour");
        assertThatThrownBy(() ->
                        new RawFile(StreamName.WS_MARKET, Instant.parse("2026-11-24T12:00:00Z"), InstanceId.of("a"), 0))
                .hasMessageContaining("sequence");
    }

    @Test
    void theDataDirNeverHandsOutAPathOutsideItself() {
        DataDir dir = DataDir.of(Path.of("/tmp/orderbooks-x"));
        assertThatThrownBy(() -> dir.relative(Path.of("/tmp/orderbooks-x/../etc/passwd")))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> dir.runManifest("../evil", "r1")).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> dir.runManifest("collector-svc", "a/b")).isInstanceOf(InvalidNameException.class);
        assertThat(dir.tokensFile()).isEqualTo(Path.of("/tmp/orderbooks-x/discovery/tokens.json"));
        assertThat(dir.tokensHistory(Instant.parse("2026-11-24T12:00:05.900Z"), InstanceId.of("orderbooks-0")))
                .isEqualTo(Path.of(
                        "/tmp/orderbooks-x/discovery/history/2026-11-24/tokens-20261124T120005Z-orderbooks-0.json.gz"));
        assertThat(dir.uploadManifest(java.time.LocalDate.parse("2026-11-24"), InstanceId.of("vps1")))
                .isEqualTo(Path.of("/tmp/orderbooks-x/offload/manifests/upload-2026-11-24-vps1.json"));
        assertThat(dir.quarantinePathFor(Path.of("/tmp/orderbooks-x/raw/a/b.gz")))
                .isEqualTo(Path.of("/tmp/orderbooks-x/quarantine/raw/a/b.gz"));
    }
}
