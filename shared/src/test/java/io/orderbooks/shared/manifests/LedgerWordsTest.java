package io.orderbooks.shared.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderbooks.shared.records.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The ledger's action, kind and reason words (docs/OFFLOAD.md §5): spelled once, read without throwing. */
class LedgerWordsTest {
    private static final Instant T = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void everyWordReadsBackAsItself() throws Exception {
        for (LedgerAction a : LedgerAction.values()) {
            assertThat(LedgerAction.fromWire(a.wire())).isEqualTo(a);
        }
        for (LedgerKind k : LedgerKind.values()) {
            assertThat(LedgerKind.fromWire(k.wire())).isEqualTo(k);
        }
        for (LedgerReason r : LedgerReason.values()) {
            assertThat(LedgerReason.fromWire(r.wire())).isEqualTo(r);
        }
        assertThat(LedgerAction.DELETE.wire()).isEqualTo("delete");
        assertThat(LedgerKind.MANIFEST.wire()).isEqualTo("manifest");
        assertThat(LedgerKind.fromWire("mark")).isEqualTo(LedgerKind.MARK);
        assertThat(LedgerReason.DISK_LOW.wire()).isEqualTo("disk-low");
    }

    @Test
    void aLineWithWordsOfANewerWriterReadsAsUnknownAndIsNeverWrittenBack() throws Exception {
        LedgerEntry e = LedgerEntry.parse(Json.parse(
                ("{\"time\":\"2026-05-01T12:00:00Z\",\"action\":\"teleport\",\"kind\":\"hologram\",\"file\":\"f\","
                                + "\"result\":\"beamed\",\"reason\":\"solar-flare\"}")
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(e.action()).isEqualTo(LedgerAction.UNKNOWN);
        assertThat(e.kind()).isEqualTo(LedgerKind.UNKNOWN);
        assertThat(e.result()).isEqualTo(LedgerResult.UNKNOWN);
        assertThat(e.reason()).isEqualTo(LedgerReason.UNKNOWN);
        assertThat(e.verified()).isFalse();
        assertThat(e.deletedByRetention()).isFalse();
        assertThatThrownBy(e::toJsonLine).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLineOfTheFirstVersionWithoutActionOrKindIsAnUploadOfData() throws Exception {
        LedgerEntry e = LedgerEntry.parse(
                Json.parse("{\"time\":\"2026-05-01T12:00:00Z\",\"file\":\"f\",\"result\":\"verified\"}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(e.action()).isEqualTo(LedgerAction.UPLOAD);
        assertThat(e.kind()).isEqualTo(LedgerKind.DATA);
        assertThat(e.reason()).isNull();
        assertThat(e.verified()).isTrue();
    }

    @Test
    void aWrittenLineReadsBackWithTheSameWords() throws Exception {
        LedgerEntry d = new LedgerEntry(
                T,
                LedgerAction.DELETE,
                LedgerKind.DATA,
                "raw/ws_market/x.jsonl.gz",
                10,
                "s",
                "m",
                "r:/x",
                LedgerResult.DELETED,
                null,
                null,
                3,
                null,
                LedgerReason.KEEP_DAYS);
        String json = new String(d.toJsonLine(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"action\":\"delete\"", "\"kind\":\"data\"", "\"reason\":\"keep-days\"");
        LedgerEntry back = LedgerEntry.parse(Json.parse(json.strip().getBytes(StandardCharsets.UTF_8)));
        assertThat(back).isEqualTo(d);
        assertThat(back.deletedByRetention()).isTrue();
    }

    @Test
    void aLineWithoutActionKindOrResultIsRefusedAtConstruction() throws Exception {
        assertThatThrownBy(() -> new LedgerEntry(
                        T, null, LedgerKind.DATA, "f", 0, null, null, null, LedgerResult.VERIFIED, null, null, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
