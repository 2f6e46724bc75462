package io.orderbooks.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Rebuilds the L2 book of every asset from the records of a data dir in receive order (docs/REPLAY.md):
 * <ul>
 *   <li>a websocket {@code book} event or a REST book sets the whole book and makes it valid;</li>
 *   <li>each {@code price_changes[]} entry sets the level to its new total size ({@code "0"} removes it), on the
 *       entry's own asset (cross-asset entries); the legacy {@code changes[]} and flat forms too;</li>
 *   <li>{@code tick_size_change} and {@code last_trade_price} update the book's fields;</li>
 *   <li>arrays of events are unrolled.</li>
 * </ul>
 * A book is <em>unknown</em> until its first full book, and again (until the next full book) wherever the recording
 * says data may be missing: a {@code gap}, {@code stale} or {@code disconnected} event of its connection, a
 * {@code collector-down} gap, a {@code seq} hole, a frame that was not JSON, an entry that cannot be read, a damaged
 * file, an hour an operator marked invalid ({@link MarkFilter}), or a hash that disagrees. Every hash the feed carries is checked against the rebuilt book ({@link Tally}).
 * <p>
 * An asset's frames count from the connection whose {@code book} event set it last (its own subscription); the same
 * frame delivered on a sibling's connection (cross-asset delivery, docs/COLLECTOR.md "Feed size") is not applied
 * twice. An event older than the book's timestamp (a REST book overtook it) is skipped.
 */
final class ReplayEngine {
    /** Why a book became unknown when its rebuilt hash disagreed with Polymarket's (not data missing). */
    static final String HASH_DISAGREEMENT = "hash disagreement";
    /** Not checkable: a REST book of the event's millisecond, received first, may already hold the event. */
    static final String REST_RACE = "REST book of the same millisecond received first";

    /** One level change: {@code size} is the new total, {@code "0"} when the level went. */
    record Delta(boolean bid, String price, String size) {}

    /**
     * A book after an event changed it or its validity.
     *
     * @param cause    {@code book}, {@code rest}, {@code price_change}, {@code tick_size_change},
     *                 {@code last_trade_price} or {@code unknown} (the book became unknown)
     * @param snapshot a full book replaced the levels ({@code deltas} is then the difference to the previous state)
     */
    record Update(Book book, long recvUs, String sourceTs, String cause, List<Delta> deltas, boolean snapshot) {}

    interface Listener {
        void update(Update u);
    }

    /** Engine-wide counts, for the summary. */
    static final class Counts {
        long records;
        long frames;
        long events;
        long restBooks;
        long seqHoles;
        long gaps;
        long unparsedFrames;
        long unreadableEntries;
        long skippedOtherConnection;
        long skippedStale;
        long restTooOld;
        long damagedFiles;
        final Map<String, Long> unknownBecause = new TreeMap<>();
    }

    private static final class Conn {
        long lastSeq = -1;
        final Set<String> assets = new LinkedHashSet<>();
    }

    private final Predicate<String> wanted;
    private final Listener listener;
    private final Map<String, Book> books = new LinkedHashMap<>();
    private final Map<String, Tally> tallies = new LinkedHashMap<>();
    private final Map<String, Conn> conns = new HashMap<>();
    final Counts counts = new Counts();
    /** The buffer every book's hash input is written into: the engine runs on one thread. */
    private final Utf8 scratch = new Utf8();

    // the record being applied, for context
    private long recvUs;
    private String conn;
    private long seq = -1;

    ReplayEngine(Predicate<String> wanted, Listener listener) {
        this.wanted = wanted;
        this.listener = listener;
    }

    Map<String, Book> books() {
        return books;
    }

    Map<String, Tally> tallies() {
        return tallies;
    }

    Tally total() {
        Tally t = new Tally();
        tallies.values().forEach(t::add);
        return t;
    }

    /** Applies one record line (the envelope of docs/DATA-FORMAT.md §2) or a reader's synthetic event. */
    void accept(JsonNode rec) {
        counts.records++;
        recvUs = rec.path("recv_us").asLong();
        conn = RecordSource.connection(text(rec, RecordSource.INSTANCE_FIELD), text(rec, "conn"));
        seq = rec.has("seq") ? rec.get("seq").asLong() : -1;
        String src = rec.path("src").asText("");
        if (rec.has("event")) {
            onEvent(rec, src);
        } else if ("rest".equals(src)) {
            if (rec.has("item")) {
                onRest(rec.get("item"));
            }
        } else if ("ws".equals(src) && conn != null) {
            if (seq >= 0) {
                checkSeq();
            }
            if (rec.has("frame")) {
                counts.frames++;
                JsonNode frame = rec.get("frame");
                if (frame.isArray()) {
                    for (JsonNode ev : frame) {
                        onWsEvent(ev);
                    }
                } else {
                    onWsEvent(frame);
                }
            } else if (rec.has("frame_text")) {
                counts.frames++;
                counts.unparsedFrames++;
                invalidateConnection(conn, "unparsed frame on " + conn);
            }
        }
    }

    // ---- events and continuity ----

    private void onEvent(JsonNode rec, String src) {
        counts.events++;
        String name = rec.path("event").asText();
        switch (name) {
            case "gap" -> {
                counts.gaps++;
                String reason = rec.path("reason").asText("?");
                if (conn != null) {
                    invalidateConnection(conn, "gap (" + reason + ") on " + conn);
                } else if ("ws".equals(src) || "collector-down".equals(reason)) {
                    invalidateAll("gap (" + reason + ")");
                }
            }
            case "stale", "disconnected" -> {
                if (conn != null) {
                    invalidateConnection(conn, name + " " + conn);
                }
            }
            case "connected" -> {
                Conn c = conns.get(conn);
                if (c != null && c.lastSeq >= 0) {
                    // The same id connected again: files written before ids carried the run token (DATA-FORMAT §2).
                    invalidateConnection(conn, "connection id " + conn + " connected again");
                    c.lastSeq = -1;
                }
            }
            case RecordSource.DAMAGED_EVENT -> {
                counts.damagedFiles++;
                invalidateAll("damaged file " + rec.path("file").asText());
            }
            case MarkFilter.MARKED_EVENT -> {
                invalidateAll("marked invalid");
                // The marked hour's frames are withheld on purpose: the seq numbers after it jump, and that jump is
                // the mark, not a hole in the recording (every book is unknown until its next full book anyway).
                conns.values().forEach(c -> c.lastSeq = -1);
            }
            default -> {
                // subscribed, split, lead, paused/resumed (nothing missing), REST events, ...: no effect on books.
            }
        }
    }

    private void checkSeq() {
        Conn c = conns.computeIfAbsent(conn, k -> new Conn());
        if (c.lastSeq >= 0 && seq != c.lastSeq + 1) {
            counts.seqHoles++;
            invalidateConnection(
                    conn,
                    seq == 0
                            ? "seq of " + conn + " back at 0"
                            : "seq hole on " + conn + " (" + (c.lastSeq + 1) + ".." + (seq - 1) + ")");
        }
        c.lastSeq = seq;
    }

    /** Every asset whose frames come from this connection becomes unknown. */
    private void invalidateConnection(String connId, String reason) {
        Conn c = conns.get(connId);
        if (c == null) {
            return;
        }
        for (String asset : c.assets) {
            Book b = books.get(asset);
            if (b != null && (b.ownerConn == null || b.ownerConn.equals(connId))) {
                unknown(b, reason, null);
            }
        }
    }

    private void invalidateAll(String reason) {
        for (Book b : books.values()) {
            unknown(b, reason, null);
        }
    }

    private void unknown(Book b, String reason, String sourceTs) {
        if (b.markUnknown(reason)) {
            counts.unknownBecause.merge(reasonKind(reason), 1L, Long::sum);
            listener.update(
                    new Update(b, recvUs, sourceTs != null ? sourceTs : b.timestamp, "unknown", List.of(), false));
        }
    }

    /** "gap (stale) on ws-01.2@ab" → "gap (stale)": the kind of reason, for the summary's counts. */
    private static String reasonKind(String reason) {
        int on = reason.indexOf(" on ");
        String r = on > 0 ? reason.substring(0, on) : reason;
        if (r.startsWith("seq of") || r.startsWith("connection id")) {
            return "connection id reused";
        }
        if (r.startsWith("stale ") || r.startsWith("disconnected ")) {
            return r.substring(0, r.indexOf(' '));
        }
        if (r.startsWith("damaged file")) {
            return "damaged file";
        }
        return r;
    }

    // ---- websocket events ----

    private void onWsEvent(JsonNode ev) {
        if (!ev.isObject()) {
            return;
        }
        switch (ev.path("event_type").asText("")) {
            case "book" -> onBook(ev);
            case "price_change" -> onPriceChange(ev);
            case "tick_size_change" -> onField(ev, "tick_size_change");
            case "last_trade_price" -> onField(ev, "last_trade_price");
            default -> {
                // best_bid_ask (redundant), new_market, market_resolved, replies: not book data.
            }
        }
    }

    private Book book(String asset) {
        return books.computeIfAbsent(asset, a -> new Book(a, scratch));
    }

    /** The book's tally, created (in the report's order) the first time it is asked for. */
    private Tally tally(Book b) {
        if (b.tally == null) {
            b.tally = tallies.computeIfAbsent(b.assetId, k -> new Tally());
        }
        return b.tally;
    }

    /** Adds the book's asset to the assets of the record's connection (once: the sets only grow). */
    private void seenOn(Book b) {
        if (conn != null && !conn.equals(b.seenOn)) {
            conns.computeIfAbsent(conn, k -> new Conn()).assets.add(b.assetId);
            b.seenOn = conn;
        }
    }

    /** Whether this connection's event at {@code tsMs} applies to the book (see the class comment). */
    private boolean accepts(Book b, long tsMs) {
        if (b.ownerConn != null && conn != null && !b.ownerConn.equals(conn)) {
            counts.skippedOtherConnection++;
            return false;
        }
        if (tsMs >= 0 && tsMs < b.timestampMs) {
            counts.skippedStale++;
            return false;
        }
        return true;
    }

    private void onBook(JsonNode ev) {
        String asset = text(ev, "asset_id");
        if (asset == null || !wanted.test(asset)) {
            return;
        }
        Book b = book(asset);
        seenOn(b);
        tally(b);
        String ts = text(ev, "timestamp");
        long tsMs = millis(ts);
        if (b.valid() && tsMs >= 0 && tsMs < b.timestampMs) {
            counts.skippedStale++;
            return;
        }
        List<BookHash.Level> oldBids = b.bidsAscending();
        List<BookHash.Level> oldAsks = b.asksDescending();
        try {
            b.replaceLevels(levels(ev.get("bids")), levels(ev.get("asks")));
        } catch (RuntimeException e) {
            counts.unreadableEntries++;
            unknown(b, "unreadable book event", ts);
            return;
        }
        setFields(b, ev, ts, tsMs);
        b.websocketAt(tsMs);
        b.ownerConn = conn;
        b.markValid();
        b.note(op(
                "book",
                ts,
                b.bidsAscending().size() + " bids, " + b.asksDescending().size() + " asks"));
        String hash = text(ev, "hash");
        if (hash != null) {
            check(b, hash, "book", ts);
        }
        b.remember();
        listener.update(new Update(b, recvUs, ts, "book", diff(oldBids, oldAsks, b), true));
    }

    /** The fields a full book carries (when present and not {@code ""}). */
    private static void setFields(Book b, JsonNode ev, String ts, long tsMs) {
        String market = text(ev, "market");
        if (market != null) {
            b.market = market;
        }
        // Taken as sent when present, "" included: that is what the server's own book holds and hashes.
        if (text(ev, "tick_size") != null) {
            b.tickSize = text(ev, "tick_size");
        }
        if (text(ev, "last_trade_price") != null) {
            b.lastTradePrice = text(ev, "last_trade_price");
        }
        if (text(ev, "min_order_size") != null) {
            b.minOrderSize = text(ev, "min_order_size");
        }
        if (ev.has("neg_risk") && ev.get("neg_risk").isBoolean()) {
            b.negRisk = ev.get("neg_risk").asBoolean();
        }
        if (ts != null && tsMs >= 0) {
            b.timestamp = ts;
            b.timestampMs = tsMs;
        }
    }

    private void onPriceChange(JsonNode ev) {
        String ts = text(ev, "timestamp");
        long tsMs = millis(ts);
        String market = text(ev, "market");
        JsonNode entries = ev.get("price_changes");
        if (entries != null && entries.isArray()) {
            applyEntries(entries, null, null, market, ts, tsMs);
        } else if (ev.has("changes") && ev.get("changes").isArray()) {
            // Legacy (before 2025-09-15): one asset, its changes, one hash for the result.
            applyEntries(ev.get("changes"), text(ev, "asset_id"), text(ev, "hash"), market, ts, tsMs);
        } else if (ev.has("price") && ev.has("side")) {
            // The older flat form: one change at the top level.
            applyEntries(List.of(ev), text(ev, "asset_id"), text(ev, "hash"), market, ts, tsMs);
        } else {
            String asset = text(ev, "asset_id");
            if (asset != null && wanted.test(asset)) {
                counts.unreadableEntries++;
                unknown(book(asset), "unreadable price_change", ts);
            }
        }
    }

    /**
     * Applies entries in order. An entry's hash is the hash of its asset's book after the change; several entries of
     * one asset can share a hash (the book after all of them, docs/REPLAY.md), so a hash is checked after the last
     * entry of each run of equal hashes of that asset in this event. With {@code asset}/{@code hash} given (legacy
     * forms) every entry is of that asset and the hash is checked once, after all.
     */
    private void applyEntries(
            Iterable<JsonNode> entryNodes, String asset, String hash, String market, String ts, long tsMs) {
        List<JsonNode> entries = new ArrayList<>();
        entryNodes.forEach(entries::add);
        int n = entries.size();
        boolean[] checkAfter = new boolean[n];
        Map<String, String> nextHash = new HashMap<>();
        for (int i = n - 1; i >= 0; i--) {
            String a = asset != null ? asset : text(entries.get(i), "asset_id");
            String h = asset != null ? (i == n - 1 ? hash : null) : text(entries.get(i), "hash");
            if (a == null) {
                continue;
            }
            checkAfter[i] = h != null && (!nextHash.containsKey(a) || !h.equals(nextHash.get(a)));
            nextHash.put(a, h);
        }
        Map<String, List<Delta>> touched = new LinkedHashMap<>();
        Map<String, Boolean> accepted = new HashMap<>();
        for (int i = 0; i < n; i++) {
            JsonNode e = entries.get(i);
            String a = asset != null ? asset : text(e, "asset_id");
            if (a == null) {
                // Whose level changed is unknown: every asset of this connection may be wrong now.
                counts.unreadableEntries++;
                if (conn != null) {
                    invalidateConnection(conn, "price_change entry without asset_id on " + conn);
                }
                continue;
            }
            if (!wanted.test(a)) {
                continue;
            }
            Book b = book(a);
            seenOn(b);
            tally(b);
            if (!accepted.computeIfAbsent(a, k -> accepts(b, tsMs))) {
                continue;
            }
            String side = text(e, "side");
            String price = text(e, "price");
            String size = text(e, "size");
            boolean bid = "BUY".equals(side);
            try {
                if (!bid && !"SELL".equals(side) || price == null || size == null) {
                    throw new NumberFormatException("side " + side + ", price " + price + ", size " + size);
                }
                b.setLevel(bid, price, size);
            } catch (NumberFormatException ex) {
                counts.unreadableEntries++;
                unknown(b, "unreadable price_change entry", ts);
                touched.computeIfAbsent(a, k -> new ArrayList<>());
                continue;
            }
            if (market != null) {
                b.market = market;
            }
            b.touch(ts, tsMs);
            b.note(op("price_change", ts, new Change(side, price, size)));
            touched.computeIfAbsent(a, k -> new ArrayList<>()).add(new Delta(bid, price, size));
            if (checkAfter[i]) {
                String h = asset != null ? hash : text(e, "hash");
                checkTop(b, e);
                check(b, h, "price_change", ts);
            }
        }
        for (Map.Entry<String, List<Delta>> t : touched.entrySet()) {
            Book b = books.get(t.getKey());
            b.remember();
            if (!t.getValue().isEmpty()) {
                listener.update(new Update(b, recvUs, ts, "price_change", t.getValue(), false));
            }
        }
    }

    /** tick_size_change / last_trade_price: a field of the book changes, the levels do not. */
    private void onField(JsonNode ev, String kind) {
        String asset = text(ev, "asset_id");
        if (asset == null || !wanted.test(asset)) {
            return;
        }
        Book b = book(asset);
        seenOn(b);
        tally(b);
        String ts = text(ev, "timestamp");
        long tsMs = millis(ts);
        if (!accepts(b, tsMs)) {
            return;
        }
        if ("tick_size_change".equals(kind)) {
            if (!nonEmpty(ev, "new_tick_size")) {
                counts.unreadableEntries++;
                unknown(b, "unreadable tick_size_change", ts);
                return;
            }
            b.tickSize = text(ev, "new_tick_size");
            b.note(op(kind, ts, text(ev, "old_tick_size") + " -> " + b.tickSize));
        } else {
            // An unreadable price leaves last_trade_price unknown: hashes are then not checkable, the levels stay.
            b.lastTradePrice = nonEmpty(ev, "price") ? text(ev, "price") : null;
            b.note(op(kind, ts, String.valueOf(b.lastTradePrice)));
        }
        b.market = b.market != null ? b.market : text(ev, "market");
        b.touch(ts, tsMs);
        b.remember();
        listener.update(new Update(b, recvUs, ts, kind, List.of(), false));
    }

    // ---- REST ----

    private void onRest(JsonNode item) {
        String asset = text(item, "asset_id");
        if (asset == null || !wanted.test(asset)) {
            return;
        }
        counts.restBooks++;
        Book b = book(asset);
        Tally t = tally(b);
        String ts = text(item, "timestamp");
        long tsMs = millis(ts);
        List<BookHash.Level> restBids;
        List<BookHash.Level> restAsks;
        Book parsed = new Book(asset, scratch);
        try {
            restBids = levels(item.get("bids"));
            restAsks = levels(item.get("asks"));
            parsed.replaceLevels(restBids, restAsks);
        } catch (RuntimeException e) {
            counts.unreadableEntries++;
            t.notComparable("unreadable REST book");
            return;
        }
        // The REST book against its own hash: the published algorithm over the book as served (wire order).
        String restHash = text(item, "hash");
        if (restHash != null && item.has("min_order_size") && item.has("neg_risk") && item.has("tick_size")) {
            String own = BookHash.sha1Hex(
                    scratch,
                    text(item, "market"),
                    asset,
                    ts,
                    restBids,
                    restAsks,
                    text(item, "min_order_size"),
                    text(item, "tick_size"),
                    item.path("neg_risk").asBoolean(),
                    text(item, "last_trade_price"));
            if (own.equals(restHash)) {
                t.restSelfAgreed++;
            } else {
                t.restSelfDisagreed++;
                Map<String, Object> ctx = context("rest (own hash)", ts, restHash, own);
                t.firstDisagreement(ctx);
            }
        }
        // Fields the websocket omits: from the latest REST book.
        if (text(item, "min_order_size") != null) {
            b.minOrderSize = text(item, "min_order_size");
        }
        if (item.has("neg_risk") && item.get("neg_risk").isBoolean()) {
            b.negRisk = item.get("neg_risk").asBoolean();
        }
        String restDigest = parsed.levelsDigest();
        boolean apply;
        if (!b.valid()) {
            t.notComparable("book unknown");
            apply = tsMs < 0 || tsMs >= b.timestampMs;
            if (!apply) {
                counts.restTooOld++;
            }
        } else if (tsMs < 0) {
            t.notComparable("REST book without timestamp");
            apply = true;
        } else if (tsMs <= b.timestampMs) {
            // The rebuilt book is at (or past) the REST book's moment: one of its states of that timestamp must have
            // the same levels. Several events can share a millisecond, so any state of that timestamp counts.
            Boolean had = b.hadLevelsAt(tsMs, restDigest);
            apply = false;
            if (had == null) {
                t.notComparable("no rebuilt state at the REST timestamp");
            } else if (had) {
                t.restCompared++;
                t.restAgreed++;
                // The REST book is the book as it is now: take its fields too (tick size, last trade price).
                apply = tsMs == b.timestampMs && restDigest.equals(b.levelsDigest());
            } else {
                t.restCompared++;
                t.restDisagreed++;
                Map<String, Object> ctx = context(
                        tsMs == b.timestampMs ? "rest (same timestamp)" : "rest (older than the rebuilt book)",
                        ts,
                        null,
                        null);
                ctx.put("rebuilt_timestamp", b.timestamp);
                ctx.put("rebuilt_bids", b.bidsAscending().toString());
                ctx.put("rebuilt_asks", b.asksDescending().toString());
                ctx.put("rest_bids", parsed.bidsAscending().toString());
                ctx.put("rest_asks", parsed.asksDescending().toString());
                ctx.put("recent", b.recentOps());
                t.firstDisagreement(ctx);
                // Of the same moment as the rebuilt book: the REST book is the server's, so it sets the book.
                apply = tsMs == b.timestampMs;
            }
            if (!apply) {
                counts.skippedStale += tsMs < b.timestampMs ? 1 : 0;
            }
        } else {
            t.notComparable("REST book newer than the websocket");
            apply = true;
        }
        if (!apply) {
            return;
        }
        List<BookHash.Level> oldBids = b.bidsAscending();
        List<BookHash.Level> oldAsks = b.asksDescending();
        // A REST book ahead of the websocket: the websocket's events of its millisecond may still come (or not).
        long restAhead = tsMs >= 0 && (!b.valid() || tsMs > b.timestampMs) ? tsMs : -1;
        b.replaceLevels(restBids, restAsks);
        setFields(b, item, ts, tsMs);
        b.restAheadMs = restAhead;
        b.markValid();
        b.note(op("rest", ts, restBids.size() + " bids, " + restAsks.size() + " asks"));
        b.remember();
        listener.update(new Update(b, recvUs, ts, "rest", diff(oldBids, oldAsks, b), true));
    }

    // ---- checks ----

    private void check(Book b, String expected, String kind, String ts) {
        Tally t = tally(b);
        if (!b.valid()) {
            t.notCheckable("book unknown");
            return;
        }
        String missing = b.missingForHash();
        if (missing != null) {
            t.notCheckable("not known yet: " + missing);
            return;
        }
        String computed = b.hashHex();
        if (!computed.equals(expected) && b.mayBeInRestBook(millis(ts))) {
            // The REST book that set this book is of this event's millisecond (or later) and arrived first: whether
            // it already holds this event is unknowable, so this is no disagreement of the rebuild; but the book may
            // now mix the two, so it is unknown until the next full book (docs/REPLAY.md, The hash check).
            t.notCheckable(REST_RACE);
            unknown(b, REST_RACE, ts);
            return;
        }
        t.hashChecked++;
        if (computed.equals(expected)) {
            t.hashAgreed++;
        } else {
            t.hashDisagreed++;
            Map<String, Object> ctx = context(kind, ts, expected, computed);
            String preimage = b.preimage();
            ctx.put("preimage", preimage.length() > 4000 ? preimage.substring(0, 4000) + "…" : preimage);
            ctx.put("recent", b.recentOps());
            t.firstDisagreement(ctx);
            unknown(b, HASH_DISAGREEMENT, ts);
        }
    }

    /** The best bid/ask an entry carries ({@code ""} = that side is empty) against the rebuilt book's. */
    private void checkTop(Book b, JsonNode entry) {
        if (!b.valid() || !entry.has("best_bid") || !entry.has("best_ask")) {
            return;
        }
        Tally t = tally(b);
        if (samePrice(b.bestBid(), text(entry, "best_bid")) && samePrice(b.bestAsk(), text(entry, "best_ask"))) {
            t.topAgreed++;
        } else {
            t.topDisagreed++;
        }
    }

    private static boolean samePrice(BookHash.Level level, String wire) {
        if (wire == null || wire.isEmpty()) {
            return level == null;
        }
        if (level != null && level.price().equals(wire)) {
            return true; // the same string: numerically equal (the book's price was parsed when it was set)
        }
        try {
            return level != null && new BigDecimal(level.price()).compareTo(new BigDecimal(wire)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Map<String, Object> context(String kind, String ts, String expected, String computed) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("recv_us", recvUs);
        ctx.put("conn", conn);
        ctx.put("seq", seq >= 0 ? seq : null);
        ctx.put("kind", kind);
        ctx.put("timestamp", ts);
        if (expected != null) {
            ctx.put("published_hash", expected);
            ctx.put("rebuilt_hash", computed);
        }
        return ctx;
    }

    private Op op(String kind, String ts, Object what) {
        return new Op(recvUs, conn, seq, kind, ts, what);
    }

    /**
     * One applied operation, for a disagreement's {@code recent} list: kept as parts and formatted only when a
     * disagreement asks for it (every entry is noted, few are ever shown).
     */
    private record Op(long recvUs, String conn, long seq, String kind, String ts, Object what) {
        @Override
        public String toString() {
            return recvUs + " " + (conn == null ? "rest" : conn + (seq >= 0 ? "#" + seq : "")) + " " + kind + " ts="
                    + ts + " " + what;
        }
    }

    /** A level change as {@code recent} shows it: {@code BUY 0.43 -> 100}. */
    private record Change(String side, String price, String size) {
        @Override
        public String toString() {
            return side + " " + price + " -> " + size;
        }
    }

    // ---- helpers ----

    private static List<Delta> diff(List<BookHash.Level> oldBids, List<BookHash.Level> oldAsks, Book b) {
        List<Delta> out = new ArrayList<>();
        diffSide(true, oldBids, b.bidsAscending(), out);
        diffSide(false, oldAsks, b.asksDescending(), out);
        return out;
    }

    private static void diffSide(
            boolean bid, List<BookHash.Level> before, List<BookHash.Level> after, List<Delta> out) {
        Map<BigDecimal, BookHash.Level> old = new HashMap<>();
        for (BookHash.Level l : before) {
            old.put(new BigDecimal(l.price()).stripTrailingZeros(), l);
        }
        for (BookHash.Level l : after) {
            BookHash.Level was = old.remove(new BigDecimal(l.price()).stripTrailingZeros());
            if (was == null || !was.equals(l)) {
                out.add(new Delta(bid, l.price(), l.size()));
            }
        }
        for (BookHash.Level gone : old.values()) {
            out.add(new Delta(bid, gone.price(), "0"));
        }
    }

    private static List<BookHash.Level> levels(JsonNode arr) {
        List<BookHash.Level> out = new ArrayList<>();
        if (arr == null || arr.isNull()) {
            return out;
        }
        if (!arr.isArray()) {
            throw new IllegalArgumentException("levels are not an array");
        }
        for (JsonNode l : arr) {
            String p = text(l, "price");
            String s = text(l, "size");
            if (p == null || s == null) {
                throw new IllegalArgumentException("level without price or size");
            }
            out.add(new BookHash.Level(p, s));
        }
        return out;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static boolean nonEmpty(JsonNode n, String field) {
        String s = text(n, field);
        return s != null && !s.isEmpty();
    }

    private static long millis(String ts) {
        if (ts == null) {
            return -1;
        }
        try {
            return Long.parseLong(ts);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
