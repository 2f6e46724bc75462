package io.orderbooks.soak.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.sim.FrameDigest;
import io.orderbooks.sim.Oracle;
import io.orderbooks.soak.Criterion;
import io.orderbooks.soak.Findings;
import io.orderbooks.soak.input.LineReader;
import io.orderbooks.soak.input.RawInventory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * REST snapshots ({@code rest_books}): rounds, books and errors, and per token the books stored against the books
 * the simulator served (count and SHA-256 in order, the simulator's {@link FrameDigest} over each stored {@code item}).
 * Fewer stored than served is reported (responses in flight when the collector was killed); more, or the same count
 * with other content, or books for a token the simulator never served, is a FAIL (docs/SOAK.md).
 */
public final class RestCheck {
    private static final byte[] ITEM = WsRecording.ascii(",\"item\":");
    private static final byte[] ASSET = WsRecording.ascii("\"asset_id\":\"");
    private static final byte[] LATENCY = WsRecording.ascii(",\"latency_ms\":");

    /** What the {@code rest_books} files hold. */
    public static final class Recording {
        final Map<String, long[]> counts = new HashMap<>();
        final Map<String, FrameDigest> digests = new HashMap<>();
        final Map<String, Long> errors = new TreeMap<>();
        final Map<String, Long> rounds = new TreeMap<>();
        long books, rateLimited, late, planned, received, missing, failedRequests, maxLatency, unknownField, tornLines;

        public long tornLines() {
            return tornLines;
        }

        void line(byte[] line, int len) {
            int at = LineReader.indexOf(line, 0, len, ITEM);
            if (at >= 0 && line[len - 1] == '}') {
                int from = at + ITEM.length;
                int a = LineReader.indexOf(line, from, len - 1 - from, ASSET);
                if (a >= 0) {
                    int q = a + ASSET.length;
                    int e = q;
                    while (e < len && line[e] != '"') {
                        e++;
                    }
                    String asset = new String(line, q, e - q, StandardCharsets.US_ASCII);
                    counts.computeIfAbsent(asset, k -> new long[1])[0]++;
                    digests.computeIfAbsent(asset, k -> new FrameDigest()).add(line, from, len - 1 - from);
                    books++;
                    if (LineReader.indexOf(line, from, len - 1 - from, WsRecording.UNKNOWN_FIELD) >= 0) {
                        unknownField++;
                    }
                }
                maxLatency = Math.max(maxLatency, latency(line, len));
                return;
            }
            JsonNode o = JsonFields.parse(line, len);
            maxLatency = Math.max(maxLatency, JsonFields.num(o, "latency_ms", 0));
            if (o.has("error")) {
                errors.merge(String.valueOf(JsonFields.num(o, "status", 0)), 1L, Long::sum);
                return;
            }
            String ev = JsonFields.text(o, "event");
            if ("snapshot_round".equals(ev)) {
                String why = o.has("why") ? String.valueOf(JsonFields.text(o, "why")) : "scheduled";
                rounds.merge(why, 1L, Long::sum);
                planned += JsonFields.num(o, "planned", 0);
                received += JsonFields.num(o, "received", 0);
                missing += JsonFields.num(o, "missing", 0);
                failedRequests += JsonFields.num(o, "failed_requests", 0);
                if (o.path("late").asBoolean(false) && o.path("late").isBoolean()) {
                    late++;
                }
            } else if ("rate_limited".equals(ev)) {
                rateLimited++;
            }
        }

        private static long latency(byte[] line, int len) {
            int at = LineReader.indexOf(line, 0, Math.min(len, 200), LATENCY);
            if (at < 0) {
                return 0;
            }
            long v = 0;
            for (int p = at + LATENCY.length; p < len && line[p] >= '0' && line[p] <= '9'; p++) {
                v = v * 10 + (line[p] - '0');
            }
            return v;
        }
    }

    /** {@code servedTotal}/{@code corrupted}: the oracle's totals, -1 without an oracle. */
    public record Result(
            Recording rec,
            long servedTotal,
            long corrupted,
            long tokensServed,
            long equal,
            long shortAssets,
            long shortBy,
            long extraAssets,
            long mismatch,
            int kills) {}

    private RestCheck() {}

    public static Recording read(RawInventory inv) throws IOException {
        Recording r = new Recording();
        for (RawInventory.Closed f : inv.stream("rest_books")) {
            r.tornLines += LineReader.gzip(f.path(), r::line);
        }
        return r;
    }

    public static Result check(
            Recording rec,
            Oracle.Snapshot oracle,
            List<Oracle.RestBookRecord> served,
            CrashWindows crashes,
            Findings findings) {
        long equal = 0, shortBy = 0, shortAssets = 0, extraAssets = 0, mismatch = 0, unseen = 0;
        Set<String> seen = new HashSet<>();
        for (Oracle.RestBookRecord o : served) {
            String asset = o.assetId();
            long count = o.count();
            seen.add(asset);
            long[] have = rec.counts.get(asset);
            long stored = have == null ? 0 : have[0];
            if (stored == count) {
                if (count == 0 || rec.digests.get(asset).hex().equals(o.sha256())) {
                    equal++;
                } else {
                    mismatch++;
                    findings.fail(
                            Criterion.REST_ALTERED,
                            "REST: the " + count + " books stored for token " + abbrev(asset)
                                    + " differ from the ones served (order or content)");
                }
            } else if (stored < count) {
                shortAssets++;
                shortBy += count - stored;
            } else {
                extraAssets++;
                findings.fail(
                        Criterion.REST_EXTRA_BOOKS,
                        "REST: " + (stored - count) + " more books stored for token " + abbrev(asset)
                                + " than were served");
            }
        }
        for (String a : rec.counts.keySet()) {
            if (!seen.contains(a)) {
                unseen++;
            }
        }
        if (unseen > 0 && !seen.isEmpty()) {
            findings.fail(
                    Criterion.REST_UNSERVED_TOKENS,
                    "REST: books stored for " + unseen + " tokens the simulator has no record of serving");
        }
        if (shortBy > 0 && crashes.size() == 0) {
            findings.note(
                    "REST: " + shortBy
                            + " books served were not stored although the collector never crashed (a response in flight at the final SIGTERM?)");
        }
        return new Result(
                rec,
                oracle == null ? -1 : oracle.restBooksServed(),
                oracle == null ? -1 : oracle.restResponsesCorrupted(),
                seen.size(),
                equal,
                shortAssets,
                shortBy,
                extraAssets,
                mismatch,
                crashes.size());
    }

    static String abbrev(String s) {
        return s.length() <= 24 ? s : s.substring(0, 10) + "…" + s.substring(s.length() - 10);
    }
}
