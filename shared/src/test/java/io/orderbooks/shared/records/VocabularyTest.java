package io.orderbooks.shared.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VocabularyTest {
    @Test
    void everyEventNameReadsBackAsItself() {
        for (Event e : Event.values()) {
            if (e != Event.UNKNOWN) {
                assertThat(Event.fromWire(e.wire())).isEqualTo(e);
            }
        }
        assertThat(Arrays.stream(Event.values()).filter(e -> e != Event.UNKNOWN).map(Event::wire))
                .contains(
                        "connected",
                        "connect_failed",
                        "subscribed",
                        "unsubscribed",
                        "disconnected",
                        "stale",
                        "split",
                        "lead",
                        "paused",
                        "resumed",
                        "rate_limited",
                        "request_failed",
                        "snapshot_round",
                        "tokens_skipped",
                        "gap")
                .doesNotHaveDuplicates();
    }

    @Test
    void aNameFromANewerWriterIsUnknownNotAnError() {
        assertThat(Event.fromWire("resubscribed")).isEqualTo(Event.UNKNOWN);
        assertThat(Event.fromWire(null)).isEqualTo(Event.UNKNOWN);
        assertThatThrownBy(Event.UNKNOWN::wire).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Envelope.event(1, "ws", "c", Event.UNKNOWN, Map.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void gapReasonsRoundTripAndAnUnknownOneKeepsItsSpelling() {
        for (GapReason r : GapReason.values()) {
            assertThat(GapReason.fromWire(r.wire())).isEqualTo(r);
        }
        assertThat(GapReason.fromWire("solar-flare")).isEqualTo(GapReason.UNKNOWN);
        Gap newer = new Gap("c", 1, 2, "solar-flare");
        assertThat(newer.kind()).isEqualTo(GapReason.UNKNOWN);
        assertThat(newer.reason()).isEqualTo("solar-flare");
        assertThat(new Gap(null, 1, 2, GapReason.QUEUE_FULL).reason()).isEqualTo("queue-full");
        assertThat(Arrays.stream(GapReason.values()).filter(GapReason::isLoss))
                .containsExactlyInAnyOrder(GapReason.QUEUE_FULL, GapReason.WRITE_ERROR);
    }

    @Test
    void anEventLineCarriesTheWireName() throws Exception {
        var line = Json.parse(Envelope.event(5, "ws", "ws-0.1", Event.CONNECT_FAILED, Map.of("attempt", 2)));
        assertThat(line.get("event").asText()).isEqualTo("connect_failed");
        assertThat(RecordKinds.gapOf(
                        Json.parse(Envelope.gap(6, "ws", new Gap("ws-0.1", 1, 5, GapReason.PONG_TIMEOUT), Map.of()))))
                .isEqualTo(new Gap("ws-0.1", 1, 5, "pong-timeout"));
    }
}
