package io.orderbooks.report;

import io.orderbooks.replay.Args;
import io.orderbooks.replay.UsageException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The command line: {@code [--data-dir DIR] [--from T] [--to T] [--json FILE] [--no-verify]}, walked by replay's
 * {@link Args} (one cursor and one set of errors for every command of the project).
 *
 * @param from   first hour reported (inclusive), or null for the first hour present
 * @param to     end of the range (exclusive), or null for the end of the last hour present
 * @param json   where to write the machine-readable report too, or null
 * @param verify re-hash every closed file against its manifest's sha256 ({@code --no-verify} turns it off)
 * @param bookChecks rebuild every book with replay's engine for section 9 ({@code --no-book-checks} turns it off)
 */
record Options(Path dataDir, Instant from, Instant to, Path json, boolean verify, boolean bookChecks, boolean help) {
    static final String USAGE = """
            usage: java -jar report/target/quarkus-app/quarkus-run.jar [--data-dir DIR] [--from TIME] [--to TIME]
                                                                       [--json FILE] [--no-verify] [--no-book-checks]
              --data-dir DIR  the data directory (default: $DATA_DIR, else ./data)
              --from TIME     first UTC hour to report, e.g. 2026-11-24T00:00Z or 2026-11-24 (default: first hour present)
              --to TIME       end of the range, exclusive, a whole hour (default: end of the last hour present)
              --json FILE     also write the report as JSON (schema orderbooks.quality-report/1)
              --no-verify     do not re-hash closed files (sizes, gzip and record counts are still checked)
              --no-book-checks  do not rebuild the books (section 9: hash and REST agreement per hour; it parses every
                              frame, so it takes most of the report's time)
            exit code: 0 no integrity problem, 1 integrity problem(s) listed, 2 usage error
            """;

    static Options parse(String[] args, Map<String, String> env) throws UsageException {
        String dataDir = env.getOrDefault("DATA_DIR", "");
        Instant from = null;
        Instant to = null;
        Path json = null;
        boolean verify = true;
        boolean bookChecks = true;
        Args a = new Args(args);
        while (a.next()) {
            switch (a.name()) {
                case "-h", "--help" -> {
                    return new Options(null, null, null, null, true, true, true);
                }
                case "--no-verify" -> {
                    a.noValue();
                    verify = false;
                }
                case "--no-book-checks" -> {
                    a.noValue();
                    bookChecks = false;
                }
                case "--data-dir" -> dataDir = a.value();
                case "--from" -> from = wholeHour("--from", a.value());
                case "--to" -> to = wholeHour("--to", a.value());
                case "--json" -> json = Path.of(a.value());
                default -> throw new UsageException("unknown argument: " + a.raw());
            }
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new UsageException("--from " + from + " must be before --to " + to);
        }
        return new Options(Path.of(dataDir.isBlank() ? "./data" : dataDir), from, to, json, verify, bookChecks, false);
    }

    /** An ISO time with a zone ({@code 2026-11-24T00:00Z}, {@code …+01:00}) or a date (its 00:00 UTC), on a whole hour. */
    static Instant wholeHour(String flag, String text) throws UsageException {
        Instant t;
        try {
            t = text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException(
                    flag + " " + text + ": not a time like 2026-11-24T00:00Z or a date like 2026-11-24");
        }
        if (!t.truncatedTo(ChronoUnit.HOURS).equals(t)) {
            throw new UsageException(flag + " " + text + ": must be a whole UTC hour (the report counts per hour)");
        }
        return t;
    }
}
