package io.orderbooks.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line of {@code orderbooks export} (docs/EXPORT.md). */
record ExportOptions(
        Path dataDir,
        Instant from,
        Instant to,
        Set<String> tokens,
        Grid grid,
        int levels,
        Path out,
        Duration warmup,
        boolean help,
        boolean progress,
        List<String> commandLine) {
    /** {@code event}: one row per book change; otherwise the state of every book at each multiple of the step. */
    enum Grid {
        EVENT("event", 0),
        S1("1s", 1_000_000L),
        MS100("100ms", 100_000L);

        final String label;
        final long stepUs;

        Grid(String label, long stepUs) {
            this.label = label;
            this.stepUs = stepUs;
        }
    }

    static final int MAX_LEVELS = 50;

    static final String USAGE = """
            usage: make export ARGS="..."   or   java -jar replay/target/orderbooks-replay.jar export [options]

            Rebuilds the order books of a data dir (as replay does) and writes them to Parquet, one row per token and
            grid point, partitioned by UTC date: OUT/date=YYYY-MM-DD/part-00000.parquet, and OUT/export-manifest.json
            naming every raw file read (with its sha256), the command line, the range and the row counts.

              --data DIR        the data directory (also --data-dir; default: $DATA_DIR, else ./data)
              --out DIR         the output directory (required): new or empty, and not under DIR/raw/
              --grid G          event   one row per book change (default)
                                1s      the state of every book at each whole second (by receive time)
                                100ms   the same every 100 ms
              --from TIME       start of the range, UTC receive time: 2026-11-24T12:00Z, 2026-11-24T12:30:15Z or
                                2026-11-24 (default: the first hour with data)
              --to TIME         end of the range, exclusive (default: the end of the last hour with data)
              --tokens IDS      only these token ids, comma-separated (default: all)
              --levels N        price levels per side as columns bid_price_1..N etc. (default 5, 0..50)
              --warmup DUR      read this much before --from to rebuild the books (e.g. 2m; default 0)
              --no-progress     no progress line on stderr (files, records, rate, time left)
              -h, --help        this text

            A row whose book is unknown (before its first full book, after a gap, until the next full book) has
            valid=false, invalid_reason, and no prices: never the stale book.

            example: one second grid for half an hour of one token:
              make export ARGS="--data ./data --out ./export --grid 1s --from 2026-11-24T12:00Z \\
                  --to 2026-11-24T12:30Z --warmup 2m --tokens 7132104567925221259462638553270691275033272857194253228963137931245558399256"
            then: duckdb -c "SELECT * FROM read_parquet('export/**/*.parquet', hive_partitioning=true) LIMIT 5"

            exit code: 0 done, 2 usage error (also: --out under raw/, or not empty), 3 no data for the range or a token
            """;

    static ExportOptions parse(String[] args, Map<String, String> env) throws UsageException {
        String dataDir = env.getOrDefault("DATA_DIR", "");
        Instant from = null;
        Instant to = null;
        Set<String> tokens = null;
        Grid grid = Grid.EVENT;
        int levels = 5;
        Path out = null;
        Duration warmup = Duration.ZERO;
        boolean progress = true;
        Args a = new Args(args);
        while (a.next()) {
            String name = a.name();
            switch (name) {
                case "-h", "--help" -> {
                    return new ExportOptions(
                            null, null, null, null, grid, levels, null, warmup, true, progress, List.of(args));
                }
                case "--data",
                        "--data-dir",
                        "--from",
                        "--to",
                        "--tokens",
                        "--grid",
                        "--levels",
                        "--out",
                        "--warmup" -> {
                    String value = a.value();
                    switch (name) {
                        case "--data", "--data-dir" -> dataDir = value;
                        case "--from" -> from = Options.time(name, value);
                        case "--to" -> to = Options.time(name, value);
                        case "--tokens" -> tokens = Options.tokens(value);
                        case "--grid" -> grid = grid(value);
                        case "--levels" -> levels = levels(value);
                        case "--out" -> out = Path.of(value);
                        default -> warmup = Options.duration(value);
                    }
                }
                case "--no-progress" -> progress = false;
                default -> throw new UsageException("unknown argument: " + a.raw() + " (see export --help)");
            }
        }
        if (out == null) {
            throw new UsageException("--out DIR is required (a new or empty directory, not under the data dir's raw/)");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new UsageException("--from " + from + " must be before --to " + to);
        }
        return new ExportOptions(
                Path.of(dataDir.isBlank() ? "./data" : dataDir),
                from,
                to,
                tokens,
                grid,
                levels,
                out,
                warmup,
                false,
                progress,
                List.of(args));
    }

    private static Grid grid(String value) throws UsageException {
        for (Grid g : Grid.values()) {
            if (g.label.equalsIgnoreCase(value)) {
                return g;
            }
        }
        throw new UsageException("--grid " + value + ": one of event, 1s, 100ms");
    }

    private static int levels(String value) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0 && n <= MAX_LEVELS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("--levels " + value + ": a number from 0 to " + MAX_LEVELS);
    }
}
