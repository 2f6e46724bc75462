package io.orderbooks.shared.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.shared.testing.SampleLines;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Envelope fields read from lines built by {@link Envelope}, the writers' own line builder. */
class EnvelopeFieldsTest {
    private final EnvelopeFields f = new EnvelopeFields();

    private boolean parse(byte[] line) {
        return f.parse(line, 0, line.length - 1, false); // without the newline, as GzipLines hands lines over
    }

    @Test
    void websocketFrameLines() {
        assertThat(parse(SampleLines.wsPriceChange(1764000000223456L, "ws-03.7", 41235)
                        .bytes()))
                .isTrue();
        assertThat(f.recvUs()).isEqualTo(1764000000223456L);
        assertThat(f.src()).isEqualTo("ws");
        assertThat(f.conn()).isEqualTo("ws-03.7");
        assertThat(f.seq()).isEqualTo(41235);
        assertThat(f.frame()).isTrue();
        assertThat(f.event()).isNull();

        assertThat(parse(Envelope.wsText(5, "ws-00.0", 7, "{\"cut", "Unexpected end-of-input")))
                .isTrue();
        assertThat(f.frameText()).isTrue();
        assertThat(f.seq()).isEqualTo(7);
    }

    @Test
    void onlyTheStartOfAnOverlongFrameIsNeeded() {
        byte[] line = SampleLines.wsPriceChange(9, "ws-01.2", 3).bytes();
        assertThat(f.parse(line, 0, 60, true)).isTrue(); // cut inside the frame
        assertThat(f.conn()).isEqualTo("ws-01.2");
        assertThat(f.seq()).isEqualTo(3);
        assertThat(f.frame()).isTrue();
    }

    @Test
    void requestLines() {
        assertThat(parse(Envelope.rest(
                        10, "books#1.0", 200, 84, "{\"asset_id\":\"1\"}".getBytes(StandardCharsets.UTF_8))))
                .isTrue();
        assertThat(f.item()).isTrue();
        assertThat(f.status()).isEqualTo(200);
        assertThat(parse(Envelope.restError(10, "books#1.1", 503, 84, "HTTP 503")))
                .isTrue();
        assertThat(f.error()).isTrue();
        assertThat(f.status()).isEqualTo(503);
        assertThat(parse(Envelope.gamma(10, "page#1", 200, 50, "{\"markets\":[]}".getBytes(StandardCharsets.UTF_8))))
                .isTrue();
        assertThat(f.page()).isTrue();
        assertThat(f.src()).isEqualTo("gamma");
    }

    @Test
    void eventLinesAreReadInFull() {
        assertThat(parse(Envelope.event(
                        11, "ws", "ws-00.3", Event.DISCONNECTED, Map.of("reason", "stale", "frames", 812))))
                .isTrue();
        assertThat(f.event()).isEqualTo("disconnected");
        assertThat(f.conn()).isEqualTo("ws-00.3");
        assertThat(f.frames()).isEqualTo(812);

        Map<String, Object> round = new LinkedHashMap<>();
        round.put("planned", 10);
        round.put("received", 8);
        round.put("missing", 2);
        round.put("missing_sample", List.of("1", "2"));
        round.put("failed_requests", 1);
        round.put("late", true);
        assertThat(parse(Envelope.event(12, "rest", null, Event.SNAPSHOT_ROUND, round)))
                .isTrue();
        assertThat(f.event()).isEqualTo("snapshot_round");
        assertThat(f)
                .extracting(
                        x -> x.planned(), x -> x.received(), x -> x.missing(), x -> x.failedRequests(), x -> x.late())
                .containsExactly(10L, 8L, 2L, 1L, true);

        assertThat(parse(Envelope.gap(13, "ws", new Gap(null, 100, 200, "queue-full"), Map.of("lost_lines", 42))))
                .isTrue();
        assertThat(f)
                .extracting(x -> x.event(), x -> x.reason(), x -> x.fromUs(), x -> x.toUs(), x -> x.lostLines())
                .containsExactly("gap", "queue-full", 100L, 200L, 42L);

        assertThat(parse(Envelope.rateLimited(14, "rest", "books#2.0", "POST /books", 30, Map.of("tokens", 500))))
                .isTrue();
        assertThat(f.event()).isEqualTo("rate_limited");
        assertThat(f.status()).isEqualTo(429);

        assertThat(parse(Envelope.requestFailed(
                        16, "rest", "books#2.0", "POST /books", 200, 2, 30, "unreadable body", Map.of("tokens", 500))))
                .isTrue();
        assertThat(f).extracting(x -> x.event(), x -> x.status()).containsExactly("request_failed", 200);

        assertThat(parse(Envelope.event(15, "ws", "ws-00.0", Event.RESUMED, Map.of("paused_ms", 1234, "queue", 9))))
                .isTrue();
        assertThat(f.pausedMs()).isEqualTo(1234);
    }

    @Test
    void escapesAndOddEnvelopesFallBackToJackson() {
        byte[] line = Envelope.ws(16, "ws-\"odd\".1", 4, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(parse(line)).isTrue();
        assertThat(f.conn()).isEqualTo("ws-\"odd\".1");
        assertThat(f.seq()).isEqualTo(4);

        byte[] notJson = "not json at all\n".getBytes(StandardCharsets.UTF_8);
        assertThat(parse(notJson)).isFalse();
        byte[] array = "[1,2]\n".getBytes(StandardCharsets.UTF_8);
        assertThat(parse(array)).isFalse();
    }
}
