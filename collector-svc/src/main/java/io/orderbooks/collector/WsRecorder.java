package io.orderbooks.collector;

import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Event;
import io.orderbooks.shared.records.FrameScanner;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.records.Line;
import io.orderbooks.shared.records.RecordKinds;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What a websocket connection writes into {@code ws_market} (docs/DATA-FORMAT.md §2): every data frame verbatim
 * with {@code recv_us}, the connection id and its {@code seq} (text that is not JSON as an {@code unparsed} line),
 * in-band events and gaps.
 */
final class WsRecorder {
    private final StreamPump pump;
    private final WsStats stats;

    WsRecorder(StreamPump pump, WsStats stats) {
        this.pump = pump;
        this.stats = stats;
    }

    /** Records one message and returns what the scanner found in it (its assets, its kind). */
    FrameScanner.Result frame(String connId, long seq, long recvUs, byte[] bytes) {
        FrameScanner.Result r = FrameScanner.scan(bytes);
        Line line;
        if (r.valid()) {
            line = Line.of(recvUs, r.kind(), r.assets(), Envelope.ws(recvUs, connId, seq, bytes));
        } else {
            line = Line.of(
                    recvUs,
                    RecordKinds.UNPARSED,
                    List.of(),
                    Envelope.wsText(recvUs, connId, seq, new String(bytes, StandardCharsets.UTF_8), r.error()));
        }
        stats.frame(line.kind());
        pump.offer(line);
        return r;
    }

    void event(String connId, Event name, Map<String, ?> fields) {
        long now = Clocks.nowMicros();
        pump.offer(Line.event(now, Envelope.event(now, "ws", connId, name, fields)));
    }

    /** A gap closed by a (re)subscription at {@code nowUs}. */
    void gap(long nowUs, Gap gap, Map<String, Object> fields) {
        pump.offer(Line.gap(nowUs, gap, Envelope.gap(nowUs, "ws", gap, fields)));
        stats.gap();
    }
}
