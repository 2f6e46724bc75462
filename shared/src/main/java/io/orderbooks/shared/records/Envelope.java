package io.orderbooks.shared.records;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Builds the JSONL lines of docs/DATA-FORMAT.md §2: an envelope around the verbatim source bytes. The source JSON is
 * copied byte
 * for byte (never parsed and re-serialised), so prices and sizes stay strings and a book's {@code hash} still
 * verifies. The one change: raw CR/LF bytes, which valid JSON can only hold as insignificant whitespace, become
 * spaces, because a line must not break inside a record.
 * <p>
 * Every line starts with {@code {"recv_us":<n>,"src":"…"}, ends with {@code \n}, and is one JSON object.
 */
public final class Envelope {
    private Envelope() {}

    /** A websocket data frame that is JSON (object or array), kept verbatim. */
    public static byte[] ws(long recvUs, String conn, long seq, byte[] frame) {
        // The hot path (one call per frame): sized exactly when conn needs no escaping, so the line is built in
        // one array with no final copy.
        int connLen = Bytes.plainLength(conn);
        int exact = connLen < 0 ? -1 : WS_FIXED + Bytes.digits(recvUs) + connLen + Bytes.digits(seq) + frame.length;
        Bytes b = exact < 0
                ? head(recvUs, "ws", frame.length + 80)
                : new Bytes(exact, true).ascii("{\"recv_us\":").number(recvUs).ascii(",\"src\":\"ws\"");
        b.ascii(",\"conn\":")
                .string(conn)
                .ascii(",\"seq\":")
                .number(seq)
                .ascii(",\"frame\":")
                .rawJson(frame);
        return b.endLine();
    }

    /** Bytes of a ws line besides the numbers, the conn text and the frame: the keys, quotes, braces, newline. */
    private static final int WS_FIXED = "{\"recv_us\":,\"src\":\"ws\",\"conn\":\"\",\"seq\":,\"frame\":}\n".length();

    /** A websocket frame that is not JSON: kept as text, with the parser's complaint. */
    public static byte[] wsText(long recvUs, String conn, long seq, String text, String parseError) {
        Bytes b = head(recvUs, "ws", text.length() + 120);
        b.ascii(",\"conn\":")
                .string(conn)
                .ascii(",\"seq\":")
                .number(seq)
                .ascii(",\"frame_text\":")
                .string(text)
                .ascii(",\"parse_error\":")
                .string(parseError);
        return b.endLine();
    }

    /** One book of a REST {@code /books} (or {@code /book}) response, verbatim. */
    public static byte[] rest(long recvUs, String req, int status, long latencyMs, byte[] item) {
        return request(recvUs, "rest", req, status, latencyMs)
                .ascii(",\"item\":")
                .rawJson(item)
                .endLine();
    }

    /** A failed REST request: status (0 when no HTTP answer came) and error text, no item. */
    public static byte[] restError(long recvUs, String req, int status, long latencyMs, String error) {
        return request(recvUs, "rest", req, status, latencyMs)
                .ascii(",\"error\":")
                .string(error)
                .endLine();
    }

    /** One raw Gamma response page, verbatim. */
    public static byte[] gamma(long recvUs, String req, int status, long latencyMs, byte[] page) {
        return request(recvUs, "gamma", req, status, latencyMs)
                .ascii(",\"page\":")
                .rawJson(page)
                .endLine();
    }

    /** A failed Gamma request. */
    public static byte[] gammaError(long recvUs, String req, int status, long latencyMs, String error) {
        return request(recvUs, "gamma", req, status, latencyMs)
                .ascii(",\"error\":")
                .string(error)
                .endLine();
    }

    /** The fields every request line shares: {@code recv_us, src, req, status, latency_ms}. */
    private static Bytes request(long recvUs, String src, String req, int status, long latencyMs) {
        return head(recvUs, src, 256)
                .ascii(",\"req\":")
                .string(req)
                .ascii(",\"status\":")
                .number(status)
                .ascii(",\"latency_ms\":")
                .number(latencyMs);
    }

    /**
     * An in-band event ({@code connected}, {@code subscribed}, {@code disconnected}, {@code stale},
     * {@code rate_limited}, {@code request_failed}, {@code snapshot_round}, …) with extra fields (strings, numbers,
     * booleans, lists).
     */
    public static byte[] event(long recvUs, String src, String conn, Event event, Map<String, ?> fields) {
        String name = event.wire();
        byte[] json = Json.write(g -> {
            g.writeStartObject();
            g.writeNumberField("recv_us", recvUs);
            g.writeStringField("src", src);
            if (conn != null) {
                g.writeStringField("conn", conn);
            }
            g.writeStringField("event", name);
            for (Map.Entry<String, ?> e : fields.entrySet()) {
                if (!RESERVED.contains(e.getKey())) {
                    g.writeFieldName(e.getKey());
                    writeValue(g, e.getValue());
                }
            }
            g.writeEndObject();
        });
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    /** A gap record: {@code "event":"gap"} with its bounds; the writer also lists it in the file manifest. */
    public static byte[] gap(long recvUs, String src, Gap gap, Map<String, ?> fields) {
        var all = new java.util.LinkedHashMap<String, Object>();
        all.put("from_us", gap.fromUs());
        all.put("to_us", gap.toUs());
        all.put("reason", gap.reason());
        all.putAll(fields);
        return event(recvUs, src, gap.conn(), Event.GAP, all);
    }

    /**
     * A {@code rate_limited} event (docs/DATA-FORMAT.md §2, "Events"): one 429 answer from {@code endpoint} (e.g.
     * {@code POST /books}) to the
     * request {@code req}, retried or not, plus any {@code fields} the source knows (tokens asked for, Retry-After).
     */
    public static byte[] rateLimited(
            long recvUs, String src, String req, String endpoint, long latencyMs, Map<String, ?> fields) {
        var all = new java.util.LinkedHashMap<String, Object>();
        all.put("req", req);
        all.put("endpoint", endpoint);
        all.put("status", 429);
        all.put("latency_ms", latencyMs);
        all.putAll(fields);
        return event(recvUs, src, null, Event.RATE_LIMITED, all);
    }

    /**
     * A {@code request_failed} event: one attempt of the request {@code req} to {@code endpoint} that got no usable
     * answer, other than a 429 (which is a {@link #rateLimited} event): a 5xx ({@code status} the HTTP status), a 200
     * whose body could not be read ({@code status} 200), a timeout or an I/O error ({@code status} 0, no HTTP answer).
     * Written for every such attempt, whether or not a later attempt succeeded. {@code attempt} is 1 for the first
     * try of the request; {@code reason} says what went wrong; {@code fields} are what the source adds.
     */
    public static byte[] requestFailed(
            long recvUs,
            String src,
            String req,
            String endpoint,
            int status,
            int attempt,
            long latencyMs,
            String reason,
            Map<String, ?> fields) {
        var all = new java.util.LinkedHashMap<String, Object>();
        all.put("req", req);
        all.put("endpoint", endpoint);
        all.put("status", status);
        all.put("attempt", attempt);
        all.put("latency_ms", latencyMs);
        all.put("reason", reason);
        all.putAll(fields);
        return event(recvUs, src, null, Event.REQUEST_FAILED, all);
    }

    private static final java.util.Set<String> RESERVED = java.util.Set.of("recv_us", "src", "conn", "event");

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Number n) {
            if (n instanceof Double || n instanceof Float) {
                g.writeNumber(n.doubleValue());
            } else {
                g.writeNumber(n.longValue());
            }
        } else if (v instanceof Boolean bool) {
            g.writeBoolean(bool);
        } else if (v instanceof Iterable<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeString(v.toString());
        }
    }

    private static Bytes head(long recvUs, String src, int sizeHint) {
        return new Bytes(sizeHint + 48)
                .ascii("{\"recv_us\":")
                .number(recvUs)
                .ascii(",\"src\":\"")
                .ascii(src)
                .ascii("\"");
    }

    /** A growable byte buffer specialised for building one line. */
    static final class Bytes {
        private byte[] buf;
        private int len;

        Bytes(int capacity) {
            buf = new byte[Math.max(64, capacity)];
        }

        /** A buffer of exactly {@code size} bytes, for a line whose length is known in advance. */
        Bytes(int size, boolean exact) {
            buf = new byte[size];
        }

        /** Length of a string that {@link #string} copies unescaped (printable ASCII, no quote or backslash), else -1. */
        static int plainLength(String s) {
            if (s == null) {
                return -1;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    return -1;
                }
            }
            return s.length();
        }

        /** Decimal digits of {@code n}, with the sign. */
        static int digits(long n) {
            if (n < 0) {
                return n == Long.MIN_VALUE ? 20 : 1 + digits(-n);
            }
            int d = 1;
            for (long p = 10; d < 19 && n >= p; p *= 10) {
                d++;
            }
            return d;
        }

        private void ensure(int extra) {
            if (len + extra > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            }
        }

        Bytes ascii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[len++] = (byte) s.charAt(i);
            }
            return this;
        }

        /** Decimal digits straight into the buffer (same text as Long.toString, no String on the way). */
        Bytes number(long n) {
            if (n < 0) {
                if (n == Long.MIN_VALUE) {
                    return ascii(Long.toString(n));
                }
                ensure(1);
                buf[len++] = '-';
                n = -n;
            }
            int d = digits(n);
            ensure(d);
            for (int i = len + d - 1; i >= len; i--) {
                buf[i] = (byte) ('0' + (int) (n % 10));
                n /= 10;
            }
            len += d;
            return this;
        }

        /** The verbatim bytes (one bulk copy), then CR/LF turned into spaces where there are any. */
        Bytes rawJson(byte[] json) {
            ensure(json.length);
            System.arraycopy(json, 0, buf, len, json.length);
            if (hasCrOrLf(json)) {
                for (int i = len, end = len + json.length; i < end; i++) {
                    byte c = buf[i];
                    if (c == '\n' || c == '\r') {
                        buf[i] = ' ';
                    }
                }
            }
            len += json.length;
            return this;
        }

        private static final java.lang.invoke.VarHandle LONGS =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        private static final long ONES = 0x0101010101010101L;
        private static final long HIGHS = 0x8080808080808080L;

        /** Whether a CR or LF byte occurs, eight bytes per step (a word has a zero byte iff (v-1s) & ~v & 0x80s != 0). */
        static boolean hasCrOrLf(byte[] b) {
            int i = 0;
            for (int end = b.length - 7; i < end; i += 8) {
                long v = (long) LONGS.get(b, i);
                long lf = v ^ (ONES * '\n');
                long cr = v ^ (ONES * '\r');
                if (((((lf - ONES) & ~lf) | ((cr - ONES) & ~cr)) & HIGHS) != 0) {
                    return true;
                }
            }
            for (; i < b.length; i++) {
                if (b[i] == '\n' || b[i] == '\r') {
                    return true;
                }
            }
            return false;
        }

        /** A JSON string literal, escaped per RFC 8259 (control characters, quote, backslash). */
        Bytes string(String s) {
            if (s == null) {
                return ascii("null");
            }
            int plain = plainLength(s);
            if (plain >= 0) {
                ensure(plain + 2);
                buf[len++] = '"';
                for (int i = 0; i < plain; i++) {
                    buf[len++] = (byte) s.charAt(i);
                }
                buf[len++] = '"';
                return this;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            ensure(utf8.length + 2);
            buf[len++] = '"';
            for (byte c : utf8) {
                if (c == '"' || c == '\\') {
                    ensure(2);
                    buf[len++] = '\\';
                    buf[len++] = c;
                } else if (c >= 0 && c < 0x20) {
                    ascii(String.format("\\u%04x", (int) c));
                } else {
                    ensure(1);
                    buf[len++] = c;
                }
            }
            ensure(1);
            buf[len++] = '"';
            return this;
        }

        byte[] endLine() {
            ensure(2);
            buf[len++] = '}';
            buf[len++] = '\n';
            return len == buf.length ? buf : Arrays.copyOf(buf, len);
        }
    }
}
