package io.orderbooks.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the rebuilt books as lines (docs/REPLAY.md, "Output"): {@code books} (the whole book after each change),
 * {@code top} (best bid and ask, when they or the validity change) or {@code deltas} (one line per level change, a
 * full book as the difference to the previous state), as JSONL or CSV. Every line has {@code recv_us}, the source
 * {@code timestamp} and {@code valid}. Levels are listed best first. Updates received before {@code fromUs} (the
 * warm-up) are applied but not written.
 */
final class Output implements ReplayEngine.Listener {
    enum Mode {
        BOOKS,
        TOP,
        DELTAS,
        NONE
    }

    enum Format {
        JSONL,
        CSV
    }

    private final Mode mode;
    private final Format format;
    private final Writer out;
    private final long fromUs;
    private final Map<String, String> lastTop = new HashMap<>();
    long lines;

    Output(Mode mode, Format format, Writer out, long fromUs) {
        this.mode = mode;
        this.format = format;
        this.out = out;
        this.fromUs = fromUs;
        if (format == Format.CSV && mode != Mode.NONE) {
            write(
                    switch (mode) {
                        case BOOKS ->
                            "recv_us,timestamp,asset_id,market,valid,cause,bids,asks,tick_size,last_trade_price,unknown_reason";
                        case TOP -> "recv_us,timestamp,asset_id,valid,best_bid,best_bid_size,best_ask,best_ask_size";
                        default -> "recv_us,timestamp,asset_id,valid,cause,snapshot,side,price,size";
                    });
        }
    }

    @Override
    public void update(ReplayEngine.Update u) {
        if (mode == Mode.NONE || u.recvUs() < fromUs) {
            if (mode == Mode.TOP) {
                lastTop.put(u.book().assetId, topKey(u.book()));
            }
            return;
        }
        switch (mode) {
            case BOOKS -> books(u);
            case TOP -> top(u);
            case DELTAS -> deltas(u);
            default -> {}
        }
    }

    private void books(ReplayEngine.Update u) {
        Book b = u.book();
        List<BookHash.Level> bids = b.bidsAscending().reversed();
        List<BookHash.Level> asks = b.asksDescending().reversed();
        if (format == Format.JSONL) {
            StringBuilder sb = head(u);
            sb.append(",\"market\":");
            str(sb, b.market);
            sb.append(",\"valid\":").append(b.valid()).append(",\"cause\":");
            str(sb, u.cause());
            sb.append(",\"bids\":");
            jsonLevels(sb, bids);
            sb.append(",\"asks\":");
            jsonLevels(sb, asks);
            sb.append(",\"tick_size\":");
            str(sb, b.tickSize);
            sb.append(",\"last_trade_price\":");
            str(sb, b.lastTradePrice);
            sb.append(",\"unknown_reason\":");
            str(sb, b.unknownReason);
            write(sb.append('}').toString());
        } else {
            write(String.join(
                    ",",
                    Long.toString(u.recvUs()),
                    csv(u.sourceTs()),
                    b.assetId,
                    csv(b.market),
                    Boolean.toString(b.valid()),
                    u.cause(),
                    csvLevels(bids),
                    csvLevels(asks),
                    csv(b.tickSize),
                    csv(b.lastTradePrice),
                    csv(b.unknownReason)));
        }
    }

    private void top(ReplayEngine.Update u) {
        Book b = u.book();
        String key = topKey(b);
        if (key.equals(lastTop.put(b.assetId, key))) {
            return;
        }
        BookHash.Level bid = b.bestBid();
        BookHash.Level ask = b.bestAsk();
        if (format == Format.JSONL) {
            StringBuilder sb = head(u);
            sb.append(",\"valid\":").append(b.valid());
            sb.append(",\"best_bid\":");
            str(sb, bid == null ? null : bid.price());
            sb.append(",\"best_bid_size\":");
            str(sb, bid == null ? null : bid.size());
            sb.append(",\"best_ask\":");
            str(sb, ask == null ? null : ask.price());
            sb.append(",\"best_ask_size\":");
            str(sb, ask == null ? null : ask.size());
            write(sb.append('}').toString());
        } else {
            write(String.join(
                    ",",
                    Long.toString(u.recvUs()),
                    csv(u.sourceTs()),
                    b.assetId,
                    Boolean.toString(b.valid()),
                    bid == null ? "" : bid.price(),
                    bid == null ? "" : bid.size(),
                    ask == null ? "" : ask.price(),
                    ask == null ? "" : ask.size()));
        }
    }

    private static String topKey(Book b) {
        BookHash.Level bid = b.bestBid();
        BookHash.Level ask = b.bestAsk();
        return b.valid() + "|" + bid + "|" + ask;
    }

    private void deltas(ReplayEngine.Update u) {
        Book b = u.book();
        if (u.deltas().isEmpty()) {
            if (!"unknown".equals(u.cause())) {
                return; // a field changed (tick size, last trade): no level moved
            }
            delta(u, b, null);
            return;
        }
        for (ReplayEngine.Delta d : u.deltas()) {
            delta(u, b, d);
        }
    }

    private void delta(ReplayEngine.Update u, Book b, ReplayEngine.Delta d) {
        String side = d == null ? null : d.bid() ? "bid" : "ask";
        if (format == Format.JSONL) {
            StringBuilder sb = head(u);
            sb.append(",\"valid\":").append(b.valid()).append(",\"cause\":");
            str(sb, u.cause());
            sb.append(",\"snapshot\":").append(u.snapshot()).append(",\"side\":");
            str(sb, side);
            sb.append(",\"price\":");
            str(sb, d == null ? null : d.price());
            sb.append(",\"size\":");
            str(sb, d == null ? null : d.size());
            write(sb.append('}').toString());
        } else {
            write(String.join(
                    ",",
                    Long.toString(u.recvUs()),
                    csv(u.sourceTs()),
                    b.assetId,
                    Boolean.toString(b.valid()),
                    u.cause(),
                    Boolean.toString(u.snapshot()),
                    side == null ? "" : side,
                    d == null ? "" : d.price(),
                    d == null ? "" : d.size()));
        }
    }

    private static StringBuilder head(ReplayEngine.Update u) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"recv_us\":").append(u.recvUs()).append(",\"timestamp\":");
        str(sb, u.sourceTs());
        sb.append(",\"asset_id\":");
        str(sb, u.book().assetId);
        return sb;
    }

    private static void str(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
        } else {
            BookHash.str(sb, s);
        }
    }

    private static void jsonLevels(StringBuilder sb, List<BookHash.Level> levels) {
        sb.append('[');
        for (int i = 0; i < levels.size(); i++) {
            sb.append(i == 0 ? "[" : ",[");
            BookHash.str(sb, levels.get(i).price());
            sb.append(',');
            BookHash.str(sb, levels.get(i).size());
            sb.append(']');
        }
        sb.append(']');
    }

    /** {@code price:size} pairs joined by {@code ;}, best first (no comma, so no CSV quoting needed). */
    private static String csvLevels(List<BookHash.Level> levels) {
        StringBuilder sb = new StringBuilder();
        for (BookHash.Level l : levels) {
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            sb.append(l.price()).append(':').append(l.size());
        }
        return sb.toString();
    }

    /** A CSV field: empty for null, quoted when it holds a comma, quote or newline. */
    private static String csv(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private void write(String line) {
        try {
            out.write(line);
            out.write('\n');
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void flush() throws IOException {
        out.flush();
    }
}
