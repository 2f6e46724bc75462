package io.orderbooks.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.Marks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code orderbooks export}: the books {@link ReplayEngine} rebuilds, written as Parquet by {@link ParquetParts}, one
 * row per token and grid point, plus {@code export-manifest.json} naming every raw file that went in (docs/EXPORT.md).
 * Reads the data dir only; writes only under {@code --out}, which must not be under the data dir's {@code raw/}.
 */
final class ExportMain {
    static final String MANIFEST = "export-manifest.json";
    static final String SCHEMA = "orderbooks.export-manifest/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportMain() {}

    static int run(String[] args, Map<String, String> env, OutputStream stdout, PrintStream err) {
        ExportOptions o;
        try {
            o = ExportOptions.parse(args, env);
        } catch (UsageException e) {
            err.println("export: " + e.getMessage());
            err.println("(export --help shows every option and an example)");
            return e.exitCode;
        }
        if (o.help()) {
            PrintStream p = new PrintStream(stdout, true, StandardCharsets.UTF_8);
            p.print(ExportOptions.USAGE);
            p.flush();
            return 0;
        }
        try {
            return export(o, err);
        } catch (UsageException e) {
            err.println("export: " + e.getMessage());
            return e.exitCode;
        } catch (IOException | UncheckedIOException | SQLException e) {
            err.println("export: " + e);
            return 3;
        }
    }

    /** A raw file that went in: its path under the data dir and what its manifest says. */
    record RawFile(
            String file,
            String stream,
            Long bytes,
            Long records,
            String sha256,
            boolean fromManifest,
            boolean verified,
            List<Gap> gaps) {}

    /** A gap a file manifest lists (docs/DATA-FORMAT.md §3): known before the replay reaches its end. */
    record Gap(String conn, long fromUs, long toUs, String reason, boolean allBooks) {}

    private static int export(ExportOptions o, PrintStream err) throws IOException, UsageException, SQLException {
        if (!Files.isDirectory(o.dataDir())) {
            throw new UsageException("data dir " + o.dataDir() + " does not exist (--data DIR, or DATA_DIR)", 3);
        }
        checkOut(o.dataDir(), o.out());
        Instant[] present = RecordSource.hoursPresent(o.dataDir());
        if (present == null) {
            throw new UsageException(
                    "no closed rest_books or ws_market files under "
                            + o.dataDir().resolve("raw"),
                    3);
        }
        Instant from = o.from() != null ? o.from() : present[0];
        Instant to = o.to() != null ? o.to() : present[1].plus(1, ChronoUnit.HOURS);
        if (!from.isBefore(to)) {
            throw new UsageException("--from " + from + " is not before --to " + to, 2);
        }
        Instant readFrom = from.minus(o.warmup());
        long fromUs = ReplayMain.micros(from);
        long toUs = ReplayMain.micros(to);
        RecordSource source = new RecordSource(
                o.dataDir(), ReplayMain.micros(readFrom), toUs, w -> err.println("export: warning: " + w));
        List<Path> files = source.allFiles();
        if (files.isEmpty()) {
            throw new UsageException(
                    "no data between " + readFrom + " and " + to + " in " + o.dataDir() + ": closed files cover "
                            + present[0] + " to " + present[1].plus(1, ChronoUnit.HOURS),
                    3);
        }
        List<RawFile> raw = new ArrayList<>();
        Set<Long> hoursRecorded = new HashSet<>();
        List<Gap> gaps = new ArrayList<>();
        for (Path f : files) {
            RawFile r = rawFile(o.dataDir(), f);
            if (!r.verified()) {
                err.println("export: warning: " + r.file() + ": its sha256 differs from its manifest's (listed as is)");
            }
            raw.add(r);
            gaps.addAll(r.gaps());
            hoursRecorded.add(hourOf(f));
        }

        Files.createDirectories(o.out());
        Exporter exporter;
        ReplayEngine engine;
        MarkFilter marks;
        try (ParquetParts parts = new ParquetParts(o.out(), o.levels())) {
            exporter = new Exporter(o.grid(), fromUs, toUs, parts, hoursRecorded, gaps);
            engine = new ReplayEngine(o.tokens() == null ? t -> true : o.tokens()::contains, exporter);
            exporter.engine = engine;
            // The filter goes first, so that a marked hour's announcement reaches the grid at the hour's start.
            Progress progress = new Progress("export", err, o.progress(), ReplayMain.micros(readFrom), toUs);
            ReplayEngine e = engine;
            marks = new MarkFilter(Marks.read(DataDir.of(o.dataDir())), ReplayMain.micros(readFrom), toUs, rec -> {
                long recvUs = rec.path("recv_us").asLong();
                exporter.before(recvUs);
                e.accept(rec);
                progress.tick(recvUs, e, source);
            });
            marks.describe(err, "export");
            try {
                source.forEach(marks);
                progress.done();
                exporter.before(toUs);
                parts.finish();
            } catch (Failure f) {
                f.rethrow();
            }
            Map<String, Object> m = manifest(o, from, to, readFrom, parts, raw, engine);
            m.put("marks", marks.toMap());
            Path tmp = o.out().resolve("." + MANIFEST + ".tmp");
            JSON.enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), m);
            Files.move(
                    tmp,
                    o.out().resolve(MANIFEST),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            err.printf(
                    Locale.ROOT,
                    "export: %s .. %s, grid %s: %,d rows (%,d valid, %,d not), %,d tokens, %,d files in "
                            + "%,d date partition(s) under %s; %,d raw files listed in %s%n",
                    from,
                    to,
                    o.grid().label,
                    parts.rows,
                    parts.validRows,
                    parts.rows - parts.validRows,
                    engine.books().size(),
                    parts.parts.size(),
                    parts.parts.stream().map(ParquetParts.Part::date).distinct().count(),
                    o.out(),
                    raw.size(),
                    MANIFEST);
            if (marks.hoursMarked() > 0) {
                err.printf(
                        Locale.ROOT,
                        "export: marked invalid: %,d hour(s) not used (%,d records), by %d mark(s), listed in %s%n",
                        marks.hoursMarked(),
                        marks.recordsNotUsed,
                        marks.applied().size(),
                        MANIFEST);
            }
            if (parts.valuesNotExact > 0) {
                err.printf(
                        Locale.ROOT,
                        "export: warning: %,d prices or sizes did not fit DECIMAL(18,6) exactly (rounded, or null when too large)%n",
                        parts.valuesNotExact);
            }
        }
        if (o.tokens() != null) {
            List<String> missing = o.tokens().stream()
                    .filter(t -> !engine.books().containsKey(t))
                    .toList();
            if (!missing.isEmpty()) {
                err.println("export: no data for token(s) " + String.join(", ", missing) + " between " + readFrom
                        + " and " + to);
                return 3;
            }
        }
        return 0;
    }

    /** The output must not be under the data dir's raw/ (derived data never goes there), and must be new or empty. */
    static void checkOut(Path dataDir, Path out) throws IOException, UsageException {
        Path raw = real(dataDir.resolve("raw"));
        Path target = real(out);
        if (target.startsWith(raw)) {
            throw new UsageException("--out " + out + " is under the data dir's raw/ (" + raw
                    + "): derived data never goes there; choose a directory outside raw/, e.g. ./export");
        }
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw new UsageException("--out " + out + " is not a directory");
            }
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new UsageException(
                            "--out " + out + " is not empty: export writes to a new or empty directory "
                                    + "(remove the old export first)");
                }
            }
        }
    }

    /** The real path of {@code p}, or of its nearest existing ancestor with the rest appended (symlinks resolved). */
    private static Path real(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
    }

    /** The hour of a file from its partition dirs ({@code dt=YYYY-MM-DD/hour=HH}), as hours since the epoch. */
    private static long hourOf(Path f) {
        Path hour = f.getParent();
        Instant h = Instant.parse(hour.getParent().getFileName().toString().substring(3) + "T"
                + hour.getFileName().toString().substring(5) + ":00:00Z");
        return h.getEpochSecond() / 3600;
    }

    /** What a file's manifest says, and whether its sha256 is that of the bytes on disk. */
    static RawFile rawFile(Path dataDir, Path f) throws IOException {
        String rel = dataDir.relativize(f).toString().replace('\\', '/');
        String stream = rel.split("/")[1];
        String actual = sha256(f);
        Path mf = f.resolveSibling(f.getFileName() + ".manifest.json");
        if (!Files.isRegularFile(mf)) {
            return new RawFile(rel, stream, Files.size(f), null, actual, false, true, List.of());
        }
        JsonNode m;
        try {
            m = JSON.readTree(mf.toFile());
        } catch (IOException e) {
            return new RawFile(rel, stream, Files.size(f), null, actual, false, true, List.of());
        }
        String sha = m.path("sha256").asText(null);
        List<Gap> gaps = new ArrayList<>();
        for (JsonNode g : m.path("gaps")) {
            String reason = g.path("reason").asText("?");
            // Keyed as the engine keys the book's connection (instance and id; RecordSource.connection).
            String conn = RecordSource.connection(
                    RecordSource.instanceOf(f), g.path("conn").asText(null));
            boolean all = conn == null && (stream.equals("ws_market") || reason.equals("collector-down"));
            if (conn != null || all) {
                gaps.add(new Gap(
                        conn, g.path("from_us").asLong(), g.path("to_us").asLong(), reason, all));
            }
        }
        return new RawFile(
                rel,
                stream,
                m.has("bytes") ? m.get("bytes").asLong() : Files.size(f),
                m.has("records") ? m.get("records").asLong() : null,
                sha != null ? sha : actual,
                sha != null,
                sha == null || sha.equalsIgnoreCase(actual),
                gaps);
    }

    static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String version() {
        try (InputStream in = ExportMain.class.getResourceAsStream("/orderbooks-replay.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // below
        }
        return "unknown";
    }

    private static Map<String, Object> manifest(
            ExportOptions o,
            Instant from,
            Instant to,
            Instant readFrom,
            ParquetParts parts,
            List<RawFile> raw,
            ReplayEngine engine) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("tool", Map.of("name", "orderbooks-replay export", "version", version()));
        m.put("created_at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        List<String> cmd = new ArrayList<>(List.of("export"));
        cmd.addAll(o.commandLine());
        m.put("command", cmd);
        m.put("data_dir", o.dataDir().toString());
        m.put("from", from.toString());
        m.put("to", to.toString());
        m.put("read_from", readFrom.toString());
        m.put("grid", o.grid().label);
        m.put("levels", o.levels());
        m.put("tokens", o.tokens() == null ? null : List.copyOf(o.tokens()));
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("total", parts.rows);
        rows.put("valid", parts.validRows);
        rows.put("invalid", parts.rows - parts.validRows);
        rows.put("tokens", engine.books().size());
        rows.put("values_not_exact", parts.valuesNotExact);
        m.put("rows", rows);
        List<Map<String, Object>> ps = new ArrayList<>();
        for (ParquetParts.Part p : parts.parts) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("date", p.date());
            x.put("file", p.file().replace('\\', '/'));
            x.put("rows", p.rows());
            ps.add(x);
        }
        m.put("parts", ps);
        Tally t = engine.total();
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("hashes_checked", t.hashChecked);
        checks.put("hashes_agreed", t.hashAgreed);
        checks.put("hashes_disagreed", t.hashDisagreed);
        checks.put("became_unknown", engine.counts.unknownBecause);
        m.put("replay_checks", checks);
        List<Map<String, Object>> files = new ArrayList<>();
        for (RawFile r : raw) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("file", r.file());
            x.put("stream", r.stream());
            x.put("bytes", r.bytes());
            x.put("records", r.records());
            x.put("sha256", r.sha256());
            x.put("sha256_from", r.fromManifest() ? "manifest" : "computed (no manifest)");
            x.put("sha256_matches_file", r.verified());
            files.add(x);
        }
        m.put("raw_files", files);
        return m;
    }

    /** Carries a checked exception out of the record callback. */
    private static final class Failure extends RuntimeException {
        Failure(Exception e) {
            super(e);
        }

        void rethrow() throws IOException, SQLException {
            if (getCause() instanceof IOException e) {
                throw e;
            }
            throw (SQLException) getCause();
        }
    }

    /**
     * Turns the engine's updates into rows: with grid {@code event} one per update at or after {@code --from}; with a
     * step, before each record the state of every book at every grid point before that record's {@code recv_us} (so
     * a grid point sees every record received at or before it).
     */
    static final class Exporter implements ReplayEngine.Listener {
        private final ExportOptions.Grid grid;
        private final long fromUs;
        private final long toUs;
        private final ParquetParts parts;
        /** Hours (since the epoch) with a closed file of either stream: a grid point in any other is not valid. */
        private final Set<Long> hoursRecorded;

        private final List<Gap> gaps;
        private final Map<String, Long> lastRecv = new HashMap<>();
        private final Map<String, String> lastCause = new HashMap<>();
        ReplayEngine engine;
        private long next;

        Exporter(
                ExportOptions.Grid grid,
                long fromUs,
                long toUs,
                ParquetParts parts,
                Set<Long> hoursRecorded,
                List<Gap> gaps) {
            this.grid = grid;
            this.fromUs = fromUs;
            this.toUs = toUs;
            this.parts = parts;
            this.hoursRecorded = hoursRecorded;
            this.gaps = gaps;
            this.next = grid.stepUs == 0 ? Long.MAX_VALUE : Math.ceilDiv(fromUs, grid.stepUs) * grid.stepUs;
        }

        @Override
        public void update(ReplayEngine.Update u) {
            Book b = u.book();
            lastRecv.put(b.assetId, u.recvUs());
            lastCause.put(b.assetId, u.cause());
            if (grid == ExportOptions.Grid.EVENT && u.recvUs() >= fromUs && u.recvUs() < toUs) {
                try {
                    parts.row(u.recvUs(), u.recvUs(), b, b.valid(), b.unknownReason, u.cause());
                } catch (SQLException | IOException e) {
                    throw new Failure(e);
                }
            }
        }

        /** Writes every grid point before {@code recvUs} (and before {@code --to}). */
        void before(long recvUs) {
            try {
                for (; next < recvUs && next < toUs; next += grid.stepUs) {
                    String noData = hoursRecorded.contains(Math.floorDiv(next, 3_600_000_000L))
                            ? null
                            : "nothing recorded in this hour";
                    List<Gap> active = activeGaps(next);
                    for (Book b : engine.books().values()) {
                        boolean valid = b.valid();
                        String reason = b.unknownReason;
                        if (valid) {
                            String override = noData != null ? noData : active.isEmpty() ? null : inGap(active, b);
                            if (override != null) {
                                valid = false;
                                reason = override;
                            }
                        }
                        parts.row(next, lastRecv.get(b.assetId), b, valid, reason, lastCause.get(b.assetId));
                    }
                }
            } catch (SQLException | IOException e) {
                throw new Failure(e);
            }
        }

        /** The manifest gaps that cover {@code us} (once per grid point, not per book). */
        private List<Gap> activeGaps(long us) {
            List<Gap> out = List.of();
            for (Gap g : gaps) {
                if (us >= g.fromUs() && us < g.toUs()) {
                    out = out.isEmpty() ? new ArrayList<>() : out;
                    out.add(g);
                }
            }
            return out;
        }

        /** The first of these gaps that concerns this book (all books, or the book's own connection). */
        private static String inGap(List<Gap> active, Book b) {
            for (Gap g : active) {
                if (g.allBooks() || g.conn().equals(b.ownerConn)) {
                    return "gap (" + g.reason() + ")" + (g.conn() == null ? "" : " on " + g.conn());
                }
            }
            return null;
        }
    }
}
