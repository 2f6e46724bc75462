package io.orderbooks.soak.check;

import io.orderbooks.sim.FrameDigest;
import io.orderbooks.sim.Oracle;
import io.orderbooks.soak.Criterion;
import io.orderbooks.soak.Findings;
import io.orderbooks.soak.input.EventLog;
import io.orderbooks.soak.input.OracleInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Websocket: the simulator's oracle against the recording (docs/SOAK.md). Every oracle connection is matched to a
 * recorded one, exactly (frame count and SHA-256) or else by connect time (within 5 s) and subscribed assets, and is
 * then an exact match, missing frames explained (the tail of a connection a collector crash ended, or seq holes
 * covered by queue-full lost lines), missing frames unexplained (FAIL), or more or altered frames (FAIL). A recorded
 * connection with frames and no oracle counterpart is a FAIL too.
 */
public final class WebsocketCheck {
    private WebsocketCheck() {}

    /** A connection that is not an exact match, as the report lists it. */
    public record Row(
            String oracleId,
            String collector,
            long openedMs,
            long closedMs,
            long sent,
            long recorded,
            String explanation) {}

    /** {@code oracleSaved} false: nothing could be reconciled, the other figures are those of the recording alone. */
    public record Result(
            boolean oracleSaved,
            WsRecording recording,
            int oracleConnections,
            long exact,
            long sent,
            long recorded,
            long missingExplained,
            long missingUnexplained,
            long extra,
            long corrupt,
            long prefixVerified,
            long prefixUnverifiable,
            List<Row> rows) {}

    public static Result check(
            WsRecording rec,
            Oracle.Snapshot oracle,
            List<EventLog.Entry> events,
            CrashWindows crashes,
            Path sidecar,
            Findings findings)
            throws IOException {
        if (oracle == null) {
            findings.fail(
                    Criterion.WS_NO_ORACLE, "no final oracle (oracle-final.json): the websocket cannot be reconciled");
            return new Result(false, rec, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
        }
        if (events.stream().anyMatch(e -> e.service().equals("sim") && e.event().equals(EventLog.UNEXPECTED_EXIT))) {
            findings.fail(
                    Criterion.WS_SIM_RESTARTED,
                    "polymarket-sim exited during the run: its oracle covers only the time since its restart");
        }
        List<Oracle.ConnectionRecord> sims = oracle.connections() == null ? List.of() : oracle.connections();
        Map<Oracle.ConnectionRecord, WsRecording.Conn> matched = match(sims, rec.conns);

        long sent = 0, recorded = 0, exact = 0, missingExplained = 0, missingUnexplained = 0, extra = 0, corrupt = 0;
        long prefixVerified = 0, prefixUnverifiable = 0;
        List<Row> rows = new ArrayList<>();
        Map<String, Long> needPrefix = new HashMap<>();
        for (Oracle.ConnectionRecord sc : sims) {
            WsRecording.Conn c = matched.get(sc);
            if (c != null && c.frames > 0 && c.frames < sc.frames()) {
                needPrefix.put(sc.id(), c.frames);
            }
        }
        Map<String, String> prefixDigests = sidecarPrefixes(sidecar, needPrefix);
        long queueFullBudget = rec.queueFullLost;
        for (Oracle.ConnectionRecord sc : sims) {
            String id = sc.id();
            long f = sc.frames();
            long closed = sc.closedAtMs();
            WsRecording.Conn c = matched.get(sc);
            long got = c == null ? 0 : c.frames;
            sent += f;
            recorded += Math.min(got, f);
            if (c != null && "exact".equals(c.match)) {
                exact++;
                continue;
            }
            if (f == 0 && got == 0) {
                continue;
            }
            String what;
            if (got > f) {
                extra += got - f;
                what = "recorded " + (got - f) + " more frames than were sent";
                findings.fail(
                        Criterion.WS_EXTRA_FRAMES,
                        "websocket " + id + " (" + (c == null ? "?" : c.label()) + "): " + what);
            } else if (got == f) {
                corrupt++;
                what = "same count, different SHA-256: frames changed, reordered or replaced";
                findings.fail(Criterion.WS_ALTERED, "websocket " + id + ": " + what);
            } else {
                long missing = f - got;
                long holes = c == null ? 0 : c.holes;
                long fromGaps = Math.min(holes, queueFullBudget);
                queueFullBudget -= fromGaps;
                long tail = missing - holes;
                String crash = crashes.crashAt(closed);
                String prefix = "";
                if (c != null && got > 0) {
                    String want = prefixDigests.get(id);
                    if (want == null) {
                        prefixUnverifiable++;
                        prefix = "; recorded part not checkable (no sidecar)";
                    } else if (want.equals(c.sha())) {
                        prefixVerified++;
                        prefix = "; the " + got + " recorded frames equal the first " + got + " sent (sidecar)";
                    } else {
                        corrupt++;
                        prefix = "; recorded frames DIFFER from the first " + got + " sent (sidecar)";
                        findings.fail(
                                Criterion.WS_PREFIX_DIFFERS,
                                "websocket " + id
                                        + ": recorded frames differ from what was sent (sidecar prefix check)");
                    }
                }
                boolean tailOk = tail <= 0 || crash != null;
                boolean holesOk = holes == fromGaps;
                if (tailOk && holesOk) {
                    missingExplained += missing;
                } else {
                    long bad = (tailOk ? 0 : tail) + (holesOk ? 0 : holes - fromGaps);
                    missingUnexplained += bad;
                    missingExplained += missing - bad;
                    findings.fail(
                            Criterion.WS_MISSING_UNEXPLAINED,
                            "websocket " + id + ": " + bad + " of " + missing
                                    + " missing frames are not explained by a crash or a queue-full gap");
                }
                what = missing + " missing: "
                        + (holes > 0 ? holes + " seq holes (" + fromGaps + " covered by queue-full gaps), " : "")
                        + (tail > 0
                                ? tail + " at the tail"
                                        + (crash != null
                                                ? " — connection ended with " + crash
                                                : " — NO crash or gap explains them")
                                : "")
                        + prefix;
            }
            rows.add(new Row(
                    id, c == null ? "—" : c.label() + " (" + c.match + ")", sc.openedAtMs(), closed, f, got, what));
        }
        for (WsRecording.Conn c : rec.conns) {
            if (c.sim == null && c.frames > 0) {
                extra += c.frames;
                findings.fail(
                        Criterion.WS_UNMATCHED_CONNECTION,
                        "websocket: collector connection " + c.label() + " recorded " + c.frames
                                + " frames the oracle has no connection for");
            }
        }
        return new Result(
                true,
                rec,
                sims.size(),
                exact,
                sent,
                recorded,
                missingExplained,
                missingUnexplained,
                extra,
                corrupt,
                prefixVerified,
                prefixUnverifiable,
                rows);
    }

    /**
     * 1. Exactly: the same frame count and the same SHA-256. 2. The rest by connect time (within 5 s) and subscribed
     * assets, cheapest first: a connection that lost its tail in a crash recorded fewer frames, so no digest matches.
     */
    static Map<Oracle.ConnectionRecord, WsRecording.Conn> match(
            List<Oracle.ConnectionRecord> sims, List<WsRecording.Conn> conns) {
        Map<String, List<WsRecording.Conn>> byKey = new HashMap<>();
        for (WsRecording.Conn c : conns) {
            if (c.frames > 0) {
                byKey.computeIfAbsent(c.frames + ":" + c.sha(), k -> new ArrayList<>())
                        .add(c);
            }
        }
        Map<Oracle.ConnectionRecord, WsRecording.Conn> matched = new LinkedHashMap<>();
        for (Oracle.ConnectionRecord sc : sims) {
            List<WsRecording.Conn> cands = byKey.get(sc.frames() + ":" + sc.sha256());
            if (sc.frames() > 0 && cands != null && !cands.isEmpty()) {
                WsRecording.Conn c = cands.remove(0);
                c.sim = sc;
                c.match = "exact";
                matched.put(sc, c);
            }
        }
        record Pair(Oracle.ConnectionRecord sim, WsRecording.Conn conn, double cost) {}
        List<Pair> pairs = new ArrayList<>();
        for (Oracle.ConnectionRecord sc : sims) {
            if (matched.containsKey(sc)) {
                continue;
            }
            for (WsRecording.Conn c : conns) {
                if (c.sim != null || c.connectedUs < 0) {
                    continue;
                }
                double dt = Math.abs(sc.openedAtMs() - c.connectedUs / 1000.0);
                if (dt <= 5000) {
                    long da = Math.abs(sc.subscribedAssets() - Math.max(0, c.assets));
                    pairs.add(new Pair(sc, c, dt + 50.0 * Math.min(da, 100)));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::cost));
        for (Pair p : pairs) {
            if (!matched.containsKey(p.sim()) && p.conn().sim == null) {
                p.conn().sim = p.sim();
                p.conn().match = "time";
                matched.put(p.sim(), p.conn());
            }
        }
        return matched;
    }

    /** The digest of the first n frames sent on each named oracle connection, from the sidecar (if the run kept one). */
    static Map<String, String> sidecarPrefixes(Path sidecar, Map<String, Long> need) throws IOException {
        Map<String, String> out = new HashMap<>();
        if (need.isEmpty()) {
            return out;
        }
        Map<String, FrameDigest> digests = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        OracleInput.sidecarFrames(
                sidecar,
                conn -> {
                    Long n = need.get(conn);
                    return n != null && counts.getOrDefault(conn, 0L) < n;
                },
                (conn, frame) -> {
                    digests.computeIfAbsent(conn, k -> new FrameDigest()).add(frame.frame());
                    counts.merge(conn, 1L, Long::sum);
                });
        need.forEach((conn, n) -> {
            if (counts.getOrDefault(conn, 0L).equals(n)) {
                out.put(conn, digests.get(conn).hex());
            }
        });
        return out;
    }
}
