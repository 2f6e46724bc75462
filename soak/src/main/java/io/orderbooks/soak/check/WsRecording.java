package io.orderbooks.soak.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.sim.FrameDigest;
import io.orderbooks.sim.Oracle;
import io.orderbooks.soak.input.LineReader;
import io.orderbooks.soak.input.RawInventory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The collector's websocket connections rebuilt from the {@code ws_market} files (docs/DATA-FORMAT.md §2), in file
 * order: a connection runs from a {@code connected} event to the next one with the same id, so ids that repeat after
 * a restart stay apart. Each connection's frames are digested with the simulator's {@link FrameDigest}, over the
 * bytes stored, so a connection recorded whole has the oracle's frame count and SHA-256.
 * <p>
 * The hot path (one call per frame) reads the envelope's fixed prefix
 * {@code {"recv_us":…,"src":"ws","conn":"…","seq":…,"frame":} as bytes; any other line is parsed as JSON.
 */
public final class WsRecording {
    /** One recorded connection; {@code sim} and {@code match} are set by the matching. */
    public static final class Conn {
        public final String id;
        public final int ordinal;
        long connectedUs = -1;
        int assets = -1;
        long frames;
        long nextSeq;
        long holes;
        long reordered;
        String disconnectReason;
        long disconnectFrames = -1;
        private final FrameDigest digest = new FrameDigest();
        private String sha;
        Oracle.ConnectionRecord sim;
        String match = "";

        Conn(String id, int ordinal) {
            this.id = id;
            this.ordinal = ordinal;
        }

        public long frames() {
            return frames;
        }

        public long holes() {
            return holes;
        }

        /** The digest of every frame recorded; fixed at the first call (call it after reading). */
        public String sha() {
            if (sha == null) {
                sha = digest.hex();
            }
            return sha;
        }

        public String label() {
            return id + "#" + ordinal;
        }

        public String match() {
            return match;
        }
    }

    private static final byte[] RECV = ascii("{\"recv_us\":");
    private static final byte[] WS_CONN = ascii(",\"src\":\"ws\",\"conn\":\"");
    private static final byte[] SEQ = ascii(",\"seq\":");
    private static final byte[] FRAME = ascii(",\"frame\":");
    static final byte[] UNKNOWN_FIELD = ascii("sim_unknown_field");

    final List<Conn> conns = new ArrayList<>();
    private final Map<String, Conn> current = new HashMap<>();
    private final Map<String, Integer> ordinals = new HashMap<>();
    final Map<String, Long> events = new TreeMap<>();
    final Map<String, Long> disconnectReasons = new TreeMap<>();
    /** Per gap reason: count, total µs, longest µs (from the manifests). */
    final Map<String, long[]> gaps = new TreeMap<>();

    final Map<String, Long> kinds = new TreeMap<>();
    long unparsed;
    long unknownField;
    long queueFullLost;
    long lines;
    long tornLines;
    int files;

    public static WsRecording read(RawInventory inv) throws IOException {
        WsRecording r = new WsRecording();
        List<RawInventory.Closed> files = inv.stream("ws_market");
        r.files = files.size();
        for (RawInventory.Closed f : files) {
            r.tornLines += LineReader.gzip(f.path(), r::line);
        }
        for (RawInventory.Closed f : files) {
            f.manifest().counts().forEach((k, v) -> r.kinds.merge(k, v, Long::sum));
            for (Gap g : f.manifest().gaps()) {
                long[] a = r.gaps.computeIfAbsent(g.reason(), k -> new long[3]);
                long d = g.toUs() - g.fromUs();
                a[0]++;
                a[1] += d;
                a[2] = Math.max(a[2], d);
            }
        }
        return r;
    }

    public List<Conn> conns() {
        return conns;
    }

    public long tornLines() {
        return tornLines;
    }

    long gapCount(String reason) {
        long[] v = gaps.get(reason);
        return v == null ? 0 : v[0];
    }

    void line(byte[] line, int len) {
        lines++;
        if (LineReader.startsWith(line, len, 0, RECV)) {
            int p = RECV.length;
            long recv = 0;
            while (p < len && line[p] >= '0' && line[p] <= '9') {
                recv = recv * 10 + (line[p++] - '0');
            }
            if (LineReader.startsWith(line, len, p, WS_CONN)) {
                p += WS_CONN.length;
                int cs = p;
                while (p < len && line[p] != '"' && line[p] != '\\') {
                    p++;
                }
                if (p < len && line[p] == '"') {
                    String conn = new String(line, cs, p - cs, StandardCharsets.US_ASCII);
                    p++;
                    if (LineReader.startsWith(line, len, p, SEQ)) {
                        p += SEQ.length;
                        long seq = 0;
                        while (p < len && line[p] >= '0' && line[p] <= '9') {
                            seq = seq * 10 + (line[p++] - '0');
                        }
                        if (LineReader.startsWith(line, len, p, FRAME) && line[len - 1] == '}') {
                            p += FRAME.length;
                            frame(conn, seq, line, p, len - 1 - p);
                            return;
                        }
                    }
                }
            }
        }
        JsonNode o = JsonFields.parse(line, len);
        String conn = JsonFields.text(o, "conn");
        if (o.has("frame_text")) {
            unparsed++;
            byte[] text = String.valueOf(JsonFields.text(o, "frame_text")).getBytes(StandardCharsets.UTF_8);
            frame(conn, JsonFields.num(o, "seq", 0), text, 0, text.length);
            return;
        }
        if (o.has("frame")) { // an envelope in another key order than the writer's: the raw text after "frame":
            int at = LineReader.indexOf(line, 0, len, FRAME) + FRAME.length;
            frame(conn, JsonFields.num(o, "seq", 0), line, at, len - 1 - at);
            return;
        }
        String ev = JsonFields.text(o, "event");
        if (ev == null) {
            return;
        }
        events.merge(ev, 1L, Long::sum);
        switch (ev) {
            case "connected" -> {
                int n = ordinals.merge(conn, 1, Integer::sum);
                Conn c = new Conn(conn, n);
                c.connectedUs = JsonFields.num(o, "recv_us", 0);
                c.assets = (int) JsonFields.num(o, "assets", -1);
                conns.add(c);
                current.put(conn, c);
            }
            case "subscribed", "unsubscribed" -> {
                Conn c = current.get(conn);
                if (c != null) {
                    c.assets = (int) JsonFields.num(o, o.has("total") ? "total" : "assets", c.assets);
                }
            }
            case "disconnected" -> {
                Conn c = current.get(conn);
                String reason = JsonFields.text(o, "reason");
                disconnectReasons.merge(reason == null ? "?" : reason.replaceAll("\\s*\\(.*", ""), 1L, Long::sum);
                if (c != null) {
                    c.disconnectReason = reason;
                    c.disconnectFrames = JsonFields.num(o, "frames", -1);
                }
            }
            case "gap" -> {
                if ("queue-full".equals(JsonFields.text(o, "reason"))) {
                    queueFullLost += JsonFields.num(o, "lost_lines", 0);
                }
            }
            default -> {}
        }
    }

    private void frame(String connId, long seq, byte[] buf, int off, int n) {
        Conn c = current.get(connId);
        if (c == null || (seq == 0 && c.frames > 0)) { // frames without a recorded "connected": a new connection
            int k = ordinals.merge(connId, 1, Integer::sum);
            c = new Conn(connId, k);
            conns.add(c);
            current.put(connId, c);
        }
        if (seq > c.nextSeq) {
            c.holes += seq - c.nextSeq;
        } else if (seq < c.nextSeq) {
            c.reordered++;
        }
        c.nextSeq = seq + 1;
        c.frames++;
        c.digest.add(buf, off, n);
        if (LineReader.indexOf(buf, off, n, UNKNOWN_FIELD) >= 0) {
            unknownField++;
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
