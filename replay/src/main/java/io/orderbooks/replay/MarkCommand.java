package io.orderbooks.replay;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.InvalidNameException;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.InvalidMark;
import io.orderbooks.shared.manifests.Marks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * {@code mark} and {@code marks}: the machine-readable form of the incident procedure (docs/OPERATIONS.md §6). {@code
 * mark} writes an invalid mark ({@link InvalidMark}, docs/DATA-FORMAT.md §8) under the data dir's {@code marks/},
 * never touching a raw file or its manifest; {@code marks} lists them. Replay and export honour the marks, offload
 * uploads them beside the files they concern.
 */
final class MarkCommand {
    static final String USAGE = """
            usage: make mark ARGS="..."   or   java -jar replay/target/orderbooks-replay.jar mark [options]
                   make marks             or   java -jar replay/target/orderbooks-replay.jar marks [--data DIR]

            Marks raw data invalid, with a reason: replay and export then do not use it (the books are unknown from
            the marked hour until the next full book after it) and say so; offload uploads the mark beside the files
            on the remote. The raw files and their manifests are never touched. A mark is never edited or deleted:
            --revoke writes a later mark that withdraws it.

            what (exactly one):
              --file PATH       one closed raw file, relative to the data dir (raw/<stream>/dt=…/hour=…/<name>.jsonl.gz)
                                or a path to it
              --stream NAME     every file of a stream (rest_books, ws_market, gamma_markets) in whole UTC hours:
                --from HOUR     first hour, e.g. 2026-11-24T13 or 2026-11-24T13:00Z
                --to HOUR       end, exclusive (2026-11-24T15 marks 13:00 to 15:00)
                --instance ID   only this collector instance's files (default: every instance)
              --revoke ID       withdraw the mark ID (see `marks`)
            and:
              --reason TEXT     why (required): what was seen, and the incident note if there is one
              --by NAME         who (default: $USER)
              --data DIR        the data directory (default: $DATA_DIR, else ./data)
              -h, --help        this text

            example: a proxy rewrote the websocket frames of one collector between 13:00 and 15:00 UTC:
              make mark ARGS="--stream ws_market --instance vps1 --from 2026-11-24T13 --to 2026-11-24T15 \\
                  --reason 'frames rewritten by a proxy, docs/incidents/2026-11-24-proxy.md'"
            prints the mark's id and file (marks/raw/ws_market/<id>.mark.json); then
              make marks                                  lists the marks in force, withdrawn ones, and bad mark files
              make mark ARGS="--revoke <id> --reason 'the proxy only touched pings'"   withdraws it

            exit code: 0 done, 1 (marks) a mark file could not be used, 2 usage error (unknown file, bad range,
            missing reason), 3 the data dir cannot be written
            """;

    private MarkCommand() {}

    static int run(String command, String[] args, Map<String, String> env, OutputStream stdout, PrintStream err) {
        return run(command, args, env, stdout, err, Clock.systemUTC());
    }

    static int run(
            String command, String[] args, Map<String, String> env, OutputStream stdout, PrintStream err, Clock clock) {
        PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        try {
            Request r = Request.parse(args, env);
            if (r.help()) {
                out.print(USAGE);
                return 0;
            }
            if (!Files.isDirectory(r.dataDir())) {
                throw new UsageException("data dir " + r.dataDir() + " does not exist (--data DIR, or DATA_DIR)");
            }
            DataDir dir = DataDir.of(r.dataDir());
            return command.equals("marks") ? list(dir, r, out) : mark(dir, r, out, clock.instant());
        } catch (UsageException e) {
            err.println(command + ": " + e.getMessage());
            err.println("(" + command + " --help shows every option and an example)");
            return e.exitCode;
        } catch (IOException e) {
            err.println(command + ": cannot write the mark: " + e);
            return 3;
        }
    }

    private static int mark(DataDir dir, Request r, PrintStream out, Instant now) throws UsageException, IOException {
        int what = (r.file() != null ? 1 : 0) + (r.stream() != null ? 1 : 0) + (r.revoke() != null ? 1 : 0);
        if (what != 1) {
            throw new UsageException(
                    "say what to mark: exactly one of --file, --stream (with --from/--to) or --revoke");
        }
        if (r.reason() == null) {
            throw new UsageException("--reason is required: say why the data must not be used");
        }
        if (r.by() == null) {
            throw new UsageException("--by is required here ($USER is not set): say who marks it");
        }
        if (r.stream() == null && (r.from() != null || r.to() != null || r.instance() != null)) {
            throw new UsageException("--from, --to and --instance go with --stream");
        }
        InvalidMark mark;
        if (r.file() != null) {
            mark = InvalidMark.forFile(fileOf(dir, r.file()), r.reason(), r.by(), now);
        } else if (r.stream() != null) {
            mark = hours(r, now);
        } else {
            InvalidMark target = Marks.read(dir).active(r.revoke());
            if (target == null) {
                throw new UsageException("no mark in force has the id " + r.revoke() + " (`marks` lists them)");
            }
            mark = InvalidMark.revocationOf(target, r.reason(), r.by(), now);
        }
        Path written = Marks.write(dir, mark);
        out.println((mark.action() == InvalidMark.Action.REVOKE ? "revoked " + mark.revokes() + " by " : "marked ")
                + mark.id() + ": " + mark.describe() + ": " + mark.reason());
        out.println("  written to " + dir.relative(written) + "; offload uploads it to " + mark.remotePath()
                + " on the remote");
        return 0;
    }

    private static InvalidMark hours(Request r, Instant now) throws UsageException {
        StreamName stream;
        try {
            stream = StreamName.of(r.stream());
        } catch (InvalidNameException e) {
            throw new UsageException("--stream " + r.stream() + ": not a stream name");
        }
        if (!List.of(StreamName.REST_BOOKS, StreamName.WS_MARKET, StreamName.GAMMA_MARKETS)
                .contains(stream)) {
            throw new UsageException("--stream " + r.stream() + ": one of rest_books, ws_market, gamma_markets");
        }
        if (r.from() == null || r.to() == null) {
            throw new UsageException("--stream needs --from and --to (whole UTC hours, e.g. 2026-11-24T13)");
        }
        Instant from = Options.time("--from", r.from());
        Instant to = Options.time("--to", r.to());
        if (!from.truncatedTo(ChronoUnit.HOURS).equals(from)
                || !to.truncatedTo(ChronoUnit.HOURS).equals(to)) {
            throw new UsageException("bad range " + from + " .. " + to + ": marks cover whole UTC hours "
                    + "(--from " + from.truncatedTo(ChronoUnit.HOURS) + " --to " + to.truncatedTo(ChronoUnit.HOURS)
                    + "?)");
        }
        if (!from.isBefore(to)) {
            throw new UsageException("bad range: --from " + from + " is not before --to " + to);
        }
        InstanceId instance;
        try {
            instance = r.instance() == null ? null : InstanceId.of(r.instance());
        } catch (InvalidNameException e) {
            throw new UsageException("--instance " + r.instance() + ": not an instance id ([a-z0-9_-]+)");
        }
        return InvalidMark.forHours(stream, instance, from, to, r.reason(), r.by(), now);
    }

    /** The data-dir relative path of an existing closed raw file, from a relative path or a path on disk. */
    private static String fileOf(DataDir dir, String given) throws UsageException {
        Path p = Path.of(given);
        Path abs = p.isAbsolute() ? p : dir.root().resolve(p);
        if (!Files.isRegularFile(abs) && Files.isRegularFile(p)) {
            abs = p.toAbsolutePath(); // a path relative to the working directory, e.g. data/raw/…
        }
        String rel;
        try {
            rel = dir.relative(abs);
            RawFile f = RawFile.parse(abs.getFileName().toString());
            if (!RawFile.isClosedName(abs.getFileName().toString())
                    || !f.relativePath().equals(rel)) {
                throw new InvalidNameException("not where a closed raw file lives (" + f.relativePath() + ")");
            }
        } catch (InvalidNameException e) {
            throw new UsageException("unknown file " + given + ": " + e.getMessage());
        }
        if (!Files.isRegularFile(abs)) {
            throw new UsageException("unknown file " + given + ": no such closed raw file in " + dir.root()
                    + " (a file retention already deleted locally: mark its hours with --stream/--from/--to)");
        }
        return rel;
    }

    private static int list(DataDir dir, Request r, PrintStream out) throws UsageException {
        if (r.file() != null || r.stream() != null || r.revoke() != null || r.reason() != null) {
            throw new UsageException("marks only lists; takes --data DIR");
        }
        Marks.Loaded loaded = Marks.read(dir);
        out.printf("marks in force: %d%n", loaded.active().size());
        for (InvalidMark m : loaded.active()) {
            out.printf("  %s  %s%n      %s (by %s at %s)%n", m.id(), m.describe(), m.reason(), m.by(), m.at());
        }
        out.printf("withdrawn: %d%n", loaded.revoked().size());
        for (Marks.Revoked w : loaded.revoked()) {
            out.printf(
                    "  %s  %s%n      %s; withdrawn by %s: %s (by %s at %s)%n",
                    w.mark().id(),
                    w.mark().describe(),
                    w.mark().reason(),
                    w.revocation().id(),
                    w.revocation().reason(),
                    w.revocation().by(),
                    w.revocation().at());
        }
        out.printf("mark files not used: %d%n", loaded.bad().size());
        for (Marks.BadMark b : loaded.bad()) {
            out.printf("  %s: %s%n", b.file(), b.reason());
        }
        return loaded.bad().isEmpty() ? 0 : 1;
    }

    /** The command line of {@code mark} and {@code marks}. */
    record Request(
            Path dataDir,
            String file,
            String stream,
            String instance,
            String from,
            String to,
            String revoke,
            String reason,
            String by,
            boolean help) {
        static Request parse(String[] args, Map<String, String> env) throws UsageException {
            String dataDir = env.getOrDefault("DATA_DIR", "");
            String[] v = new String[8];
            String by = env.get("USER");
            Args a = new Args(args);
            List<String> names =
                    List.of("--file", "--stream", "--instance", "--from", "--to", "--revoke", "--reason", "--by");
            while (a.next()) {
                String name = a.name();
                if (name.equals("-h") || name.equals("--help")) {
                    return new Request(null, null, null, null, null, null, null, null, null, true);
                }
                if (name.equals("--data") || name.equals("--data-dir")) {
                    dataDir = a.value();
                } else if (names.contains(name)) {
                    v[names.indexOf(name)] = a.value().strip();
                } else {
                    throw new UsageException("unknown argument: " + a.raw());
                }
            }
            return new Request(
                    Path.of(dataDir.isBlank() ? "./data" : dataDir),
                    v[0],
                    v[1],
                    v[2],
                    v[3],
                    v[4],
                    v[5],
                    v[6],
                    v[7] != null ? v[7] : (by == null || by.isBlank() ? null : by),
                    false);
        }
    }
}
