package io.orderbooks.shared.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    private static JsonNode parse(byte[] line) throws Exception {
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        String s = new String(line, StandardCharsets.UTF_8);
        assertThat(s.indexOf('\n')).as("exactly one newline, at the end").isEqualTo(s.length() - 1);
        assertThat(s).startsWith("{\"recv_us\":");
        return Json.parse(line);
    }

    @Test
    void aWebsocketFrameIsCopiedVerbatimInsideTheEnvelope() throws Exception {
        String frame =
                "[{\"event_type\":\"book\",\"asset_id\":\"1\",\"bids\":[{\"price\":\"0.430\",\"size\":\"10\"}]}]";
        byte[] line = Envelope.ws(1764000000123456L, "ws-03.7", 41235, frame.getBytes(StandardCharsets.UTF_8));
        assertThat(new String(line, StandardCharsets.UTF_8))
                .isEqualTo("{\"recv_us\":1764000000123456,\"src\":\"ws\",\"conn\":\"ws-03.7\",\"seq\":41235,\"frame\":"
                        + frame + "}\n");
        JsonNode n = parse(line);
        assertThat(RecordKinds.kindOf(n)).isEqualTo("book");
        assertThat(RecordKinds.assetsOf(n)).containsExactly("1");
    }

    @Test
    void aRateLimitedEventCarriesTheRequestTheEndpointAndWhatTheSourceAdds() throws Exception {
        byte[] line = Envelope.rateLimited(7, "rest", "books#3.1", "POST /books", 12, Map.of("tokens", 500));
        assertThat(new String(line, StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"recv_us\":7,\"src\":\"rest\",\"event\":\"rate_limited\","
                                + "\"req\":\"books#3.1\",\"endpoint\":\"POST /books\",\"status\":429,\"latency_ms\":12,\"tokens\":500}\n");
        assertThat(RecordKinds.kindOf(parse(line))).isEqualTo(RecordKinds.EVENT);
    }

    @Test
    void aRequestFailedEventCarriesTheRequestItsAttemptStatusAndReason() throws Exception {
        byte[] line = Envelope.requestFailed(
                7, "rest", "books#3.1", "POST /books", 503, 2, 12, "HTTP 503: \"down\"", Map.of("tokens", 500));
        assertThat(new String(line, StandardCharsets.UTF_8))
                .isEqualTo("{\"recv_us\":7,\"src\":\"rest\",\"event\":\"request_failed\","
                        + "\"req\":\"books#3.1\",\"endpoint\":\"POST /books\",\"status\":503,\"attempt\":2,\"latency_ms\":12,"
                        + "\"reason\":\"HTTP 503: \\\"down\\\"\",\"tokens\":500}\n");
        assertThat(RecordKinds.kindOf(parse(line))).isEqualTo(RecordKinds.EVENT);
    }

    @Test
    void rawNewlinesInAPrettyPrintedFrameCannotBreakTheLine() throws Exception {
        byte[] line = Envelope.ws(
                1,
                "c",
                0,
                "{\n  \"event_type\": \"price_change\",\r\n \"price_changes\": [{\"asset_id\":\"7\"},{\"asset_id\":\"8\"}]\n}"
                        .getBytes());
        JsonNode n = parse(line);
        assertThat(RecordKinds.kindOf(n)).isEqualTo("price_change");
        assertThat(RecordKinds.assetsOf(n)).containsExactly("7", "8");
    }

    @Test
    void nonJsonFramesAreKeptAsEscapedText() throws Exception {
        String text = "{\"truncated\":\"quote\" \\ and\nnewline\u0001";
        JsonNode n = parse(Envelope.wsText(5, "c", 3, text, "Unexpected end-of-input"));
        assertThat(n.get("frame_text").asText()).isEqualTo(text);
        assertThat(RecordKinds.kindOf(n)).isEqualTo(RecordKinds.UNPARSED);
    }

    @Test
    void restGammaAndEventLinesHaveTheirKinds() throws Exception {
        JsonNode rest = parse(Envelope.rest(1, "books#1", 200, 84, "{\"asset_id\":\"9\",\"bids\":[]}".getBytes()));
        assertThat(rest.get("latency_ms").asLong()).isEqualTo(84);
        assertThat(RecordKinds.kindOf(rest)).isEqualTo("book");
        assertThat(RecordKinds.assetsOf(rest)).containsExactly("9");
        assertThat(RecordKinds.kindOf(parse(Envelope.restError(1, "books#2", 429, 3, "rate limited"))))
                .isEqualTo("error");
        assertThat(RecordKinds.kindOf(parse(Envelope.gamma(1, "keyset#1", 200, 40, "{\"markets\":[]}".getBytes()))))
                .isEqualTo("markets_page");
        JsonNode ev = parse(Envelope.event(
                2, "ws", "ws-1.0", Event.DISCONNECTED, Map.of("reason", "stale 60s", "assets", 412, "src", "ignored")));
        assertThat(ev.get("src").asText()).isEqualTo("ws");
        assertThat(ev.get("assets").asInt()).isEqualTo(412);
        assertThat(RecordKinds.kindOf(ev)).isEqualTo("event");
        Gap gap = new Gap("ws-1.0", 10, 20, "disconnected");
        assertThat(RecordKinds.gapOf(parse(Envelope.gap(21, "ws", gap, Map.of("reconnects", 2)))))
                .isEqualTo(gap);
    }

    @Test
    void arrayFramesAreClassifiedByTheirElements() throws Exception {
        assertThat(RecordKinds.frameKind(Json.parse("[]".getBytes()))).isEqualTo("empty");
        assertThat(RecordKinds.frameKind(
                        Json.parse("[{\"event_type\":\"book\"},{\"event_type\":\"book\"}]".getBytes())))
                .isEqualTo("book");
        assertThat(RecordKinds.frameKind(Json.parse("[{\"event_type\":\"book\"},{\"event_type\":\"x\"}]".getBytes())))
                .isEqualTo("mixed");
        assertThat(RecordKinds.frameKind(Json.parse("{\"no_type\":1}".getBytes())))
                .isEqualTo("unknown");
        assertThat(RecordKinds.frameKind(Json.parse("{\"event_type\":42}".getBytes())))
                .isEqualTo("unknown");
    }

    @Test
    void gapsNeedAReasonAndAnOrder() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Gap("c", 5, 4, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Gap("c", 4, 5, " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(new Gap(null, 1, 1, "crash"))).hasSize(1);
    }
}
