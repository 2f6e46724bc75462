package io.orderbooks.replay;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes export rows as Parquet with DuckDB's JDBC driver (docs/EXPORT.md, "Why DuckDB"): rows go into an in-memory
 * table through DuckDB's appender and are copied out with {@code COPY … TO … (FORMAT parquet)} whenever the UTC date
 * changes or {@value #CHUNK_ROWS} rows are buffered, as {@code OUT/date=YYYY-MM-DD/part-NNNNN.parquet} (Hive-style
 * partitions: the {@code date} column lives in the path, not in the file). Rows arrive in time order, so each file
 * holds one date in time order; memory stays bounded by one chunk.
 */
final class ParquetParts implements AutoCloseable {
    static final int CHUNK_ROWS = 500_000;
    /** Prices and sizes: DECIMAL(18,6), exact for every tick (0.01 … 0.0001) and sizes below 10^12. */
    static final int PRECISION = 18;

    static final int SCALE = 6;
    private static final BigDecimal MAX = BigDecimal.TEN.pow(PRECISION - SCALE);

    /** One written file. */
    record Part(String date, String file, long rows) {}

    private final Path out;
    private final int levels;
    private final Connection db;
    private DuckDBAppender appender;
    private LocalDate date;
    private long buffered;
    private final Map<String, Integer> partsPerDate = new LinkedHashMap<>();
    final List<Part> parts = new ArrayList<>();
    long rows;
    long validRows;
    /** Prices or sizes that DECIMAL(18,6) cannot hold exactly: rounded to 6 decimals, or null when too large. */
    long valuesNotExact;

    ParquetParts(Path out, int levels) throws SQLException {
        this.out = out;
        this.levels = levels;
        this.db = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = db.createStatement()) {
            s.execute("SET preserve_insertion_order = true");
            s.execute("CREATE TABLE rows (" + columnsDdl(levels) + ")");
        }
        appender = db.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rows");
    }

    /** The column list, in file order (docs/EXPORT.md, Columns). */
    static String columnsDdl(int levels) {
        String dec = "DECIMAL(" + PRECISION + "," + SCALE + ")";
        StringBuilder sb =
                new StringBuilder("ts TIMESTAMPTZ NOT NULL, recv_us BIGINT, token_id VARCHAR NOT NULL, market VARCHAR, "
                        + "valid BOOLEAN NOT NULL, invalid_reason VARCHAR, cause VARCHAR, source_ts_ms BIGINT, best_bid "
                        + dec
                        + ", best_bid_size " + dec + ", best_ask " + dec + ", best_ask_size " + dec);
        for (String side : List.of("bid", "ask")) {
            for (int i = 1; i <= levels; i++) {
                sb.append(", ")
                        .append(side)
                        .append("_price_")
                        .append(i)
                        .append(' ')
                        .append(dec);
                sb.append(", ")
                        .append(side)
                        .append("_size_")
                        .append(i)
                        .append(' ')
                        .append(dec);
            }
        }
        return sb.toString();
    }

    /**
     * One row. When the book is not valid, every price and size is null (never the stale book).
     *
     * @param tsUs    the grid point, or the receive time of the change with grid {@code event}
     * @param recvUs  the receive time of the book's latest change (null when none is known)
     * @param reason  why the row is not valid (null when valid)
     */
    void row(long tsUs, Long recvUs, Book b, boolean valid, String reason, String cause)
            throws SQLException, IOException {
        LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(tsUs, 86_400_000_000L));
        if (date != null && (!d.equals(date) || buffered >= CHUNK_ROWS)) {
            flush();
        }
        date = d;
        DuckDBAppender a = appender;
        a.beginRow();
        a.appendEpochMicros(tsUs);
        if (recvUs == null) {
            a.appendNull();
        } else {
            a.append(recvUs.longValue());
        }
        a.append(b.assetId);
        str(a, b.market);
        a.append(valid);
        str(a, valid ? null : reason);
        str(a, cause);
        if (b.timestampMs >= 0) {
            a.append(b.timestampMs);
        } else {
            a.appendNull();
        }
        List<BookHash.Level> bids = valid ? b.bestBids(Math.max(1, levels)) : List.of();
        List<BookHash.Level> asks = valid ? b.bestAsks(Math.max(1, levels)) : List.of();
        level(a, bids, 0);
        level(a, asks, 0);
        for (List<BookHash.Level> side : List.of(bids, asks)) {
            for (int i = 0; i < levels; i++) {
                level(a, side, i);
            }
        }
        a.endRow();
        buffered++;
        rows++;
        if (valid) {
            validRows++;
        }
    }

    private void level(DuckDBAppender a, List<BookHash.Level> side, int i) throws SQLException {
        if (i < side.size()) {
            dec(a, side.get(i).price());
            dec(a, side.get(i).size());
        } else {
            a.appendNull();
            a.appendNull();
        }
    }

    private void dec(DuckDBAppender a, String wire) throws SQLException {
        BigDecimal v = new BigDecimal(wire);
        BigDecimal scaled;
        try {
            scaled = v.setScale(SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            valuesNotExact++;
            scaled = v.setScale(SCALE, RoundingMode.HALF_EVEN);
        }
        if (scaled.abs().compareTo(MAX) >= 0) {
            valuesNotExact++;
            a.appendNull();
            return;
        }
        a.append(scaled);
    }

    private static void str(DuckDBAppender a, String s) throws SQLException {
        if (s == null) {
            a.appendNull();
        } else {
            a.append(s);
        }
    }

    /** Copies the buffered rows to the next part file of their date. */
    void flush() throws SQLException, IOException {
        if (buffered == 0) {
            return;
        }
        appender.close();
        String day = date.toString();
        int n = partsPerDate.merge(day, 1, Integer::sum) - 1;
        Path dir = out.resolve("date=" + day);
        Files.createDirectories(dir);
        Path file = dir.resolve(String.format("part-%05d.parquet", n));
        try (Statement s = db.createStatement()) {
            s.execute("COPY rows TO '" + file.toAbsolutePath().toString().replace("'", "''")
                    + "' (FORMAT parquet, COMPRESSION zstd)");
            s.execute("DELETE FROM rows");
        }
        parts.add(new Part(day, out.relativize(file).toString(), buffered));
        buffered = 0;
        appender = db.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rows");
    }

    /** Flushes what is left; call before {@link #close()} on success. */
    void finish() throws SQLException, IOException {
        flush();
    }

    @Override
    public void close() throws SQLException {
        try {
            appender.close();
        } finally {
            db.close();
        }
    }
}
