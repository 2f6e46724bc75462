package io.orderbooks.replay;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The rebuilt L2 book of one asset. Levels are ordered by their numeric price and keep the wire strings of price and
 * size, because the hash is over the original strings ({@code "0.430"} is not {@code "0.43"}). A level whose new
 * total size is zero is removed. The fields the websocket often omits ({@code min_order_size}, {@code neg_risk}) are
 * whatever the latest REST book (or a book event that carried them) said; null while never seen.
 */
final class Book {
    /** What the book knows about the server's state: a full book set it and nothing since may be missing. */
    enum Validity {
        UNKNOWN,
        VALID
    }

    final String assetId;
    String market;
    /** The source {@code timestamp} (ms string) of the latest event applied, and its value; -1 when none. */
    String timestamp;

    long timestampMs = -1;
    String tickSize;
    String minOrderSize;
    Boolean negRisk;
    String lastTradePrice;
    /** The connection whose {@code book} event last set this book: its frames are authoritative for it. */
    String ownerConn;
    /**
     * The timestamp (ms) of a REST book that set this book while the websocket had not reached that millisecond; -1
     * otherwise. Until the websocket brings an event of a later millisecond, an event of this millisecond that
     * arrives after the REST book may or may not be in it already: the REST request and the websocket are separate
     * connections, and receive order says nothing about the server's order within one millisecond. Cleared by
     * {@link #websocketAt}.
     */
    long restAheadMs = -1;

    Validity validity = Validity.UNKNOWN;
    /** Why the book is unknown (null while valid). */
    String unknownReason = "no full book yet";

    private final Levels bids = new Levels();
    private final Levels asks = new Levels();
    /** The last few operations, for the context of a disagreement; formatted only when asked for. */
    private final Deque<Object> recent = new ArrayDeque<>();
    /** (timestamp ms, levels digest) of the latest states, to compare a REST book that is older than the book. */
    private final long[] historyTs = new long[32];

    private final String[] historyDigest = new String[32];
    private int historyNext;
    /** Counts changes of the levels: {@link #levelsDigest()} is computed again only after one. */
    private long levelsVersion;

    private long digestVersion = -1;
    private String digest;
    /** The bytes of {@code {"market":…,"asset_id":…,"timestamp":} for {@link #headMarket}, reused while it stays. */
    private byte[] head;

    private String headMarket;

    /** The parts of {@link #levelsDigest()}'s preimage around the levels: every other field is {@code ""}/false. */
    private static final byte[] LEVELS_HEAD =
            "{\"market\":\"\",\"asset_id\":\"\",\"timestamp\":\"\",\"hash\":\"\",\"bids\":"
                    .getBytes(StandardCharsets.US_ASCII);

    private static final byte[] LEVELS_TAIL =
            ",\"min_order_size\":\"\",\"tick_size\":\"\",\"neg_risk\":false,\"last_trade_price\":\"\"}"
                    .getBytes(StandardCharsets.US_ASCII);

    /** Where the hash input is written (one per engine). */
    private final Utf8 scratch;
    /** The engine's tally of this asset, once it has one. */
    Tally tally;
    /** The connection this book's asset was last seen on, so that it is not added to that connection's set again. */
    String seenOn;

    Book(String assetId, Utf8 scratch) {
        this.assetId = assetId;
        this.scratch = scratch;
    }

    /** A book with a hash buffer of its own (tests). */
    Book(String assetId) {
        this(assetId, new Utf8());
    }

    boolean valid() {
        return validity == Validity.VALID;
    }

    void markValid() {
        validity = Validity.VALID;
        unknownReason = null;
    }

    /** @return true when this changed the book from valid to unknown */
    boolean markUnknown(String reason) {
        boolean was = valid();
        if (was || unknownReason == null) {
            unknownReason = reason;
        }
        validity = Validity.UNKNOWN;
        return was;
    }

    private Levels side(boolean bid) {
        return bid ? bids : asks;
    }

    /**
     * Sets the total size at a price ({@code price_change} semantics); zero removes the level.
     *
     * @throws NumberFormatException when the price or the size is not a decimal (e.g. {@code ""})
     */
    void setLevel(boolean bid, String price, String size) {
        BigDecimal p = new BigDecimal(price);
        BigDecimal s = new BigDecimal(size);
        if (s.signum() < 0 || p.signum() < 0) {
            throw new NumberFormatException("negative price or size: " + price + " " + size);
        }
        levelsVersion++;
        if (s.signum() == 0) {
            side(bid).remove(p);
        } else {
            side(bid).put(p, new BookHash.Level(price, size));
        }
    }

    /** Replaces both sides (a full book). Levels are validated before anything changes. */
    void replaceLevels(List<BookHash.Level> newBids, List<BookHash.Level> newAsks) {
        Levels b = parse(newBids);
        Levels a = parse(newAsks);
        levelsVersion++;
        bids.replaceWith(b);
        asks.replaceWith(a);
    }

    private static Levels parse(List<BookHash.Level> levels) {
        Levels out = new Levels();
        for (BookHash.Level l : levels) {
            BigDecimal p = new BigDecimal(l.price());
            BigDecimal s = new BigDecimal(l.size());
            if (s.signum() < 0 || p.signum() < 0) {
                throw new NumberFormatException("negative price or size: " + l);
            }
            if (s.signum() > 0) {
                out.put(p, l);
            }
        }
        return out;
    }

    /** Moves the book's timestamp to {@code ts} if that is later (the server's book timestamp never goes back). */
    void touch(String ts, long tsMs) {
        if (ts != null && tsMs >= timestampMs) {
            timestamp = ts;
            timestampMs = tsMs;
        }
        websocketAt(tsMs);
    }

    /** The websocket brought an event of {@code tsMs}: past the REST book's millisecond, the order is known again. */
    void websocketAt(long tsMs) {
        if (tsMs > restAheadMs) {
            restAheadMs = -1;
        }
    }

    /** Whether an event of {@code tsMs} may already be in the REST book that set this book (see {@link #restAheadMs}). */
    boolean mayBeInRestBook(long tsMs) {
        return restAheadMs >= 0 && tsMs >= 0 && tsMs <= restAheadMs;
    }

    /** Bids ascending, as hashed and as on the wire. */
    List<BookHash.Level> bidsAscending() {
        return bids.ascending();
    }

    /** Asks descending, as hashed and as on the wire (the best ask last). */
    List<BookHash.Level> asksDescending() {
        return asks.descending();
    }

    /** The best {@code n} bids, best first (highest price first). */
    List<BookHash.Level> bestBids(int n) {
        List<BookHash.Level> out = new ArrayList<>(Math.min(n, bids.size()));
        for (int i = bids.size() - 1; i >= 0 && out.size() < n; i--) {
            out.add(bids.get(i));
        }
        return out;
    }

    /** The best {@code n} asks, best first (lowest price first). */
    List<BookHash.Level> bestAsks(int n) {
        List<BookHash.Level> out = new ArrayList<>(Math.min(n, asks.size()));
        for (int i = 0; i < asks.size() && out.size() < n; i++) {
            out.add(asks.get(i));
        }
        return out;
    }

    BookHash.Level bestBid() {
        return bids.size() == 0 ? null : bids.get(bids.size() - 1);
    }

    BookHash.Level bestAsk() {
        return asks.size() == 0 ? null : asks.get(0);
    }

    /** What the hash needs beyond the levels and is not known yet, or null when the hash can be computed. */
    String missingForHash() {
        List<String> missing = new ArrayList<>();
        if (market == null) {
            missing.add("market");
        }
        if (timestamp == null) {
            missing.add("timestamp");
        }
        if (minOrderSize == null) {
            missing.add("min_order_size");
        }
        if (tickSize == null) {
            missing.add("tick_size");
        }
        if (negRisk == null) {
            missing.add("neg_risk");
        }
        if (lastTradePrice == null) {
            missing.add("last_trade_price");
        }
        return missing.isEmpty() ? null : String.join(", ", missing);
    }

    /** The hash preimage of the current state; call only when {@link #missingForHash()} is null. */
    String preimage() {
        return BookHash.preimage(
                market,
                assetId,
                timestamp,
                bidsAscending(),
                asksDescending(),
                minOrderSize,
                tickSize,
                negRisk,
                lastTradePrice);
    }

    /**
     * {@code BookHash.sha1Hex(preimage())} from the levels' bytes encoded when they were set; call only when
     * {@link #missingForHash()} is null.
     */
    String hashHex() {
        if (head == null || !Objects.equals(market, headMarket)) {
            head = Utf8.marketAndAsset(market, assetId);
            headMarket = market;
        }
        Utf8 out = scratch.reset();
        out.raw(head);
        out.str(timestamp);
        out.raw(Utf8.HASH_AND_BIDS);
        writeLevels(out);
        out.tail(minOrderSize, tickSize, negRisk, lastTradePrice);
        return out.sha1Hex();
    }

    /**
     * A digest of the levels alone (wire strings, hash order): what a REST book of the same moment must match. The
     * hash of a preimage with empty fields and these levels, as before; computed again only when the levels changed.
     */
    String levelsDigest() {
        if (digestVersion != levelsVersion) {
            Utf8 out = scratch.reset();
            out.raw(LEVELS_HEAD);
            writeLevels(out);
            out.raw(LEVELS_TAIL);
            digest = out.sha1Hex();
            digestVersion = levelsVersion;
        }
        return digest;
    }

    /** {@code [bids ascending],"asks":[asks descending]} */
    private void writeLevels(Utf8 out) {
        out.ascii('[');
        for (int i = 0; i < bids.size(); i++) {
            if (i > 0) {
                out.ascii(',');
            }
            out.raw(bids.json(i));
        }
        out.ascii("],\"asks\":[");
        for (int i = asks.size() - 1; i >= 0; i--) {
            if (i < asks.size() - 1) {
                out.ascii(',');
            }
            out.raw(asks.json(i));
        }
        out.ascii(']');
    }

    /** Records the state after an applied event, keyed by its timestamp. */
    void remember() {
        if (timestampMs < 0) {
            return;
        }
        int last = (historyNext + historyTs.length - 1) % historyTs.length;
        String digest = levelsDigest();
        if (historyDigest[last] != null && historyTs[last] == timestampMs && historyDigest[last].equals(digest)) {
            return;
        }
        historyTs[historyNext] = timestampMs;
        historyDigest[historyNext] = digest;
        historyNext = (historyNext + 1) % historyTs.length;
    }

    /**
     * Whether one of the remembered states at {@code tsMs} had these levels: TRUE/FALSE, or null when no state of
     * that timestamp is remembered.
     */
    Boolean hadLevelsAt(long tsMs, String digest) {
        boolean any = false;
        for (int i = 0; i < historyTs.length; i++) {
            if (historyDigest[i] != null && historyTs[i] == tsMs) {
                any = true;
                if (historyDigest[i].equals(digest)) {
                    return Boolean.TRUE;
                }
            }
        }
        return any ? Boolean.FALSE : null;
    }

    /** {@code op} is formatted by its {@code toString()} when {@link #recentOps()} is asked for (rarely). */
    void note(Object op) {
        if (recent.size() == 8) {
            recent.removeFirst();
        }
        recent.addLast(op);
    }

    List<String> recentOps() {
        List<String> out = new ArrayList<>(recent.size());
        recent.forEach(o -> out.add(o.toString()));
        return List.copyOf(out);
    }
}
