package io.orderbooks.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The command line of {@code orderbooks replay} (docs/REPLAY.md). */
record Options(
        Path dataDir,
        Instant from,
        Instant to,
        Set<String> tokens,
        Output.Mode output,
        Output.Format format,
        Path out,
        Path report,
        Duration warmup,
        boolean strict,
        boolean progress,
        boolean help) {
    static final String USAGE = """
            usage: make replay ARGS="..."   or   java -jar replay/target/orderbooks-replay.jar [options]

            Rebuilds every order book of a data dir from its REST snapshots and websocket frames, in receive order,
            checks each against Polymarket's own book hashes, and writes the books to stdout (or --out).

              --data DIR        the data directory (also --data-dir; default: $DATA_DIR, else ./data)
              --from TIME       start of the range, UTC receive time: 2026-11-24T12:00Z, 2026-11-24T12:30:15Z or
                                2026-11-24 (default: the first hour with data)
              --to TIME         end of the range, exclusive (default: the end of the last hour with data)
              --tokens IDS      only these token ids, comma-separated (default: all)
              --output WHAT     books   the whole book after every change (default)
                                top     best bid and ask, when they or the validity change
                                deltas  one line per level change (size "0" = the level went)
                                none    no book lines: only the check summary
              --format FMT      jsonl (default) or csv
              --out FILE        write the lines to FILE instead of stdout
              --report FILE     also write the check summary as JSON (schema orderbooks.replay-report/1)
              --warmup DUR      read this much before --from to rebuild the books (e.g. 2m, 90s, 1h; default 0);
                                a REST snapshot every minute makes 2m enough for every book to be known at --from
              --strict          exit 1 when any hash, REST book or best bid/ask disagrees
              --no-progress     no progress line on stderr
              -h, --help        this text

            Every line has recv_us (when the collector received it), timestamp (Polymarket's, ms) and valid: false
            while the book is unknown — before its first full book, and after a gap, a stale or disconnected
            connection, a collector-down, a seq hole, an unparsed frame, a hash that disagreed or an hour an operator
            marked invalid, until the next full book (book event or REST snapshot). The check summary goes to stderr.

            example: the top of book of one token for half an hour, as CSV, books rebuilt from two minutes before:
              make replay ARGS="--data ./data --from 2026-11-24T12:00Z --to 2026-11-24T12:30Z \\
                  --tokens 71321045679252212594626385532706912750332728571942532289631379312455583992563 \\
                  --output top --format csv --warmup 2m --out top.csv"
            stderr then ends with the check summary, e.g.
              hash check: 1,204 checked, 1,204 agreed (100.000 %), 0 disagreed, 3 not checkable (book unknown 3)

            exit code: 0 done, 1 disagreement with --strict, 2 usage error, 3 no data for the range or a token

            The same books as Parquet (one row per token and grid point, by date): export --help (make export).
            Marking raw data invalid (replay and export then leave it out): mark --help (make mark, make marks).
            """;

    static Options parse(String[] args, Map<String, String> env) throws UsageException {
        String dataDir = env.getOrDefault("DATA_DIR", "");
        Instant from = null;
        Instant to = null;
        Set<String> tokens = null;
        Output.Mode mode = Output.Mode.BOOKS;
        Output.Format format = Output.Format.JSONL;
        Path out = null;
        Path report = null;
        Duration warmup = Duration.ZERO;
        boolean strict = false;
        boolean progress = true;
        Args a = new Args(args);
        while (a.next()) {
            String name = a.name();
            switch (name) {
                case "-h", "--help" -> {
                    return new Options(null, null, null, null, mode, format, null, null, warmup, false, false, true);
                }
                case "--strict", "--no-progress" -> {
                    a.noValue();
                    if (name.equals("--strict")) {
                        strict = true;
                    } else {
                        progress = false;
                    }
                }
                case "--data",
                        "--data-dir",
                        "--from",
                        "--to",
                        "--tokens",
                        "--output",
                        "--format",
                        "--out",
                        "--report",
                        "--warmup" -> {
                    String value = a.value();
                    switch (name) {
                        case "--data", "--data-dir" -> dataDir = value;
                        case "--from" -> from = time(name, value);
                        case "--to" -> to = time(name, value);
                        case "--tokens" -> tokens = tokens(value);
                        case "--output" -> mode = choice(name, value, Output.Mode.class);
                        case "--format" -> format = choice(name, value, Output.Format.class);
                        case "--out" -> out = Path.of(value);
                        case "--report" -> report = Path.of(value);
                        default -> warmup = duration(value);
                    }
                }
                default -> throw new UsageException("unknown argument: " + a.raw() + " (see --help)");
            }
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new UsageException("--from " + from + " must be before --to " + to);
        }
        return new Options(
                Path.of(dataDir.isBlank() ? "./data" : dataDir),
                from,
                to,
                tokens,
                mode,
                format,
                out,
                report,
                warmup,
                strict,
                progress,
                false);
    }

    /** 2026-11-24, 2026-11-24T12, 2026-11-24T12:30, 2026-11-24T12:30:15[.123] with or without Z: always UTC. */
    static Instant time(String name, String value) throws UsageException {
        String v = value.endsWith("Z") || value.endsWith("z") ? value.substring(0, value.length() - 1) : value;
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (v.length() == 13) {
                v = v + ":00";
            }
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e2) {
                throw new UsageException(name + " " + value + ": not a UTC time like 2026-11-24T12:00Z or 2026-11-24");
            }
        }
    }

    /** 90s, 2m, 1h, 1h30m, or ISO-8601 (PT2M). */
    static Duration duration(String value) throws UsageException {
        String v = value.trim().toUpperCase(Locale.ROOT);
        try {
            return Duration.parse(v.startsWith("P") ? v : "PT" + v);
        } catch (DateTimeParseException e) {
            throw new UsageException("--warmup " + value + ": not a duration like 2m, 90s or 1h");
        }
    }

    /** The {@code --tokens} list (replay's and export's): decimal token ids, at least one. */
    static Set<String> tokens(String value) throws UsageException {
        Set<String> out = new LinkedHashSet<>();
        for (String t : value.split(",")) {
            String id = t.trim();
            if (id.isEmpty()) {
                continue;
            }
            if (!id.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new UsageException("--tokens: " + id + " is not a token id (token ids are decimal numbers)");
            }
            out.add(id);
        }
        if (out.isEmpty()) {
            throw new UsageException("--tokens needs at least one token id");
        }
        return out;
    }

    private static <E extends Enum<E>> E choice(String name, String value, Class<E> type) throws UsageException {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                allowed.append(allowed.isEmpty() ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new UsageException(name + " " + value + ": one of " + allowed);
        }
    }
}
