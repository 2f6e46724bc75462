package io.orderbooks.shared.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameScannerTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"market\":\"0x1\",\"price_changes\":[{\"asset_id\":\"11\",\"price\":\"0.5\",\"size\":\"0\",\"side\":\"BUY\"},{\"asset_id\":\"12\",\"price\":\"0.5\",\"size\":\"3\",\"side\":\"SELL\"}],\"timestamp\":\"1\",\"event_type\":\"price_change\"}",
                "[{\"event_type\":\"book\",\"asset_id\":\"11\",\"bids\":[{\"price\":\"0.1\",\"size\":\"1\"}],\"asks\":[]},{\"event_type\":\"book\",\"asset_id\":\"12\",\"bids\":[],\"asks\":[]}]",
                "[{\"event_type\":\"book\",\"asset_id\":\"11\"},{\"event_type\":\"last_trade_price\",\"asset_id\":\"11\"}]",
                "[]",
                "{\"event_type\":\"new_market\",\"assets_ids\":[\"1\",\"2\"],\"event_message\":{\"event_type\":\"nested\",\"asset_id\":\"9\"}}",
                "{\"event_type\":42,\"asset_id\":7}",
                "[1,\"x\",{\"event_type\":\"tick_size_change\",\"asset_id\":\"5\"}]",
                "{\"asset_id\":\"1\",\"asset_id\":\"2\",\"event_type\":\"a\",\"event_type\":\"b\",\"new_field\":{\"x\":[1,2]}}"
            })
    void kindsAndAssetsAgreeWithTheCanonicalClassification(String frame) throws Exception {
        FrameScanner.Result r = FrameScanner.scan(frame.getBytes(StandardCharsets.UTF_8));
        assertThat(r.valid()).isTrue();
        var line = Json.parse(
                ("{\"recv_us\":1,\"src\":\"ws\",\"conn\":\"c\",\"seq\":0,\"frame\":" + frame + "}").getBytes());
        assertThat(r.kind()).isEqualTo(RecordKinds.kindOf(line));
        assertThat(r.assets()).containsExactlyInAnyOrderElementsOf(RecordKinds.assetsOf(line));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "PONG",
                "{\"event_type\":\"book\",\"asset_id\":\"1\"",
                "{\"a\":1} trailing",
                "\"just a string\"",
                "",
                "{\"event_type\":\"book\",\"bids\":[{\"price\":\"0.1\"}",
                "[{\"x\":1},"
            })
    void malformedOrTruncatedFramesAreFlaggedNotGuessed(String frame) {
        FrameScanner.Result r = FrameScanner.scan(frame.getBytes(StandardCharsets.UTF_8));
        assertThat(r.valid()).isFalse();
        assertThat(r.error()).isNotBlank();
        assertThat(r.assets()).isEqualTo(List.of());
    }
}
