package io.orderbooks.sim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injected faults, switchable at run time (admin endpoint, {@link FaultScript}, or directly from a test).
 * Every fault is named and takes string parameters, so the admin API, the start script and Java share one vocabulary:
 * <pre>
 * drop            [conn=c3]                       close websocket connections now
 * silence         seconds=N [conn=c3]             no data frames, PONG still answered (py-clob-client#292)
 * refuse          seconds=N                       websocket handshakes answered 503
 * http            status=429|500|502|503 count=N [scope=gamma|clob|all]
 * slow            ms=N count=N [scope=…]          delay REST answers
 * malformed       count=N kind=truncated|garbage target=ws|rest
 * unknown-field   enabled=true|false              a new field in every event, book and market
 * type-change     enabled=true|false              timestamps as numbers, clobTokenIds as a real array
 * disappear       market=ID|random                the market vanishes from Gamma and the CLOB
 * close / reopen  market=ID|random                lifecycle changes
 * new-market                                      list a new market
 * </pre>
 */
public final class Faults {
    /** Callbacks into the running simulator for faults that act rather than switch. */
    interface Actions {
        void drop(String connId);

        String lifecycle(String action, String market);
    }

    public enum Malformed {
        TRUNCATED,
        GARBAGE
    }

    public enum Scope {
        GAMMA,
        CLOB,
        ALL;

        boolean covers(Scope s) {
            return this == ALL || this == s;
        }
    }

    private volatile long silentUntilNanos;
    private final Map<String, Long> silentConnUntil = new ConcurrentHashMap<>();
    private volatile long refuseUntilNanos;
    private final AtomicInteger httpRemaining = new AtomicInteger();
    private volatile int httpStatus;
    private volatile Scope httpScope = Scope.ALL;
    private final AtomicInteger slowRemaining = new AtomicInteger();
    private volatile long slowMs;
    private volatile Scope slowScope = Scope.ALL;
    private final AtomicInteger wsMalformedRemaining = new AtomicInteger();
    private volatile Malformed wsMalformed = Malformed.TRUNCATED;
    private final AtomicInteger restMalformedRemaining = new AtomicInteger();
    private volatile Malformed restMalformed = Malformed.TRUNCATED;
    private volatile boolean unknownField;
    private volatile boolean typeChange;
    private volatile Actions actions;
    private final Map<String, Long> applied = new ConcurrentHashMap<>();

    void actions(Actions a) {
        actions = a;
    }

    /**
     * Applies a named fault.
     *
     * @return a one-line description of what was done
     * @throws IllegalArgumentException for an unknown name or a bad parameter
     */
    public String apply(String name, Map<String, String> params) {
        String n = name.toLowerCase(Locale.ROOT);
        String result = switch (n) {
            case "drop" -> {
                requireActions().drop(params.get("conn"));
                yield "dropped " + params.getOrDefault("conn", "all connections");
            }
            case "silence" -> {
                long until = System.nanoTime() + seconds(params) * 1_000_000_000L;
                if (params.containsKey("conn")) {
                    silentConnUntil.put(params.get("conn"), until);
                } else {
                    silentUntilNanos = until;
                }
                yield "silence " + seconds(params) + "s " + params.getOrDefault("conn", "all");
            }
            case "refuse" -> {
                refuseUntilNanos = System.nanoTime() + seconds(params) * 1_000_000_000L;
                yield "refuse websocket connections " + seconds(params) + "s";
            }
            case "http" -> {
                httpStatus = intParam(params, "status", 503);
                httpScope = scope(params);
                httpRemaining.set(intParam(params, "count", 1));
                yield "http " + httpStatus + " x" + httpRemaining.get() + " " + httpScope;
            }
            case "slow" -> {
                slowMs = intParam(params, "ms", 1000);
                slowScope = scope(params);
                slowRemaining.set(intParam(params, "count", 1));
                yield "slow " + slowMs + "ms x" + slowRemaining.get() + " " + slowScope;
            }
            case "malformed" -> {
                Malformed kind = Malformed.valueOf(
                        params.getOrDefault("kind", "truncated").toUpperCase(Locale.ROOT));
                int count = intParam(params, "count", 1);
                if ("rest".equalsIgnoreCase(params.getOrDefault("target", "ws"))) {
                    restMalformed = kind;
                    restMalformedRemaining.set(count);
                } else {
                    wsMalformed = kind;
                    wsMalformedRemaining.set(count);
                }
                yield "malformed " + kind + " x" + count + " " + params.getOrDefault("target", "ws");
            }
            case "unknown-field" -> {
                unknownField = bool(params);
                yield "unknown-field " + unknownField;
            }
            case "type-change" -> {
                typeChange = bool(params);
                yield "type-change " + typeChange;
            }
            case "disappear", "close", "reopen", "new-market" ->
                requireActions().lifecycle(n, params.getOrDefault("market", "random"));
            default -> throw new IllegalArgumentException("unknown fault: " + name);
        };
        applied.merge(n, 1L, Long::sum);
        return result;
    }

    /** Switches every fault off. */
    public void clear() {
        silentUntilNanos = 0;
        silentConnUntil.clear();
        refuseUntilNanos = 0;
        httpRemaining.set(0);
        slowRemaining.set(0);
        wsMalformedRemaining.set(0);
        restMalformedRemaining.set(0);
        unknownField = false;
        typeChange = false;
    }

    /** What is switched on now, for the admin endpoint. */
    public Map<String, Object> state() {
        long now = System.nanoTime();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("silent_all", now < silentUntilNanos);
        s.put(
                "silent_connections",
                silentConnUntil.entrySet().stream()
                        .filter(e -> now < e.getValue())
                        .map(Map.Entry::getKey)
                        .sorted()
                        .toList());
        s.put("refusing", refusing());
        s.put("http_status", httpRemaining.get() > 0 ? httpStatus : 0);
        s.put("http_remaining", httpRemaining.get());
        s.put("slow_ms", slowRemaining.get() > 0 ? slowMs : 0);
        s.put("slow_remaining", slowRemaining.get());
        s.put("ws_malformed_remaining", wsMalformedRemaining.get());
        s.put("rest_malformed_remaining", restMalformedRemaining.get());
        s.put("unknown_field", unknownField);
        s.put("type_change", typeChange);
        s.put("applied", new LinkedHashMap<>(applied));
        return s;
    }

    boolean silent(String connId) {
        long now = System.nanoTime();
        if (now < silentUntilNanos) {
            return true;
        }
        Long until = silentConnUntil.get(connId);
        return until != null && now < until;
    }

    boolean refusing() {
        return System.nanoTime() < refuseUntilNanos;
    }

    /** The status to answer instead of the real one, or 0; consumes one count. */
    int takeHttpStatus(Scope s) {
        return httpScope.covers(s) && decrement(httpRemaining) ? httpStatus : 0;
    }

    /** Delay to add, or 0; consumes one count. */
    long takeSlowMs(Scope s) {
        return slowScope.covers(s) && decrement(slowRemaining) ? slowMs : 0;
    }

    Malformed takeWsMalformed() {
        return decrement(wsMalformedRemaining) ? wsMalformed : null;
    }

    Malformed takeRestMalformed() {
        return decrement(restMalformedRemaining) ? restMalformed : null;
    }

    boolean unknownField() {
        return unknownField;
    }

    boolean typeChange() {
        return typeChange;
    }

    /** Applies the switchable schema faults to one serialised JSON object (event, book or market). */
    String decorate(String jsonObject) {
        String s = jsonObject;
        if (typeChange) {
            s = s.replaceFirst("\"timestamp\":\"(\\d+)\"", "\"timestamp\":$1");
        }
        if (unknownField && s.endsWith("}")) {
            s = s.substring(0, s.length() - 1) + ",\"sim_unknown_field\":{\"added\":\"by fault injection\"}}";
        }
        return s;
    }

    static String corrupt(String text, Malformed kind) {
        if (kind == Malformed.TRUNCATED) {
            return text.substring(0, Math.max(1, text.length() / 2));
        }
        int colon = text.indexOf("\":");
        return colon < 0 ? text + "}{" : text.substring(0, colon) + "\"=" + text.substring(colon + 2);
    }

    private Actions requireActions() {
        Actions a = actions;
        if (a == null) {
            throw new IllegalStateException("simulator not started");
        }
        return a;
    }

    private static boolean decrement(AtomicInteger counter) {
        while (true) {
            int c = counter.get();
            if (c <= 0) {
                return false;
            }
            if (counter.compareAndSet(c, c - 1)) {
                return true;
            }
        }
    }

    private static long seconds(Map<String, String> p) {
        return intParam(p, "seconds", 10);
    }

    private static Scope scope(Map<String, String> p) {
        return Scope.valueOf(p.getOrDefault("scope", "all").toUpperCase(Locale.ROOT));
    }

    private static boolean bool(Map<String, String> p) {
        return Boolean.parseBoolean(p.getOrDefault("enabled", "true"));
    }

    private static int intParam(Map<String, String> p, String key, int dflt) {
        String v = p.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer: " + v);
        }
    }
}
