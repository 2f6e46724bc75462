import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The reconciliation at the end of {@code make soak} (scripts/soak.sh, docs/SOAK.md). A single-file program, run as
 * {@code java scripts/SoakReconcile.java <soak dir>} (JEP 330, JDK 21+), with nothing but the JDK: the few JSON
 * documents it reads go through the small parser at the bottom, and the hot path (millions of websocket lines) reads
 * the envelope's fixed prefix directly.
 * <p>
 * It compares what polymarket-sim says it sent (its oracle: per connection a frame count and a rolling SHA-256, plus,
 * for runs with the sidecar, every frame) with what the collector recorded, checks that every closed file is on the
 * remote with the manifest's MD5 and that retention deleted nothing unverified, summarises the samples, and writes
 * {@code report.md} with a PASS/FAIL verdict. Exit code: 0 PASS, 1 FAIL, 2 the reconciliation itself failed.
 */
public class SoakReconcile {
    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    static final Pattern FILE_NAME = Pattern.compile("^(.+)-(\\d{8})T(\\d{2})Z-([a-z0-9_-]+)-(\\d+)\\.jsonl\\.gz$");

    final Path dir;
    final Path data;
    final Path remote;
    final Map<String, String> env = new LinkedHashMap<>();
    final List<String[]> faults = new ArrayList<>(); // utc, ms, cycle, fault, detail
    final List<String[]> events = new ArrayList<>(); // utc, ms, service, event, pid, detail
    final List<String> failures = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final StringBuilder md = new StringBuilder();

    SoakReconcile(Path dir) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.remote = dir.resolve("remote");
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java scripts/SoakReconcile.java <soak dir>");
            System.exit(2);
        }
        SoakReconcile r = new SoakReconcile(Path.of(args[0]).toAbsolutePath());
        boolean pass;
        try {
            pass = r.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(2);
            return;
        }
        System.exit(pass ? 0 : 1);
    }

    // ---------------------------------------------------------------------------------------------------------------

    boolean run() throws IOException {
        readInputs();
        long startMs = lng(env.get("start_ms"), 0);
        long endMs = lng(env.get("end_ms"), System.currentTimeMillis());
        double hours = Math.max(1e-9, (endMs - startMs) / 3_600_000.0);

        Inventory inv = inventory();
        StringBuilder body = new StringBuilder();
        body.append(wsSection(inv));
        body.append(restSection(inv));
        body.append(gammaSection(inv));
        body.append(offloadSection(inv));
        body.append(crashSection(inv));
        body.append(resourceSection(hours));
        body.append(faultSection(inv));
        body.append(qualitySection());

        boolean pass = failures.isEmpty();
        md.append("# Soak report — simulated run against polymarket-sim\n\n");
        md.append("**Verdict: ").append(pass ? "PASS" : "FAIL").append("**");
        md.append(pass ? " (every check below held)\n\n" : "\n\n");
        for (String f : failures) {
            md.append("- FAIL: ").append(f).append('\n');
        }
        if (!failures.isEmpty()) {
            md.append('\n');
        }
        md.append("| | |\n|---|---|\n");
        md.append("| started | ").append(UTC.format(Instant.ofEpochMilli(startMs))).append(" |\n");
        md.append("| ended | ").append(UTC.format(Instant.ofEpochMilli(endMs))).append(" (")
                .append(env.getOrDefault("stop_reason", "unknown")).append(") |\n");
        md.append("| ran | ").append(String.format(Locale.ROOT, "%.2f h", hours)).append(" of the planned ")
                .append(String.format(Locale.ROOT, "%.2f h", lng(env.get("duration_s"), 0) / 3600.0)).append(" |\n");
        md.append("| settings | ").append(env.get("sim_markets")).append(" markets, churn every ").append(env.get("sim_churn_s"))
                .append(" s; a fault every ").append(env.get("fault_every_s")).append(" s (").append(env.get("faults"))
                .append("); discovery every ").append(env.get("discovery_interval_s")).append(" s; REST snapshots every ")
                .append(env.get("snapshot_interval_s")).append(" s; stale after ").append(env.get("stale_after_s"))
                .append(" s; offload every ").append(env.get("offload_interval_s")).append(" s, keep-days ")
                .append(env.get("offload_keep_days")).append("; oracle sidecar ").append(env.get("oracle_frames")).append(" |\n");
        md.append("| build | git ").append(env.get("git")).append("; ").append(env.get("java")).append("; ")
                .append(env.get("rclone")).append(" |\n");
        md.append("| host | ").append(env.get("host")).append(" |\n\n");
        md.append("This is a **simulated** soak: polymarket-sim stands in for Polymarket and a local folder behind ")
                .append("`rclone rcd` for Google Drive. It is evidence about the services' behaviour under the injected ")
                .append("faults, not about the real endpoints.\n\n");
        md.append(body);
        if (!notes.isEmpty()) {
            md.append("## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
        Files.writeString(dir.resolve("report.md"), md.toString());
        System.out.println("verdict: " + (pass ? "PASS" : "FAIL"));
        failures.forEach(f -> System.out.println("  FAIL: " + f));
        return pass;
    }

    void readInputs() throws IOException {
        for (String line : readLines(dir.resolve("soak.env"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        for (String line : readLines(dir.resolve("faults.log"))) {
            String[] f = line.split("\t", -1);
            if (f.length >= 4) {
                faults.add(f);
            }
        }
        for (String line : readLines(dir.resolve("events.log"))) {
            String[] f = line.split("\t", -1);
            if (f.length >= 5) {
                events.add(f);
            }
        }
    }

    // ---- files -----------------------------------------------------------------------------------------------------

    /** A closed raw file: where its bytes are read from (local, or the remote copy when retention deleted it). */
    record RawFile(String rel, String stream, String dt, String hour, long seq, Path path, boolean local, Map<String, Object> manifest) {
    }

    static final class Inventory {
        final List<RawFile> closed = new ArrayList<>();      // local closed files + remote ones deleted locally
        final List<String> openFiles = new ArrayList<>();     // local .open left over
        final List<String> noManifest = new ArrayList<>();    // local data without manifest
        final List<String> localClosed = new ArrayList<>();  // rel paths of local closed files

        List<RawFile> stream(String s) {
            return closed.stream().filter(f -> f.stream().equals(s)).toList();
        }
    }

    Inventory inventory() throws IOException {
        Inventory inv = new Inventory();
        Map<String, RawFile> byRel = new TreeMap<>();
        Path raw = data.resolve("raw");
        for (Path p : walk(raw)) {
            String rel = data.relativize(p).toString();
            String name = p.getFileName().toString();
            if (name.endsWith(".open")) {
                inv.openFiles.add(rel);
            } else if (name.endsWith(".jsonl.gz")) {
                Path m = p.resolveSibling(name + ".manifest.json");
                if (!Files.exists(m)) {
                    inv.noManifest.add(rel);
                    continue;
                }
                inv.localClosed.add(rel);
                byRel.put(rel, rawFile(rel, p, true, m));
            }
        }
        for (Path p : walk(remote.resolve("raw"))) {
            String rel = remote.relativize(p).toString();
            String name = p.getFileName().toString();
            if (name.endsWith(".jsonl.gz") && !byRel.containsKey(rel)) {
                Path m = p.resolveSibling(name + ".manifest.json");
                if (Files.exists(m)) {
                    byRel.put(rel, rawFile(rel, p, false, m));
                }
            }
        }
        inv.closed.addAll(byRel.values());
        inv.closed.sort(Comparator.comparing(RawFile::stream).thenComparing(RawFile::dt).thenComparing(RawFile::hour)
                .thenComparingLong(RawFile::seq).thenComparing(RawFile::rel));
        return inv;
    }

    RawFile rawFile(String rel, Path p, boolean local, Path manifest) throws IOException {
        String[] parts = rel.split("/");
        String stream = parts.length > 1 ? parts[1] : "?";
        String dt = parts.length > 2 ? parts[2] : "";
        String hour = parts.length > 3 ? parts[3] : "";
        Matcher m = FILE_NAME.matcher(p.getFileName().toString());
        long seq = m.matches() ? Long.parseLong(m.group(5)) : 0;
        return new RawFile(rel, stream, dt, hour, seq, p, local, obj(Json.parse(Files.readString(manifest))));
    }

    static List<Path> walk(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    // ---- websocket -------------------------------------------------------------------------------------------------

    /** One collector connection as recorded: between a {@code connected} event and the next one with the same id. */
    static final class Conn {
        final String id;
        final int ordinal;
        long connectedUs = -1;
        int assets = -1;
        long frames;
        long nextSeq;
        long holes;
        long reordered;
        long firstUs;
        long lastUs;
        String disconnectReason;
        long disconnectFrames = -1;
        final MessageDigest digest = sha256();
        String sha;
        Map<String, Object> sim;
        String match = "";

        Conn(String id, int ordinal) {
            this.id = id;
            this.ordinal = ordinal;
        }

        String sha() {
            if (sha == null) {
                sha = HexFormat.of().formatHex(digest.digest());
            }
            return sha;
        }

        String label() {
            return id + "#" + ordinal;
        }
    }

    static final byte[] RECV = ascii("{\"recv_us\":");
    static final byte[] WS_CONN = ascii(",\"src\":\"ws\",\"conn\":\"");
    static final byte[] SEQ = ascii(",\"seq\":");
    static final byte[] FRAME = ascii(",\"frame\":");
    static final byte[] UNKNOWN_FIELD = ascii("sim_unknown_field");

    final List<Conn> conns = new ArrayList<>();
    final Map<String, Conn> current = new HashMap<>();
    final Map<String, Integer> ordinals = new HashMap<>();
    final Map<String, Long> wsEvents = new TreeMap<>();
    final Map<String, Long> disconnectReasons = new TreeMap<>();
    long wsUnparsed;
    long wsUnknownField;
    long wsQueueFullLost;
    long wsLines;
    long tornLines;

    String wsSection(Inventory inv) throws IOException {
        StringBuilder s = new StringBuilder("## Websocket: recorded frames against the simulator's oracle\n\n");
        List<RawFile> files = inv.stream("ws_market");
        for (RawFile f : files) {
            forEachLine(f.path(), (line, len) -> wsLine(line, len));
        }
        Object oracleDoc = readJson(dir.resolve("oracle-final.json"));
        if (oracleDoc == null) {
            failures.add("no final oracle (oracle-final.json): the websocket cannot be reconciled");
            return s.append("No final oracle was saved, so nothing can be reconciled.\n\n").toString();
        }
        if (events.stream().anyMatch(e -> e[2].equals("sim") && e[3].equals("unexpected-exit"))) {
            failures.add("polymarket-sim exited during the run: its oracle covers only the time since its restart");
        }
        List<Map<String, Object>> sims = new ArrayList<>();
        for (Object o : list(obj(oracleDoc).get("connections"))) {
            sims.add(obj(o));
        }

        // 1. Exact matches: same frame count and the same rolling SHA-256.
        Map<String, List<Conn>> byKey = new HashMap<>();
        for (Conn c : conns) {
            if (c.frames > 0) {
                byKey.computeIfAbsent(c.frames + ":" + c.sha(), k -> new ArrayList<>()).add(c);
            }
        }
        Map<Map<String, Object>, Conn> matched = new LinkedHashMap<>();
        for (Map<String, Object> sc : sims) {
            long frames = lng(sc.get("frames"), 0);
            List<Conn> cands = byKey.get(frames + ":" + sc.get("sha256"));
            if (frames > 0 && cands != null && !cands.isEmpty()) {
                Conn c = cands.remove(0);
                c.sim = sc;
                c.match = "exact";
                matched.put(sc, c);
            }
        }
        // 2. The rest by connect time (and subscribed assets): a collector connection that lost its tail in a crash
        //    recorded fewer frames than were sent, so its digest cannot match.
        record Pair(Map<String, Object> sim, Conn conn, double cost) {
        }
        List<Pair> pairs = new ArrayList<>();
        for (Map<String, Object> sc : sims) {
            if (matched.containsKey(sc)) {
                continue;
            }
            for (Conn c : conns) {
                if (c.sim != null || c.connectedUs < 0) {
                    continue;
                }
                double dt = Math.abs(lng(sc.get("opened_at_ms"), 0) - c.connectedUs / 1000.0);
                if (dt <= 5000) {
                    long da = Math.abs(lng(sc.get("subscribed_assets"), 0) - Math.max(0, c.assets));
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

        // 3. Classify every oracle connection.
        List<long[]> crashes = crashWindows();
        long sent = 0, recorded = 0, exact = 0, missingExplained = 0, missingUnexplained = 0, extra = 0, corrupt = 0;
        long prefixVerified = 0, prefixUnverifiable = 0;
        List<String> rows = new ArrayList<>();
        Map<String, Long> needPrefix = new HashMap<>();
        Map<String, Conn> needPrefixConn = new HashMap<>();
        for (Map<String, Object> sc : sims) {
            long f = lng(sc.get("frames"), 0);
            Conn c = matched.get(sc);
            if (c != null && c.frames > 0 && c.frames < f) {
                needPrefix.put(str(sc.get("id")), c.frames);
                needPrefixConn.put(str(sc.get("id")), c);
            }
        }
        Map<String, String> prefixDigests = sidecarPrefixes(needPrefix);
        long queueFullBudget = wsQueueFullLost;
        for (Map<String, Object> sc : sims) {
            String id = str(sc.get("id"));
            long f = lng(sc.get("frames"), 0);
            long closed = lng(sc.get("closed_at_ms"), 0);
            Conn c = matched.get(sc);
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
                failures.add("websocket " + id + " (" + (c == null ? "?" : c.label()) + "): " + what);
            } else if (got == f) {
                corrupt++;
                what = "same count, different SHA-256: frames changed, reordered or replaced";
                failures.add("websocket " + id + ": " + what);
            } else {
                long missing = f - got;
                long holes = c == null ? 0 : c.holes;
                long fromGaps = Math.min(holes, queueFullBudget);
                queueFullBudget -= fromGaps;
                long tail = missing - holes;
                String crash = crashAt(crashes, closed);
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
                        failures.add("websocket " + id + ": recorded frames differ from what was sent (sidecar prefix check)");
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
                    failures.add("websocket " + id + ": " + bad + " of " + missing + " missing frames are not explained by a crash or a queue-full gap");
                }
                what = missing + " missing: " + (holes > 0 ? holes + " seq holes (" + fromGaps + " covered by queue-full gaps), " : "")
                        + (tail > 0 ? tail + " at the tail" + (crash != null ? " — connection ended with " + crash : " — NO crash or gap explains them") : "")
                        + prefix;
            }
            rows.add("| " + id + " | " + (c == null ? "—" : c.label() + " (" + c.match + ")") + " | " + fmtMs(lng(sc.get("opened_at_ms"), 0))
                    + " | " + (closed == 0 ? "open" : fmtMs(closed)) + " | " + f + " | " + got + " | " + what + " |");
        }
        List<Conn> unmatched = conns.stream().filter(c -> c.sim == null && c.frames > 0).toList();
        for (Conn c : unmatched) {
            extra += c.frames;
            failures.add("websocket: collector connection " + c.label() + " recorded " + c.frames + " frames the oracle has no connection for");
        }

        s.append("| | |\n|---|---|\n");
        s.append("| oracle connections | ").append(sims.size()).append(" (").append(exact).append(" matched exactly: same frame count and SHA-256) |\n");
        s.append("| collector connections recorded | ").append(conns.size()).append(" in ").append(files.size()).append(" ws_market files |\n");
        s.append("| frames sent | ").append(sent).append(" |\n");
        s.append("| frames recorded | ").append(recorded).append(" |\n");
        s.append("| missing, explained | ").append(missingExplained).append(" (the tail of a connection that a collector crash ended, or queue-full gaps) |\n");
        s.append("| **missing, unexplained** | **").append(missingUnexplained).append("** (must be 0) |\n");
        s.append("| recorded but not sent / altered | ").append(extra).append(" frames / ").append(corrupt).append(" connections (must be 0) |\n");
        s.append("| truncated connections checked frame by frame | ").append(prefixVerified).append(" verified against the sidecar, ")
                .append(prefixUnverifiable).append(" not checkable |\n");
        s.append("| unparsed frames kept as `frame_text` | ").append(wsUnparsed).append(" |\n");
        s.append("| frames with the injected unknown field | ").append(wsUnknownField).append(" |\n");
        s.append("| queue-full lost lines | ").append(wsQueueFullLost).append(" |\n\n");
        s.append("How to read this: the oracle counts only frames that went onto the wire, so frames are never \"sent\" while the ")
                .append("collector is disconnected; a disconnection, stall or refusal is a **gap in time** (below), not missing frames. ")
                .append("Frames can go missing only on a live connection: when the collector process is killed (`kill -9`: the last ")
                .append("≤ 50 ms not yet handed to the file, and whatever the server wrote before it noticed) or when its write queue ")
                .append("overflows (a `queue-full` gap). Each oracle connection is matched to the collector's recording by frame count ")
                .append("and SHA-256, or, when the tail is missing, by connect time; ")
                .append("a tail is explained only if the connection closed within 2 s before to 30 s after a collector crash.\n\n");
        if (!rows.isEmpty()) {
            s.append("Connections that are not an exact match:\n\n");
            s.append("| oracle | collector (match) | opened | closed | sent | recorded | explanation |\n|---|---|---|---|---|---|---|\n");
            rows.forEach(r -> s.append(r).append('\n'));
            s.append('\n');
        }
        // Gaps and record kinds from the manifests.
        Map<String, long[]> gaps = new TreeMap<>();
        for (RawFile f : files) {
            obj(f.manifest().get("counts")).forEach((k, v) -> wsKinds.merge(k, lng(v, 0), Long::sum));
            for (Object g : list(f.manifest().get("gaps"))) {
                Map<String, Object> gm = obj(g);
                long[] a = gaps.computeIfAbsent(str(gm.get("reason")), k -> new long[3]);
                long d = lng(gm.get("to_us"), 0) - lng(gm.get("from_us"), 0);
                a[0]++;
                a[1] += d;
                a[2] = Math.max(a[2], d);
            }
        }
        s.append("Gaps (from the file manifests) and connection events:\n\n| gap reason | count | total | longest |\n|---|---|---|---|\n");
        if (gaps.isEmpty()) {
            s.append("| (none) | 0 | | |\n");
        }
        gaps.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v[0]).append(" | ")
                .append(String.format(Locale.ROOT, "%.1f s", v[1] / 1e6)).append(" | ")
                .append(String.format(Locale.ROOT, "%.1f s", v[2] / 1e6)).append(" |\n"));
        s.append("\nRecords by kind: ").append(wsKinds).append(".\n\nEvents: ").append(wsEvents.isEmpty() ? "none" : wsEvents.toString()).append(". Disconnect reasons: ")
                .append(disconnectReasons.isEmpty() ? "none" : disconnectReasons.toString()).append(".\n\n");
        if (tornLines > 0) {
            failures.add(tornLines + " torn (unterminated) lines in closed raw files");
        }
        this.wsGaps = gaps;
        return s.toString();
    }

    Map<String, long[]> wsGaps = Map.of();
    final Map<String, Long> wsKinds = new TreeMap<>();

    /** Crash windows of the collector: [from, to] in ms, with a label. */
    List<long[]> crashWindows() {
        List<long[]> out = new ArrayList<>();
        long sampleMs = lng(env.get("sample_every_s"), 60) * 1000;
        for (String[] e : events) {
            if (!e[2].equals("collector")) {
                continue;
            }
            long ms = lng(e[1], 0);
            switch (e[3]) {
                case "stop-KILL", "sigkill-after-grace" -> out.add(new long[] {ms - 2000, ms + 30_000, ms, 0});
                case "unexpected-exit" -> out.add(new long[] {ms - sampleMs - 5000, ms + 5000, ms, 1});
                default -> {
                }
            }
        }
        return out;
    }

    static String crashAt(List<long[]> windows, long closedMs) {
        if (closedMs == 0) {
            return null;
        }
        for (long[] w : windows) {
            if (closedMs >= w[0] && closedMs <= w[1]) {
                return (w[3] == 0 ? "the collector kill -9 at " : "the collector's unexpected exit found at ") + fmtMs(w[2]);
            }
        }
        return null;
    }

    /** Digest of the first n frames of each named oracle connection, from the sidecar (if the run kept one). */
    Map<String, String> sidecarPrefixes(Map<String, Long> need) throws IOException {
        Map<String, String> out = new HashMap<>();
        Path side = dir.resolve("oracle-frames.jsonl");
        if (need.isEmpty() || !Files.exists(side)) {
            return out;
        }
        Map<String, MessageDigest> digests = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        byte[] prefix = ascii("{\"conn\":\"");
        forEachPlainLine(side, (line, len) -> {
            if (!startsWith(line, len, 0, prefix)) {
                return;
            }
            int p = prefix.length;
            int q = p;
            while (q < len && line[q] != '"') {
                q++;
            }
            String conn = new String(line, p, q - p, StandardCharsets.US_ASCII);
            Long n = need.get(conn);
            if (n == null) {
                return;
            }
            long have = counts.getOrDefault(conn, 0L);
            if (have >= n) {
                return;
            }
            Map<String, Object> o = obj(Json.parse(new String(line, 0, len, StandardCharsets.UTF_8)));
            MessageDigest d = digests.computeIfAbsent(conn, k -> sha256());
            d.update(str(o.get("frame")).getBytes(StandardCharsets.UTF_8));
            d.update((byte) '\n');
            counts.put(conn, have + 1);
        });
        need.forEach((conn, n) -> {
            if (counts.getOrDefault(conn, 0L).equals(n)) {
                out.put(conn, HexFormat.of().formatHex(digests.get(conn).digest()));
            }
        });
        return out;
    }

    void wsLine(byte[] line, int len) {
        wsLines++;
        int p = 0;
        if (startsWith(line, len, 0, RECV)) {
            p = RECV.length;
            long recv = 0;
            while (p < len && line[p] >= '0' && line[p] <= '9') {
                recv = recv * 10 + (line[p++] - '0');
            }
            if (startsWith(line, len, p, WS_CONN)) {
                p += WS_CONN.length;
                int cs = p;
                while (p < len && line[p] != '"' && line[p] != '\\') {
                    p++;
                }
                if (p < len && line[p] == '"') {
                    String conn = new String(line, cs, p - cs, StandardCharsets.US_ASCII);
                    p++;
                    if (startsWith(line, len, p, SEQ)) {
                        p += SEQ.length;
                        long seq = 0;
                        while (p < len && line[p] >= '0' && line[p] <= '9') {
                            seq = seq * 10 + (line[p++] - '0');
                        }
                        if (startsWith(line, len, p, FRAME) && line[len - 1] == '}') {
                            p += FRAME.length;
                            frame(conn, seq, recv, line, p, len - 1 - p);
                            return;
                        }
                    }
                }
            }
        }
        Map<String, Object> o = obj(Json.parse(new String(line, 0, len, StandardCharsets.UTF_8)));
        String conn = str(o.get("conn"));
        long recv = lng(o.get("recv_us"), 0);
        if (o.containsKey("frame_text")) {
            wsUnparsed++;
            byte[] text = str(o.get("frame_text")).getBytes(StandardCharsets.UTF_8);
            frame(conn, lng(o.get("seq"), 0), recv, text, 0, text.length);
            return;
        }
        if (o.containsKey("frame")) { // an envelope in another key order than the writer's: take the raw text
            String s = new String(line, 0, len, StandardCharsets.UTF_8);
            byte[] raw = s.substring(s.indexOf(",\"frame\":") + 9, s.length() - 1).getBytes(StandardCharsets.UTF_8);
            frame(conn, lng(o.get("seq"), 0), recv, raw, 0, raw.length);
            return;
        }
        String ev = str(o.get("event"));
        if (ev == null) {
            return;
        }
        wsEvents.merge(ev, 1L, Long::sum);
        switch (ev) {
            case "connected" -> {
                int n = ordinals.merge(conn, 1, Integer::sum);
                Conn c = new Conn(conn, n);
                c.connectedUs = recv;
                c.assets = (int) lng(o.get("assets"), -1);
                conns.add(c);
                current.put(conn, c);
            }
            case "subscribed", "unsubscribed" -> {
                Conn c = current.get(conn);
                if (c != null) {
                    c.assets = (int) lng(o.containsKey("total") ? o.get("total") : o.get("assets"), c.assets);
                }
            }
            case "disconnected" -> {
                Conn c = current.get(conn);
                String reason = str(o.get("reason"));
                disconnectReasons.merge(reason == null ? "?" : reason.replaceAll("\\s*\\(.*", ""), 1L, Long::sum);
                if (c != null) {
                    c.disconnectReason = reason;
                    c.disconnectFrames = lng(o.get("frames"), -1);
                }
            }
            case "gap" -> {
                if ("queue-full".equals(str(o.get("reason")))) {
                    wsQueueFullLost += lng(o.get("lost_lines"), 0);
                }
            }
            default -> {
            }
        }
    }

    void frame(String connId, long seq, long recv, byte[] buf, int off, int n) {
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
        if (c.frames == 0) {
            c.firstUs = recv;
        }
        c.lastUs = recv;
        c.frames++;
        c.digest.update(buf, off, n);
        c.digest.update((byte) '\n');
        if (indexOf(buf, off, n, UNKNOWN_FIELD) >= 0) {
            wsUnknownField++;
        }
    }

    // ---- REST ------------------------------------------------------------------------------------------------------

    static final byte[] ITEM = ascii(",\"item\":");
    static final byte[] ASSET = ascii("\"asset_id\":\"");
    final Map<String, long[]> restCounts = new HashMap<>();
    final Map<String, MessageDigest> restDigests = new HashMap<>();
    final Map<String, Long> restErrors = new TreeMap<>();
    final Map<String, Long> restRounds = new TreeMap<>();
    long restBooks, restRateLimited, restLate, restPlanned, restReceived, restMissing, restFailedReq, restMaxLatency, restUnknownField;

    String restSection(Inventory inv) throws IOException {
        StringBuilder s = new StringBuilder("## REST snapshots (`rest_books`)\n\n");
        for (RawFile f : inv.stream("rest_books")) {
            forEachLine(f.path(), this::restLine);
        }
        long served = 0, equal = 0, shortBy = 0, shortAssets = 0, extraAssets = 0, mismatch = 0, unseen = 0;
        Object doc = readJson(dir.resolve("oracle-final.json"));
        long servedTotal = doc == null ? -1 : lng(obj(doc).get("rest_books_served"), -1);
        long corrupted = doc == null ? -1 : lng(obj(doc).get("rest_responses_corrupted"), -1);
        restCorrupted = corrupted;
        Set<String> seen = new HashSet<>();
        for (String line : readLines(dir.resolve("oracle-rest.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> o = obj(Json.parse(line));
            String asset = str(o.get("asset_id"));
            long count = lng(o.get("count"), 0);
            served += count;
            seen.add(asset);
            long[] have = restCounts.get(asset);
            long stored = have == null ? 0 : have[0];
            if (stored == count) {
                if (count == 0 || HexFormat.of().formatHex(restDigests.get(asset).digest()).equals(o.get("sha256"))) {
                    equal++;
                } else {
                    mismatch++;
                    failures.add("REST: the " + count + " books stored for token " + abbrev(asset) + " differ from the ones served (order or content)");
                }
            } else if (stored < count) {
                shortAssets++;
                shortBy += count - stored;
            } else {
                extraAssets++;
                failures.add("REST: " + (stored - count) + " more books stored for token " + abbrev(asset) + " than were served");
            }
        }
        for (String a : restCounts.keySet()) {
            if (!seen.contains(a)) {
                unseen++;
            }
        }
        if (unseen > 0 && !seen.isEmpty()) {
            failures.add("REST: books stored for " + unseen + " tokens the simulator has no record of serving");
        }
        List<long[]> crashes = crashWindows();
        s.append("| | |\n|---|---|\n");
        s.append("| snapshot rounds | ").append(restRounds.values().stream().mapToLong(Long::longValue).sum()).append(" ").append(restRounds)
                .append(", ").append(restLate).append(" late |\n");
        s.append("| books planned / received / missing | ").append(restPlanned).append(" / ").append(restReceived).append(" / ")
                .append(restMissing).append(" (missing = tokens whose book did not come: closed or vanished markets, failed requests) |\n");
        s.append("| books stored | ").append(restBooks).append(" (simulator served ").append(servedTotal)
                .append(" in intact responses; ").append(corrupted).append(" responses corrupted on purpose) |\n");
        s.append("| per token, stored = served (count and SHA-256) | ").append(equal).append(" of ").append(seen.size()).append(" tokens |\n");
        s.append("| per token, stored < served | ").append(shortAssets).append(" tokens, ").append(shortBy)
                .append(" books (responses in flight when the collector was killed: ").append(crashes.size()).append(" kills) |\n");
        s.append("| per token, stored > served or different | ").append(extraAssets).append(" / ").append(mismatch).append(" (must be 0) |\n");
        s.append("| failed requests (rounds' `failed_requests`) | ").append(restFailedReq).append(" |\n");
        s.append("| error lines by status | ").append(restErrors.isEmpty() ? "none" : restErrors.toString()).append(" |\n");
        s.append("| `rate_limited` events (429) | ").append(restRateLimited).append(" |\n");
        s.append("| slowest answer | ").append(restMaxLatency).append(" ms |\n");
        s.append("| books with the injected unknown field | ").append(restUnknownField).append(" |\n\n");
        if (shortBy > 0 && crashes.isEmpty()) {
            notes.add("REST: " + shortBy + " books served were not stored although the collector never crashed (a response in flight at the final SIGTERM?)");
        }
        return s.toString();
    }

    void restLine(byte[] line, int len) {
        int at = indexOf(line, 0, len, ITEM);
        if (at >= 0 && line[len - 1] == '}') {
            int from = at + ITEM.length;
            int a = indexOf(line, from, len - 1 - from, ASSET);
            if (a >= 0) {
                int q = a + ASSET.length;
                int e = q;
                while (e < len && line[e] != '"') {
                    e++;
                }
                String asset = new String(line, q, e - q, StandardCharsets.US_ASCII);
                restCounts.computeIfAbsent(asset, k -> new long[1])[0]++;
                MessageDigest d = restDigests.computeIfAbsent(asset, k -> sha256());
                d.update(line, from, len - 1 - from);
                d.update((byte) '\n');
                restBooks++;
                if (indexOf(line, from, len - 1 - from, UNKNOWN_FIELD) >= 0) {
                    restUnknownField++;
                }
            }
            long lat = latency(line, len);
            restMaxLatency = Math.max(restMaxLatency, lat);
            return;
        }
        Map<String, Object> o = obj(Json.parse(new String(line, 0, len, StandardCharsets.UTF_8)));
        restMaxLatency = Math.max(restMaxLatency, lng(o.get("latency_ms"), 0));
        if (o.containsKey("error")) {
            restErrors.merge(String.valueOf(lng(o.get("status"), 0)), 1L, Long::sum);
            return;
        }
        String ev = str(o.get("event"));
        if ("snapshot_round".equals(ev)) {
            restRounds.merge(String.valueOf(o.getOrDefault("why", "scheduled")), 1L, Long::sum);
            restPlanned += lng(o.get("planned"), 0);
            restReceived += lng(o.get("received"), 0);
            restMissing += lng(o.get("missing"), 0);
            restFailedReq += lng(o.get("failed_requests"), 0);
            if (Boolean.TRUE.equals(o.get("late"))) {
                restLate++;
            }
        } else if ("rate_limited".equals(ev)) {
            restRateLimited++;
        }
    }

    static long latency(byte[] line, int len) {
        byte[] key = ascii(",\"latency_ms\":");
        int at = indexOf(line, 0, Math.min(len, 200), key);
        if (at < 0) {
            return 0;
        }
        long v = 0;
        for (int p = at + key.length; p < len && line[p] >= '0' && line[p] <= '9'; p++) {
            v = v * 10 + (line[p] - '0');
        }
        return v;
    }

    // ---- Gamma / discovery -----------------------------------------------------------------------------------------

    String gammaSection(Inventory inv) throws IOException {
        long[] pages = new long[1], rateLimited = new long[1];
        Map<String, Long> errors = new TreeMap<>();
        for (RawFile f : inv.stream("gamma_markets")) {
            forEachLine(f.path(), (line, len) -> {
                String head = new String(line, 0, Math.min(len, 300), StandardCharsets.UTF_8);
                if (head.contains(",\"page\":")) {
                    pages[0]++;
                } else {
                    Map<String, Object> o = obj(Json.parse(new String(line, 0, len, StandardCharsets.UTF_8)));
                    if (o.containsKey("error")) {
                        errors.merge(String.valueOf(lng(o.get("status"), 0)), 1L, Long::sum);
                    } else if ("rate_limited".equals(o.get("event"))) {
                        rateLimited[0]++;
                    }
                }
            });
        }
        long runs = 0, published = 0;
        Map<String, Long> exits = new TreeMap<>();
        for (Path p : walk(data.resolve("runs/discovery-svc"))) {
            Map<String, Object> m = obj(readJson(p));
            Map<String, Object> counters = obj(m.get("counters"));
            runs += lng(counters.get("runs"), 0);
            published += lng(counters.get("runs_published"), 0);
            exits.merge(String.valueOf(m.get("exit_reason")), 1L, Long::sum);
        }
        // History copies (not their manifests); offload deletes the local ones by retention, so the remote's count too.
        Set<String> copies = new HashSet<>();
        for (Path root : List.of(data.resolve("discovery/history"), remote.resolve("discovery/history"))) {
            walk(root).stream().map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json.gz")).forEach(copies::add);
        }
        long history = copies.size();
        StringBuilder s = new StringBuilder("## Discovery (`gamma_markets`, tokens.json)\n\n| | |\n|---|---|\n");
        s.append("| discovery runs / lists published | ").append(runs).append(" / ").append(published)
                .append(" (").append(history).append(" tokens.json versions in history) |\n");
        s.append("| Gamma pages recorded | ").append(pages[0]).append(" |\n");
        s.append("| error lines by status | ").append(errors.isEmpty() ? "none" : errors.toString()).append(" |\n");
        s.append("| `rate_limited` events (429) | ").append(rateLimited[0]).append(" |\n");
        s.append("| process runs by exit reason | ").append(exits).append(" |\n\n");
        this.gammaErrors = errors;
        this.discoveryExits = exits;
        this.tokenVersions = history;
        this.gammaRateLimited = rateLimited[0];
        return s.toString();
    }

    Map<String, Long> gammaErrors = Map.of();
    Map<String, Long> discoveryExits = Map.of();
    long gammaRateLimited, tokenVersions, restCorrupted, offloadUnreachableRuns;

    // ---- offload ---------------------------------------------------------------------------------------------------

    long ledgerFailed, retentionDeleted, reuploads;

    String offloadSection(Inventory inv) throws IOException {
        StringBuilder s = new StringBuilder("## Offload (remote copies, ledger, retention)\n\n");
        long ok = 0;
        List<String> bad = new ArrayList<>();
        for (String rel : inv.localClosed) {
            Path local = data.resolve(rel);
            Path localManifest = data.resolve(rel + ".manifest.json");
            Map<String, Object> m = obj(readJson(localManifest));
            Path r = remote.resolve(rel);
            Path rm = remote.resolve(rel + ".manifest.json");
            String want = str(m.get("md5"));
            if (!Files.exists(r)) {
                bad.add(rel + ": not on the remote");
            } else if (!md5(r).equals(want)) {
                bad.add(rel + ": remote MD5 " + md5(r) + " ≠ manifest " + want);
            } else if (!md5(local).equals(want)) {
                bad.add(rel + ": local MD5 ≠ its manifest (local file damaged?)");
            } else if (!Files.exists(rm) || !md5(rm).equals(md5(localManifest))) {
                bad.add(rel + ": manifest missing or different on the remote");
            } else {
                ok++;
            }
        }
        // The ledger: order of verification and deletion.
        List<Map<String, Object>> ledger = new ArrayList<>();
        // Lines moved out by ledger compaction come first (archives oldest first by name), then the ledger.
        List<String> ledgerLines = new ArrayList<>();
        for (Path archive : walk(data.resolve("offload/ledger-archive")).stream()
                .filter(p -> p.getFileName().toString().matches("ledger-.+\\.jsonl\\.gz")).sorted().toList()) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
                ledgerLines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
        }
        ledgerLines.addAll(readLines(data.resolve("offload/ledger.jsonl")));
        for (String line : ledgerLines) {
            if (!line.isBlank()) {
                try {
                    ledger.add(obj(Json.parse(line)));
                } catch (RuntimeException e) {
                    notes.add("unreadable ledger line skipped: " + abbrev(line));
                }
            }
        }
        Map<String, Long> results = new TreeMap<>();
        Map<String, String> verifiedMd5 = new HashMap<>(); // kind|file -> md5 last verified
        Map<String, Integer> uploads = new HashMap<>();
        List<String> badDeletes = new ArrayList<>();
        long deletedOk = 0;
        for (Map<String, Object> l : ledger) {
            String action = str(l.get("action")), kind = str(l.get("kind")), file = str(l.get("file")), result = str(l.get("result"));
            results.merge(action + ":" + result, 1L, Long::sum);
            if ("upload".equals(action)) {
                if ("data".equals(kind)) {
                    uploads.merge(file, 1, Integer::sum);
                }
                if ("verified".equals(result)) {
                    verifiedMd5.put(kind + "|" + file, str(l.get("md5")));
                } else {
                    verifiedMd5.remove(kind + "|" + file);
                }
                if ("failed".equals(result)) {
                    ledgerFailed++;
                }
            } else if ("recheck".equals(action)) {
                verifiedMd5.remove(kind + "|" + file);
            } else if ("delete".equals(action) && "deleted".equals(result)) {
                retentionDeleted++;
                String md5 = str(l.get("md5"));
                boolean dataOk = md5 != null && md5.equals(verifiedMd5.get("data|" + file));
                boolean manifestOk = verifiedMd5.containsKey("manifest|" + file + ".manifest.json");
                Path r = remote.resolve(file);
                boolean remoteOk = Files.exists(r) && md5(r).equals(md5);
                if (dataOk && manifestOk && remoteOk) {
                    deletedOk++;
                } else {
                    badDeletes.add(file + (dataOk ? "" : " (no earlier verified upload with this MD5)")
                            + (manifestOk ? "" : " (manifest not verified before)") + (remoteOk ? "" : " (remote copy missing or different now)"));
                }
            }
        }
        reuploads = uploads.values().stream().filter(n -> n > 1).count();
        offloadUnreachableRuns = readLines(dir.resolve("process-logs/offload.log")).stream()
                .filter(l -> l.contains("offload run") && (l.contains("rclone UNREACHABLE") || l.contains("rclone=UNREACHABLE"))).count();
        if (!bad.isEmpty()) {
            failures.add(bad.size() + " closed files are not (correctly) on the remote after the final offload, e.g. " + bad.get(0));
        }
        if (!badDeletes.isEmpty()) {
            failures.add(badDeletes.size() + " files deleted locally without a prior verification, e.g. " + badDeletes.get(0));
        }
        if (!inv.openFiles.isEmpty()) {
            failures.add(inv.openFiles.size() + " .open files left after the final stop, e.g. " + inv.openFiles.get(0));
        }
        if (!inv.noManifest.isEmpty()) {
            failures.add(inv.noManifest.size() + " closed data files without a manifest, e.g. " + inv.noManifest.get(0));
        }
        long remoteFiles = walk(remote.resolve("raw")).stream().filter(p -> p.toString().endsWith(".jsonl.gz")).count();
        long dailyManifests = walk(remote.resolve("offload/manifests")).size();
        s.append("| | |\n|---|---|\n");
        s.append("| local closed files on the remote with the manifest's MD5 (data and manifest) | ").append(ok).append(" of ")
                .append(inv.localClosed.size()).append(" |\n");
        s.append("| deleted by retention (keep-days 0: hours that had ended) | ").append(retentionDeleted).append(", of which ")
                .append(deletedOk).append(" verified before deletion and still on the remote with that MD5 |\n");
        s.append("| data files on the remote | ").append(remoteFiles).append(" (+ ").append(dailyManifests).append(" daily upload manifests) |\n");
        s.append("| ledger lines by action:result | ").append(results).append(" |\n");
        s.append("| files uploaded more than once (after a failure, a kill or an outage) | ").append(reuploads).append(" |\n");
        s.append("| `.open` / data without manifest left locally | ").append(inv.openFiles.size()).append(" / ").append(inv.noManifest.size()).append(" |\n");
        s.append("| final flush emptied the backlog | ").append(env.getOrDefault("final_flush_backlog_empty", "?")).append(" |\n\n");
        if (!"yes".equals(env.get("final_flush_backlog_empty"))) {
            failures.add("the final offload flush did not report an empty backlog");
        }
        for (String b : bad.stream().limit(10).toList()) {
            s.append("- not on the remote: ").append(b).append('\n');
        }
        for (String b : badDeletes.stream().limit(10).toList()) {
            s.append("- deleted before verification: ").append(b).append('\n');
        }
        return s.append(bad.isEmpty() && badDeletes.isEmpty() ? "" : "\n").toString();
    }

    // ---- crashes, restarts, recovery -------------------------------------------------------------------------------

    long recoveredFiles, offloadCrashRuns;

    String crashSection(Inventory inv) throws IOException {
        StringBuilder s = new StringBuilder("## Crashes, restarts, recovery\n\n");
        Map<String, Map<String, Long>> byService = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        for (String[] e : events) {
            byService.computeIfAbsent(e[2], k -> new TreeMap<>()).merge(e[3], 1L, Long::sum);
            if (e[3].equals("unexpected-exit")) {
                unexpected.add(e[0] + " " + e[2] + " (pid " + e[4] + "): " + (e.length > 5 ? e[5] : ""));
            }
            if (e[3].equals("not-up")) {
                failures.add(e[2] + " did not answer its health probe after a start at " + e[0]);
            }
            if (e[3].equals("sigkill-after-grace")) {
                failures.add(e[2] + " ignored SIGTERM for 30 s and was killed at " + e[0]);
            }
        }
        for (String u : unexpected) {
            failures.add("unexpected exit: " + u);
        }
        long dropped = 0;
        List<String> rec = new ArrayList<>();
        for (RawFile f : inv.closed) {
            if (Boolean.TRUE.equals(f.manifest().get("recovered"))) {
                recoveredFiles++;
                Map<String, Object> r = obj(f.manifest().get("recovery"));
                dropped += lng(r.get("dropped_lines"), 0);
                rec.add(f.rel());
            }
        }
        List<Path> notes = walk(data.resolve("quarantine")).stream().filter(p -> p.toString().endsWith(".note.json")).toList();
        Map<String, Long> runExits = new TreeMap<>();
        for (Path p : walk(data.resolve("runs"))) {
            Map<String, Object> m = obj(readJson(p));
            String service = data.resolve("runs").relativize(p).getName(0).toString();
            runExits.merge(service + ":" + m.get("exit_reason"), 1L, Long::sum);
            if (service.equals("offload-svc") && "crash-recovered".equals(m.get("exit_reason"))) {
                offloadCrashRuns++;
            }
        }
        s.append("| service | process events |\n|---|---|\n");
        byService.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        s.append("\n| | |\n|---|---|\n");
        s.append("| unexpected exits (watchdog restarts) | ").append(unexpected.size()).append(" (must be 0) |\n");
        s.append("| recovered files (`\"recovered\": true`) | ").append(recoveredFiles).append(", ").append(dropped).append(" torn lines dropped |\n");
        s.append("| quarantine entries | ").append(notes.size()).append(" |\n");
        s.append("| run manifests by exit reason | ").append(runExits).append(" |\n\n");
        for (Path n : notes.stream().limit(20).toList()) {
            Map<String, Object> m = obj(readJson(n));
            s.append("- quarantined `").append(m.get("original")).append("`: ").append(m.get("reason")).append('\n');
        }
        return s.append(notes.isEmpty() ? "" : "\n").toString();
    }

    // ---- resources -------------------------------------------------------------------------------------------------

    String resourceSection(double hours) throws IOException {
        StringBuilder s = new StringBuilder("## Resources (samples.csv)\n\n");
        List<String> lines = readLines(dir.resolve("samples.csv"));
        if (lines.size() < 2) {
            failures.add("no resource samples");
            return s.append("No samples.\n\n").toString();
        }
        String[] head = lines.get(0).split(",", -1);
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < head.length; i++) {
            col.put(head[i], i);
        }
        List<String[]> rows = lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).filter(r -> r.length == head.length).toList();
        double limit = Double.parseDouble(env.getOrDefault("rss_growth_limit_mb_per_h", "64"));
        s.append("| service | RSS start / max / end (MB) | growth (MB/h, per process ≥ 30 min, after 10 min warm-up) | CPU s/h (% of a core) | fds start / max / end | threads start / max / end | processes | probe failures (longest run) |\n");
        s.append("|---|---|---|---|---|---|---|---|\n");
        for (String svc : List.of("sim", "rclone", "discovery", "collector", "offload")) {
            int cp = col.get(svc + "_pid"), cr = col.get(svc + "_rss_kb"), cc = col.get(svc + "_cpu_s"), cf = col.get(svc + "_fds"), ct = col.get(svc + "_threads");
            Integer cu = col.get(svc + "_up");
            Map<String, List<double[]>> life = new LinkedHashMap<>(); // pid -> [t, rss, cpu, fds, threads]
            int down = 0, streak = 0, longest = 0;
            for (String[] r : rows) {
                if (r[cr].isEmpty() || r[cp].isEmpty()) {
                    continue;
                }
                if (cu != null && "0".equals(r[cu])) {
                    down++;
                    longest = Math.max(longest, ++streak);
                } else {
                    streak = 0;
                }
                life.computeIfAbsent(r[cp], k -> new ArrayList<>()).add(new double[] {
                        Double.parseDouble(r[1]), Double.parseDouble(r[cr]) / 1024.0, dbl(r[cc]), dbl(r[cf]), dbl(r[ct])});
            }
            if (life.isEmpty()) {
                s.append("| ").append(svc).append(" | no samples | | | | | | |\n");
                continue;
            }
            if (longest >= 3) {
                failures.add(svc + " was running but did not answer its health probe in " + longest + " samples in a row");
            }
            List<double[]> all = life.values().stream().flatMap(List::stream).toList();
            double cpu = life.values().stream().mapToDouble(l -> l.get(l.size() - 1)[2]).sum();
            List<String> growth = new ArrayList<>();
            for (Map.Entry<String, List<double[]>> e : life.entrySet()) {
                List<double[]> l = e.getValue();
                double t0 = l.get(0)[0];
                List<double[]> warm = l.stream().filter(x -> x[0] - t0 >= 600).toList();
                double span = l.get(l.size() - 1)[0] - t0;
                if (warm.size() >= 3 && span >= 1200 && span < 1800) {
                    growth.add(String.format(Locale.ROOT, "(%+.1f, pid %s, %.0f min: too short to judge)", slope(warm, 1) * 3600,
                            e.getKey(), span / 60));
                }
                if (warm.size() >= 3 && span >= 1800) {
                    double slope = slope(warm, 1) * 3600;
                    double fdSlope = slope(warm, 3) * 3600;
                    double thSlope = slope(warm, 4) * 3600;
                    growth.add(String.format(Locale.ROOT, "%+.1f (fds %+.1f/h, threads %+.1f/h; pid %s, %.1f h)", slope, fdSlope, thSlope, e.getKey(),
                            (l.get(l.size() - 1)[0] - t0) / 3600));
                    if (slope > limit) {
                        failures.add(String.format(Locale.ROOT, "%s (pid %s): RSS grew %.1f MB/h after warm-up, above the %.0f MB/h limit",
                                svc, e.getKey(), slope, limit));
                    }
                }
            }
            double[] first = all.get(0), last = all.get(all.size() - 1);
            double maxRss = all.stream().mapToDouble(x -> x[1]).max().orElse(0);
            s.append(String.format(Locale.ROOT, "| %s | %.0f / %.0f / %.0f | %s | %.0f (%.1f %%) | %.0f / %.0f / %.0f | %.0f / %.0f / %.0f | %d | %d (%d) |\n", svc,
                    first[1], maxRss, last[1], growth.isEmpty() ? "no process lived long enough" : String.join("; ", growth),
                    cpu / hours, cpu / hours / 36.0,
                    first[3], all.stream().mapToDouble(x -> x[3]).max().orElse(0), last[3],
                    first[4], all.stream().mapToDouble(x -> x[4]).max().orElse(0), last[4], life.size(), down, longest));
        }
        String[] f = rows.get(0), l = rows.get(rows.size() - 1);
        s.append("\n| | first sample | last sample | max |\n|---|---|---|---|\n");
        for (String c : List.of("data_bytes", "disk_free_bytes", "open_files", "closed_files", "ledger_verified", "offload_pending",
                "sim_frames_sent", "sim_open_connections", "tokens")) {
            int i = col.get(c);
            double max = rows.stream().mapToDouble(r -> dbl(r[i])).max().orElse(0);
            s.append("| ").append(c).append(" | ").append(human(c, f[i])).append(" | ").append(human(c, l[i])).append(" | ")
                    .append(human(c, String.valueOf((long) max))).append(" |\n");
        }
        s.append("\nCPU is user + system time over the run's ").append(String.format(Locale.ROOT, "%.2f", hours))
                .append(" h (all processes of the service summed). Heap caps: collector and sim 512 MB, discovery and offload 256 MB ")
                .append("(the compose memory limits × MaxRAMPercentage 50 %); RSS growth is judged per process, because the faults ")
                .append("restart the collector, offload, discovery and rclone once per cycle. Limit: ")
                .append(String.format(Locale.ROOT, "%.0f MB/h.", limit)).append("\n\n");
        return s.toString();
    }

    static double slope(List<double[]> pts, int idx) {
        double n = pts.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        double t0 = pts.get(0)[0];
        for (double[] p : pts) {
            double x = p[0] - t0;
            sx += x;
            sy += p[idx];
            sxx += x * x;
            sxy += x * p[idx];
        }
        double den = n * sxx - sx * sx;
        return den == 0 ? 0 : (n * sxy - sx * sy) / den;
    }

    static String human(String col, String v) {
        if (v == null || v.isEmpty()) {
            return "—";
        }
        if (col.endsWith("_bytes")) {
            double b = dbl(v);
            return b >= 1e9 ? String.format(Locale.ROOT, "%.2f GB", b / 1e9) : String.format(Locale.ROOT, "%.1f MB", b / 1e6);
        }
        return v;
    }

    // ---- faults ----------------------------------------------------------------------------------------------------

    static final List<String> KINDS = List.of("silence", "http 429 clob", "http 503 clob", "slow", "malformed ws", "malformed rest",
            "http 503 gamma", "discovery-sigterm-restart", "http 429 gamma", "kill-collector", "kill-offload", "offload-restart",
            "unknown-field on", "unknown-field off", "disappear", "close", "new-market", "drop", "refuse", "rclone-kill", "rclone-restart");

    String faultSection(Inventory inv) {
        Map<String, Long> fired = new LinkedHashMap<>();
        KINDS.forEach(k -> fired.put(k, 0L));
        List<String> failedFaults = new ArrayList<>();
        long midUpload = 0;
        for (String[] f : faults) {
            String name = f[3];
            String kind = name;
            if (name.startsWith("http ")) {
                kind = "http " + name.replaceAll(".*status=(\\d+).*", "$1") + " " + name.replaceAll(".*scope=(\\w+).*", "$1");
            } else if (name.startsWith("malformed")) {
                kind = "malformed " + name.replaceAll(".*target=(\\w+).*", "$1");
            } else if (name.startsWith("unknown-field")) {
                kind = name.contains("true") ? "unknown-field on" : "unknown-field off";
            } else if (name.contains(" ")) {
                kind = name.substring(0, name.indexOf(' '));
            }
            fired.merge(kind, 1L, Long::sum);
            String detail = f.length > 4 ? f[4] : "";
            if (detail.startsWith("FAILED")) {
                failedFaults.add(f[0] + " " + name + ": " + detail);
            }
            if (name.equals("kill-offload") && detail.contains("mid-upload")) {
                midUpload++;
            }
        }
        for (String ff : failedFaults) {
            failures.add("a fault could not be applied: " + ff);
        }
        StringBuilder s = new StringBuilder("## Faults fired (faults.log) and what they caused\n\n");
        long cycles = faults.stream().mapToLong(f -> lng(f[2], 0)).max().orElse(0);
        s.append("Cycles started: ").append(cycles).append(". Each cycle fires every fault once, in this order, one slot every ")
                .append(env.get("fault_every_s")).append(" s (the silence, the offload kill and the rclone outage hold the later slots ")
                .append("back as needed).\n\n| fault | fired | observed effect |\n|---|---|---|\n");
        Map<String, String> effect = new LinkedHashMap<>();
        effect.put("silence", "`stale` events: " + wsEvents.getOrDefault("stale", 0L) + "; stale gaps: " + gapCount("stale"));
        effect.put("http 429 clob", "`rate_limited` events in rest_books: " + restRateLimited);
        effect.put("http 503 clob", "REST error lines by status " + restErrors + ", failed requests " + restFailedReq + " (5xx are retried first)");
        effect.put("slow", "slowest REST answer " + restMaxLatency + " ms");
        effect.put("malformed ws", "ws frames kept as `frame_text`: " + wsUnparsed);
        effect.put("malformed rest", "the simulator corrupted " + restCorrupted + " response bodies (whichever REST or Gamma answer came next); "
                + "REST error lines with status 0 (unreadable body, or no answer): " + restErrors.getOrDefault("0", 0L)
                + "; Gamma error lines with status 200 (unreadable page): " + gammaErrors.getOrDefault("200", 0L));
        effect.put("unknown-field on", "frames / books carrying it: " + wsUnknownField + " / " + restUnknownField);
        effect.put("disappear", "REST tokens reported missing in rounds: " + restMissing);
        effect.put("http 503 gamma", "Gamma error lines by status " + gammaErrors);
        effect.put("http 429 gamma", "`rate_limited` events in gamma_markets: " + gammaRateLimited);
        effect.put("drop", "disconnects: " + disconnectReasons);
        effect.put("refuse", "`connect_failed` events: " + wsEvents.getOrDefault("connect_failed", 0L));
        effect.put("kill-collector", "recovered files: " + recoveredFiles);
        effect.put("kill-offload", midUpload + " of the kills hit an upload in flight; offload runs that ended in a crash (run manifests "
                + "`crash-recovered`): " + offloadCrashRuns + "; the files being uploaded are verified on the remote afterwards (Offload section)");
        effect.put("rclone-kill", "offload runs that found rclone unreachable: " + offloadUnreachableRuns + "; failed uploads in the ledger: " + ledgerFailed);
        effect.put("discovery-sigterm-restart", "discovery process runs by exit reason " + discoveryExits);
        effect.put("new-market", "`new_market` websocket events: " + wsKinds.getOrDefault("new_market", 0L) + "; tokens.json versions: " + tokenVersions);
        effect.put("close", "closed and vanished markets leave tokens.json at the next discovery run (see the REST `missing` count)");
        fired.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v).append(" | ").append(effect.getOrDefault(k, "")).append(" |\n"));
        List<String> never = fired.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
        if (!never.isEmpty() && "on".equals(env.get("faults"))) {
            notes.add("fault kinds that never fired (the run was shorter than one cycle): " + never);
        }
        return s.append('\n').toString();
    }

    long gapCount(String reason) {
        long[] v = wsGaps.get(reason);
        return v == null ? 0 : v[0];
    }

    // ---- data-quality report ---------------------------------------------------------------------------------------

    String qualitySection() throws IOException {
        StringBuilder s = new StringBuilder("## Data-quality report (report/ module)\n\n");
        if (!Files.exists(dir.resolve("quality.rc"))) {
            notes.add("the data-quality report was not run: report/target/quarkus-app/quarkus-run.jar does not exist (build it with make build)");
            return s.append("Not run: `report/target/quarkus-app/quarkus-run.jar` was missing when the soak ended.\n\n").toString();
        }
        quality(s, "quality", "the data dir",
                "`java -jar report/target/quarkus-app/quarkus-run.jar --data-dir <soak>/data --json <soak>/quality.json`",
                "It reads the local data dir: the hours that retention has already deleted (verified on the remote) are not in it.");
        if (Files.exists(dir.resolve("quality-archive.rc"))) {
            quality(s, "quality-archive", "the whole archive",
                    "The same tool over the whole archive (`--json <soak>/quality-archive.json`)",
                    "The data dir plus, hard-linked from the remote, the closed files that retention deleted (their MD5 was verified "
                            + "above): every hour of the run. Its offload section lists those files as pending, because the ledger's "
                            + "last word on them is `delete`; that is an artefact of this view, not a backlog.");
        }
        return s.toString();
    }

    void quality(StringBuilder s, String base, String what, String how, String scope) throws IOException {
        int code = (int) lng(Files.readString(dir.resolve(base + ".rc")).trim(), -1);
        s.append("### Over ").append(what).append("\n\n").append(how).append(" exited ").append(code)
                .append(code == 0 ? " (no integrity problem)" : code == 1 ? " (integrity problems)" : " (the tool failed)")
                .append(". ").append(scope).append("\n\n```\n");
        Path txt = dir.resolve(base + ".txt");
        s.append(Files.exists(txt) ? Files.readString(txt).stripTrailing() : "").append("\n```\n\n");
        if (code == 1) {
            failures.add("the data-quality report over " + what + " found integrity problems (exit 1)");
        } else if (code != 0) {
            Path errFile = dir.resolve(base + ".err");
            String err = Files.exists(errFile) ? Files.readString(errFile).strip() : "";
            failures.add("the data-quality report over " + what + " failed to run (exit " + code + ")"
                    + (err.isEmpty() ? "" : ": " + abbrev(err)));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    interface LineSink {
        void line(byte[] line, int len);
    }

    void forEachLine(Path p, LineSink sink) throws IOException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(p), 1 << 16), 1 << 16)) {
            lines(in, sink);
        }
    }

    void forEachPlainLine(Path p, LineSink sink) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
            lines(in, sink);
        }
    }

    void lines(InputStream in, LineSink sink) throws IOException {
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[1 << 16];
        int ll = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    if (ll > 0) {
                        sink.line(line, ll);
                    }
                    ll = 0;
                } else {
                    if (ll == line.length) {
                        line = java.util.Arrays.copyOf(line, ll * 2);
                    }
                    line[ll++] = b;
                }
            }
        }
        if (ll > 0) {
            tornLines++;
        }
    }

    static List<String> readLines(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    static Object readJson(Path p) throws IOException {
        if (!Files.exists(p) || Files.size(p) == 0) {
            return null;
        }
        return Json.parse(Files.readString(p));
    }

    static String md5(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest d = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean startsWith(byte[] line, int len, int at, byte[] prefix) {
        if (at + prefix.length > len) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] buf, int off, int n, byte[] needle) {
        outer:
        for (int i = off; i <= off + n - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String fmtMs(long ms) {
        return ms <= 0 ? "—" : UTC.format(Instant.ofEpochMilli(ms)).substring(11);
    }

    static String abbrev(String s) {
        return s.length() <= 24 ? s : s.substring(0, 10) + "…" + s.substring(s.length() - 10);
    }

    static double dbl(String s) {
        try {
            return s == null || s.isEmpty() ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static long lng(Object o, long dflt) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        if (o instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }

    static String str(Object o) {
        return o == null ? null : o instanceof String s ? s : String.valueOf(o);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** A small strict JSON parser: objects (insertion order), arrays, strings, numbers (Long or BigDecimal), booleans, null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String s) {
            Json j = new Json(s);
            Object v = j.value();
            j.ws();
            if (j.i != s.length()) {
                throw new IllegalArgumentException("trailing characters at " + j.i);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                case 't' -> {
                    word("true");
                    return Boolean.TRUE;
                }
                case 'f' -> {
                    word("false");
                    return Boolean.FALSE;
                }
                case 'n' -> {
                    word("null");
                    return null;
                }
                default -> {
                    int st = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    String num = s.substring(st, i);
                    if (num.isEmpty()) {
                        throw new IllegalArgumentException("unexpected '" + c + "' at " + st);
                    }
                    try {
                        return Long.parseLong(num);
                    } catch (NumberFormatException e) {
                        return new BigDecimal(num);
                    }
                }
            }
        }

        private void word(String w) {
            if (!s.startsWith(w, i)) {
                throw new IllegalArgumentException("expected " + w + " at " + i);
            }
            i += w.length();
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i);
            }
            i++;
        }

        private String string() {
            expect('"');
            StringBuilder b = null;
            int st = i;
            while (true) {
                char c = s.charAt(i);
                if (c == '"') {
                    String out = b == null ? s.substring(st, i) : b.append(s, st, i).toString();
                    i++;
                    return out;
                }
                if (c == '\\') {
                    if (b == null) {
                        b = new StringBuilder();
                    }
                    b.append(s, st, i);
                    char e = s.charAt(i + 1);
                    i += 2;
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                    st = i;
                } else {
                    i++;
                }
            }
        }
    }
}
