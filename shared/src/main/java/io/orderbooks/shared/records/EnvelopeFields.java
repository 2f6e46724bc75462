package io.orderbooks.shared.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The envelope fields of one record line (docs/DATA-FORMAT.md §2), read from the line's start and nothing more: the
 * reading counterpart of {@link Envelope}, for readers that count lines without parsing their payloads (the report).
 * One instance is reused for every line of a run; its values are those of the last {@link #parse}.
 * <p>
 * Data lines ({@code frame}, {@code frame_text}, {@code item}, {@code page}, {@code error}) are read by a small scanner
 * that stops at the payload: the envelope always starts {@code {"recv_us":…,"src":…} and puts {@code conn},
 * {@code seq}, {@code req}, {@code status} before it ({@link Envelope}), so the verbatim frame is never
 * parsed. Event lines ({@code "event":…}, a few per minute) and anything the scanner does not expect are parsed in
 * full with Jackson's streaming parser, top-level fields only.
 */
public final class EnvelopeFields {
    private long recvUs;
    private String src;
    private String conn;
    /** The websocket frame counter, or -1. */
    private long seq;

    private String event;
    private boolean frame;
    private boolean frameText;
    private boolean item;
    private boolean page;
    private boolean error;
    /** HTTP status of a request line or a {@code rate_limited} / {@code request_failed} event, or -1. */
    private int status;

    private String reason;
    private long lostLines;
    private long pausedMs;
    private long planned;
    private long received;
    private long missing;
    private long failedRequests;
    private boolean late;
    /** {@code frames} of a {@code disconnected} event: how many frames the connection had received, or -1. */
    private long frames;

    private long fromUs;
    private long toUs;

    public long recvUs() {
        return recvUs;
    }

    public String src() {
        return src;
    }

    public String conn() {
        return conn;
    }

    public long seq() {
        return seq;
    }

    public String event() {
        return event;
    }

    public boolean frame() {
        return frame;
    }

    public boolean frameText() {
        return frameText;
    }

    public boolean item() {
        return item;
    }

    public boolean page() {
        return page;
    }

    public boolean error() {
        return error;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public long lostLines() {
        return lostLines;
    }

    public long pausedMs() {
        return pausedMs;
    }

    public long planned() {
        return planned;
    }

    public long received() {
        return received;
    }

    public long missing() {
        return missing;
    }

    public long failedRequests() {
        return failedRequests;
    }

    public boolean late() {
        return late;
    }

    public long frames() {
        return frames;
    }

    public long fromUs() {
        return fromUs;
    }

    public long toUs() {
        return toUs;
    }

    private void reset() {
        recvUs = 0;
        src = null;
        conn = null;
        seq = -1;
        event = null;
        frame = frameText = item = page = error = late = false;
        status = -1;
        reason = null;
        lostLines = pausedMs = planned = received = missing = failedRequests = 0;
        frames = -1;
        fromUs = toUs = 0;
    }

    /** Reads a line; false when its start is not a JSON object envelope (the line is then counted as unreadable). */
    public boolean parse(byte[] b, int off, int len, boolean truncated) {
        reset();
        int r = scan(b, off, off + len);
        if (r == DONE) {
            return true;
        }
        reset();
        return parseWithJackson(b, off, len, truncated);
    }

    private static final int DONE = 0;
    private static final int FALLBACK = 1;

    private static final byte[] K_RECV_US = key("recv_us");
    private static final byte[] K_SRC = key("src");
    private static final byte[] K_CONN = key("conn");
    private static final byte[] K_SEQ = key("seq");
    private static final byte[] K_STATUS = key("status");
    private static final byte[] K_FRAME = key("frame");
    private static final byte[] K_FRAME_TEXT = key("frame_text");
    private static final byte[] K_ITEM = key("item");
    private static final byte[] K_PAGE = key("page");
    private static final byte[] K_ERROR = key("error");
    private static final byte[] WS = key("ws");
    private static final byte[] REST = key("rest");
    private static final byte[] GAMMA = key("gamma");

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.US_ASCII);
    }

    /** The fast path: {@code "key":number} and {@code "key":"plain string"} pairs up to the payload. */
    private int scan(byte[] b, int i, int end) {
        if (i >= end || b[i] != '{') {
            return FALLBACK;
        }
        i++;
        while (true) {
            if (i >= end || b[i] != '"') {
                return FALLBACK;
            }
            int ks = ++i;
            while (i < end && b[i] != '"') {
                if (b[i] == '\\') {
                    return FALLBACK;
                }
                i++;
            }
            int ke = i++;
            if (i >= end || b[i] != ':') {
                return FALLBACK;
            }
            i++;
            if (i >= end) {
                return FALLBACK;
            }
            int klen = ke - ks;
            if (is(b, ks, klen, K_FRAME)) {
                frame = true;
                return DONE;
            }
            if (is(b, ks, klen, K_FRAME_TEXT)) {
                frameText = true;
                return DONE;
            }
            if (is(b, ks, klen, K_ITEM)) {
                item = true;
                return DONE;
            }
            if (is(b, ks, klen, K_PAGE)) {
                page = true;
                return DONE;
            }
            if (is(b, ks, klen, K_ERROR)) {
                error = true;
                return DONE;
            }
            byte c = b[i];
            if (c == '"') {
                int vs = ++i;
                while (i < end && b[i] != '"') {
                    if (b[i] == '\\') {
                        return FALLBACK;
                    }
                    i++;
                }
                if (i >= end) {
                    return FALLBACK;
                }
                int ve = i++;
                if (is(b, ks, klen, K_SRC)) {
                    src = is(b, vs, ve - vs, WS)
                            ? "ws"
                            : is(b, vs, ve - vs, REST)
                                    ? "rest"
                                    : is(b, vs, ve - vs, GAMMA)
                                            ? "gamma"
                                            : new String(b, vs, ve - vs, StandardCharsets.UTF_8);
                } else if (is(b, ks, klen, K_CONN)) {
                    conn = new String(b, vs, ve - vs, StandardCharsets.UTF_8);
                } else if (klen == 5 && b[ks] == 'e') {
                    return FALLBACK; // "event": an in-band event, read in full
                }
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                boolean negative = c == '-';
                if (negative) {
                    i++;
                }
                long v = 0;
                int digits = 0;
                while (i < end && b[i] >= '0' && b[i] <= '9' && digits < 19) {
                    v = v * 10 + (b[i++] - '0');
                    digits++;
                }
                if (digits == 0
                        || (i < end && (b[i] == '.' || b[i] == 'e' || b[i] == 'E' || (b[i] >= '0' && b[i] <= '9')))) {
                    return FALLBACK;
                }
                v = negative ? -v : v;
                if (is(b, ks, klen, K_RECV_US)) {
                    recvUs = v;
                } else if (is(b, ks, klen, K_SEQ)) {
                    seq = v;
                } else if (is(b, ks, klen, K_STATUS)) {
                    status = (int) v;
                }
            } else {
                return FALLBACK;
            }
            if (i >= end) {
                return FALLBACK;
            }
            if (b[i] == '}') {
                return DONE;
            }
            if (b[i] != ',') {
                return FALLBACK;
            }
            i++;
        }
    }

    private static boolean is(byte[] b, int off, int len, byte[] key) {
        if (len != key.length) {
            return false;
        }
        for (int j = 0; j < len; j++) {
            if (b[off + j] != key[j]) {
                return false;
            }
        }
        return true;
    }

    private boolean parseWithJackson(byte[] b, int off, int len, boolean truncated) {
        try (JsonParser p = Json.FACTORY.createParser(b, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                JsonToken t = p.nextToken();
                switch (k) {
                    case "frame" -> {
                        frame = true;
                        return true;
                    }
                    case "frame_text" -> {
                        frameText = true;
                        return true;
                    }
                    case "item" -> {
                        item = true;
                        return true;
                    }
                    case "page" -> {
                        page = true;
                        return true;
                    }
                    default -> {}
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                switch (k) {
                    case "recv_us" -> recvUs = p.getValueAsLong();
                    case "src" -> src = p.getValueAsString();
                    case "conn" -> conn = p.getValueAsString();
                    case "seq" -> seq = p.getValueAsLong(-1);
                    case "event" -> event = p.getValueAsString();
                    case "error" -> error = true;
                    case "status" -> status = p.getValueAsInt(-1);
                    case "reason" -> reason = p.getValueAsString();
                    case "lost_lines" -> lostLines = p.getValueAsLong();
                    case "paused_ms" -> pausedMs = p.getValueAsLong();
                    case "planned" -> planned = p.getValueAsLong();
                    case "received" -> received = p.getValueAsLong();
                    case "missing" -> missing = p.getValueAsLong();
                    case "failed_requests" -> failedRequests = p.getValueAsLong();
                    case "late" -> late = p.getValueAsBoolean();
                    case "frames" -> frames = p.getValueAsLong(-1);
                    case "from_us" -> fromUs = p.getValueAsLong();
                    case "to_us" -> toUs = p.getValueAsLong();
                    default -> {}
                }
            }
            return true;
        } catch (IOException e) {
            // Only the start of an over-long line was handed over: what was read before the cut is what counts.
            return truncated && recvUs > 0;
        }
    }
}
