package io.orderbooks.replay;

import static io.orderbooks.replay.Rec.entry;
import static io.orderbooks.replay.Rec.hash;
import static io.orderbooks.replay.Rec.priceChange;
import static io.orderbooks.replay.Rec.summary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rebuild rules and the validity state machine of docs/REPLAY.md, one event kind at a time. */
class ReplayEngineTest {
    static final String M = "0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1";
    static final String A = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
    static final String B = "48331043336612883890938759509493159234755048973500640148014422747788308965732";

    final List<ReplayEngine.Update> updates = new ArrayList<>();
    final ReplayEngine engine = new ReplayEngine(t -> true, updates::add);
    long seq;
    long now = 1_764_000_000_000_000L;

    private void ws(String frame) {
        engine.accept(Rec.ws(now += 1000, seq++, frame));
    }

    private void rest(Map<String, Object> summary) {
        engine.accept(Rec.rest(now += 1000, Rec.restItem(summary)));
    }

    private Book book(String asset) {
        return engine.books().get(asset);
    }

    private Tally tally(String asset) {
        return engine.tallies().get(asset);
    }

    private static Map<String, Object> bookA(String ts, List<String> bids, List<String> asks, String ltp) {
        return summary(M, A, ts, bids, asks, "5", "0.01", false, ltp);
    }

    @Test
    void thePublishedTestVectorIsReproduced() throws Exception {
        JsonNode v;
        try (InputStream in = getClass().getResourceAsStream("/replay/orderbook-hash-test-vector.json")) {
            v = Rec.JSON.readTree(in);
        }
        JsonNode b = v.get("input_book");
        List<BookHash.Level> bids = new ArrayList<>();
        b.get("bids")
                .forEach(l -> bids.add(new BookHash.Level(
                        l.get("price").asText(), l.get("size").asText())));
        List<BookHash.Level> asks = new ArrayList<>();
        b.get("asks")
                .forEach(l -> asks.add(new BookHash.Level(
                        l.get("price").asText(), l.get("size").asText())));
        String pre = BookHash.preimage(
                b.get("market").asText(),
                b.get("asset_id").asText(),
                b.get("timestamp").asText(),
                bids,
                asks,
                b.get("min_order_size").asText(),
                b.get("tick_size").asText(),
                b.get("neg_risk").asBoolean(),
                b.get("last_trade_price").asText());
        assertThat(pre).isEqualTo(v.get("canonical_preimage").asText());
        assertThat(BookHash.sha1Hex(pre)).isEqualTo(v.get("expected_sha1_hex").asText());
    }

    @Test
    void unknownUntilAFullBookThenEveryKindOfEventIsAppliedAndChecked() {
        // A price_change before any full book: applied to nothing known, not checkable.
        ws(priceChange(M, "1000", entry(A, "0.48", "10", "BUY", "0".repeat(40), "0.48", "")));
        assertThat(book(A).valid()).isFalse();
        assertThat(tally(A).notCheckableReasons).containsEntry("book unknown", 1L);

        Map<String, Object> s = bookA("1001", List.of("0.47:100", "0.48:50"), List.of("0.52:70", "0.51:30"), "0.5");
        rest(s);
        assertThat(book(A).valid()).isTrue();
        assertThat(tally(A).restSelfAgreed).isEqualTo(1);

        // price_change: BUY 0.48 -> 80 (a new total, not a delta)
        Map<String, Object> s2 = bookA("1002", List.of("0.47:100", "0.48:80"), List.of("0.52:70", "0.51:30"), "0.5");
        ws(priceChange(M, "1002", entry(A, "0.48", "80", "BUY", hash(s2), "0.48", "0.51")));
        // "0" removes the level
        Map<String, Object> s3 = bookA("1003", List.of("0.47:100", "0.48:80"), List.of("0.52:70"), "0.5");
        ws(priceChange(M, "1003", entry(A, "0.51", "0", "SELL", hash(s3), "0.48", "0.52")));
        assertThat(book(A).bestAsk().price()).isEqualTo("0.52");
        // last_trade_price updates the field the hash includes
        ws("{\"asset_id\":\"" + A + "\",\"event_type\":\"last_trade_price\",\"fee_rate_bps\":\"\",\"market\":\"" + M
                + "\",\"price\":\"0.52\",\"side\":\"BUY\",\"size\":\"10\",\"timestamp\":\"1004\"}");
        Map<String, Object> s4 = bookA("1004", List.of("0.47:100", "0.48:80"), List.of("0.52:60"), "0.52");
        ws(priceChange(M, "1004", entry(A, "0.52", "60", "SELL", hash(s4), "0.48", "0.52")));
        // tick_size_change: the new tick is hashed from then on
        ws("{\"event_type\":\"tick_size_change\",\"asset_id\":\"" + A + "\",\"market\":\"" + M
                + "\",\"old_tick_size\":\"0.01\",\"new_tick_size\":\"0.001\",\"timestamp\":\"1005\"}");
        Map<String, Object> s5 = summary(
                M,
                A,
                "1006",
                List.of("0.47:100", "0.48:80", "0.485:5"),
                List.of("0.52:60"),
                "5",
                "0.001",
                false,
                "0.52");
        ws(priceChange(M, "1006", entry(A, "0.485", "5", "BUY", hash(s5), "0.485", "0.52")));

        assertThat(tally(A).hashChecked).isEqualTo(4);
        assertThat(tally(A).hashAgreed).isEqualTo(4);
        assertThat(tally(A).topAgreed).isEqualTo(4);
        assertThat(book(A).valid()).isTrue();
        assertThat(book(A).preimage()).isEqualTo(Rec.JSON.valueToTree(s5).toString());
    }

    @Test
    void entriesOfOneAssetSharingAHashAreCheckedAfterTheLastAndCrossAssetEntriesGoToTheirOwnAsset() {
        rest(bookA("1000", List.of("0.40:10"), List.of("0.60:10"), "0.5"));
        Map<String, Object> sb = summary(M, B, "1000", List.of("0.30:5"), List.of("0.70:5"), "5", "0.01", false, "0.5");
        rest(sb);
        Map<String, Object> a2 = bookA("1001", List.of("0.40:10", "0.41:20", "0.42:30"), List.of("0.60:10"), "0.5");
        Map<String, Object> b2 =
                summary(M, B, "1001", List.of("0.30:5"), List.of("0.70:5", "0.69:1"), "5", "0.01", false, "0.5");
        // one frame: two entries of A with the hash of A after both, one of B (cross-asset) with B's
        ws(priceChange(
                M,
                "1001",
                entry(A, "0.41", "20", "BUY", hash(a2), "0.42", "0.60"),
                entry(B, "0.69", "1", "SELL", hash(b2), "0.30", "0.69"),
                entry(A, "0.42", "30", "BUY", hash(a2), "0.42", "0.60")));
        assertThat(tally(A).hashAgreed).isEqualTo(1);
        assertThat(tally(A).hashDisagreed).isZero();
        assertThat(tally(B).hashAgreed).isEqualTo(1);
        assertThat(book(B).bestAsk().price()).isEqualTo("0.69");
        assertThat(book(A).bidsAscending()).extracting(BookHash.Level::price).containsExactly("0.40", "0.41", "0.42");
    }

    @Test
    void anArrayFrameIsUnrolledAndAWebsocketBookTakesTheOmittedFieldsFromTheLatestRestBook() {
        Map<String, Object> a = bookA("1000", List.of("0.40:10"), List.of("0.60:10"), "0.5");
        Map<String, Object> b = summary(M, B, "1000", List.of("0.30:5"), List.of("0.70:5"), "5", "0.01", false, "0.5");
        // The subscribe snapshot before any REST book: set, valid, but its hash needs min_order_size/neg_risk.
        ws("[" + Rec.wsBook(a) + "," + Rec.wsBook(b) + "]");
        assertThat(book(A).valid()).isTrue();
        assertThat(book(B).valid()).isTrue();
        assertThat(tally(A).hashNotCheckable).isEqualTo(1);
        assertThat(tally(A).notCheckableReasons.keySet())
                .singleElement()
                .asString()
                .contains("min_order_size", "neg_risk", "last_trade_price");
        rest(a);
        rest(b);
        assertThat(tally(A).restAgreed).isEqualTo(1);
        Map<String, Object> a2 = bookA("1001", List.of("0.40:10"), List.of("0.60:10", "0.59:2"), "0.5");
        ws("[" + Rec.wsBook(a2) + "]");
        assertThat(tally(A).hashAgreed).isEqualTo(1);
    }

    @Test
    void emptyDecimalsAreAnEmptySideInBestBidAskAndAnUnreadableEntryElsewhere() {
        rest(bookA("1000", List.of("0.40:10"), List.of(), "0.5"));
        Map<String, Object> s = bookA("1001", List.of("0.40:10", "0.41:1"), List.of(), "0.5");
        ws(priceChange(M, "1001", entry(A, "0.41", "1", "BUY", hash(s), "0.41", "")));
        assertThat(tally(A).hashAgreed).isEqualTo(1);
        assertThat(tally(A).topAgreed).isEqualTo(1);
        // a price of "" cannot be applied: the book is unknown, not silently wrong
        ws(priceChange(M, "1002", entry(A, "", "5", "BUY", hash(s), "0.41", "")));
        assertThat(book(A).valid()).isFalse();
        assertThat(book(A).unknownReason).isEqualTo("unreadable price_change entry");
        assertThat(engine.counts.unreadableEntries).isEqualTo(1);
        // last_trade_price "" leaves the field unknown: hashes not checkable until a full book tells it again
        rest(bookA("1003", List.of("0.40:10"), List.of(), "0.5"));
        ws("{\"asset_id\":\"" + A + "\",\"event_type\":\"last_trade_price\",\"market\":\"" + M
                + "\",\"price\":\"\",\"side\":\"BUY\",\"size\":\"1\",\"timestamp\":\"1004\"}");
        ws(priceChange(M, "1005", entry(A, "0.40", "11", "BUY", "0".repeat(40), "0.40", "")));
        assertThat(tally(A).notCheckableReasons).containsKey("not known yet: last_trade_price");
        assertThat(book(A).valid()).isTrue();
    }

    @Test
    void fourDecimalTicksOrderNumericallyAndKeepTheirStrings() {
        Map<String, Object> s = summary(
                M,
                A,
                "1000",
                List.of("0.4999:10", "0.5:3"),
                List.of("0.5003:4", "0.5001:2"),
                "5",
                "0.0001",
                false,
                "0.5");
        rest(s);
        Map<String, Object> s2 = summary(
                M,
                A,
                "1001",
                List.of("0.4999:10", "0.5:3", "0.5002:1"),
                List.of("0.5003:4"),
                "5",
                "0.0001",
                false,
                "0.5");
        // 0.5001 leaves, 0.5002 bid comes (sorted after 0.5 although its string is longer)
        ws(priceChange(
                M,
                "1001",
                entry(A, "0.5001", "0", "SELL", hash(s2), "0.5002", "0.5003"),
                entry(A, "0.5002", "1", "BUY", hash(s2), "0.5002", "0.5003")));
        assertThat(tally(A).hashAgreed).isEqualTo(1);
        assertThat(book(A).bestBid().price()).isEqualTo("0.5002");
        // "0.50" and "0.5" are one level: a new total replaces it (and its string)
        Map<String, Object> s3 = summary(
                M,
                A,
                "1002",
                List.of("0.4999:10", "0.50:7", "0.5002:1"),
                List.of("0.5003:4"),
                "5",
                "0.0001",
                false,
                "0.5");
        ws(priceChange(M, "1002", entry(A, "0.50", "7", "BUY", hash(s3), "0.5002", "0.5003")));
        assertThat(tally(A).hashAgreed).isEqualTo(2);
    }

    @Test
    void protocolV2IdsAreJustStrings() {
        String condition = "0x" + "ab".repeat(31); // 31 bytes: 0x + 62 hex
        String position = new BigInteger("ab".repeat(31) + "01", 16).toString(); // the condition and one outcome byte
        assertThat(position.length()).isBetween(74, 77);
        Map<String, Object> s =
                summary(condition, position, "1000", List.of("0.2:1"), List.of("0.8:1"), "5", "0.01", true, "");
        rest(s);
        Map<String, Object> s2 = summary(
                condition, position, "1001", List.of("0.2:1", "0.25:9"), List.of("0.8:1"), "5", "0.01", true, "");
        ws(priceChange(condition, "1001", entry(position, "0.25", "9", "BUY", hash(s2), "0.25", "0.8")));
        assertThat(tally(position).hashAgreed).isEqualTo(1);
        assertThat(tally(position).restSelfAgreed).isEqualTo(1);
    }

    @Test
    void aCorruptedFrameMakesTheConnectionsBooksUnknownUntilTheNextFullBook() {
        Map<String, Object> a = bookA("1000", List.of("0.40:10"), List.of("0.60:10"), "0.5");
        ws("[" + Rec.wsBook(a) + "]");
        rest(a);
        engine.accept(
                Rec.wsText(now += 1000, seq++, "{\"market\":\"" + M + "\",\"price_changes\":[{\"asset_id\":\"" + A));
        assertThat(book(A).valid()).isFalse();
        assertThat(book(A).unknownReason).startsWith("unparsed frame");
        Map<String, Object> a2 = bookA("1002", List.of("0.40:10", "0.45:1"), List.of("0.60:10"), "0.5");
        ws(priceChange(M, "1002", entry(A, "0.45", "1", "BUY", hash(a2), "0.45", "0.60")));
        assertThat(book(A).valid())
                .as("a price_change alone does not restore it")
                .isFalse();
        assertThat(tally(A).notCheckableReasons).containsEntry("book unknown", 1L);
        ws("[" + Rec.wsBook(a2) + "]");
        assertThat(book(A).valid()).isTrue();
        assertThat(updates)
                .anyMatch(u -> u.cause().equals("unknown") && u.book().assetId.equals(A));
    }

    @Test
    void aGapStaleDisconnectSeqHoleOrCollectorDownMakesTheBookUnknownUntilTheNextFullBook() {
        Map<String, Object> a = bookA("1000", List.of("0.40:10"), List.of("0.60:10"), "0.5");
        String[] invalidators = {
            "gap:" + Rec.CONN, "stale:" + Rec.CONN, "disconnected:" + Rec.CONN, "collector-down:", "seq-hole:"
        };
        for (String what : invalidators) {
            ws("[" + Rec.wsBook(a) + "]");
            assertThat(book(A).valid()).isTrue();
            switch (what.substring(0, what.indexOf(':'))) {
                case "gap" ->
                    engine.accept(
                            Rec.event(
                                    now += 1000,
                                    "ws",
                                    Rec.CONN,
                                    "gap",
                                    "\"from_us\":1,\"to_us\":2,\"reason\":\"disconnected\",\"assets\":2,\"resumed_by\":\"ws-00.1@t0\""));
                case "stale" -> engine.accept(Rec.event(now += 1000, "ws", Rec.CONN, "stale", "\"silent_s\":120"));
                case "disconnected" ->
                    engine.accept(
                            Rec.event(now += 1000, "ws", Rec.CONN, "disconnected", "\"reason\":\"closed by server\""));
                case "collector-down" ->
                    engine.accept(Rec.event(
                            now += 1000, "ws", null, "gap", "\"from_us\":1,\"to_us\":2,\"reason\":\"collector-down\""));
                default -> seq += 3; // three frames lost
            }
            Map<String, Object> a2 = bookA("1000", List.of("0.40:10"), List.of("0.60:10", "0.59:1"), "0.5");
            ws(priceChange(M, "1000", entry(A, "0.59", "1", "SELL", hash(a2), "0.40", "0.59")));
            assertThat(book(A).valid()).as(what).isFalse();
            ws(priceChange(M, "1000", entry(A, "0.59", "0", "SELL", hash(a), "0.40", "0.60")));
        }
        assertThat(engine.counts.seqHoles).isEqualTo(1);
        assertThat(engine.counts.unknownBecause)
                .containsKeys("gap (disconnected)", "stale", "disconnected", "gap (collector-down)", "seq hole");
        assertThat(tally(A).hashDisagreed).isZero();
    }

    @Test
    void aDisagreementIsCountedWithItsContextAndTheBookIsUnknownAfterIt() {
        rest(bookA("1000", List.of("0.40:10"), List.of("0.60:10"), "0.5"));
        ws(priceChange(M, "1001", entry(A, "0.41", "5", "BUY", "f".repeat(40), "0.41", "0.60")));
        Tally t = tally(A);
        assertThat(t.hashDisagreed).isEqualTo(1);
        assertThat(t.firstDisagreement)
                .containsEntry("published_hash", "f".repeat(40))
                .containsKeys("preimage", "recent", "seq", "conn");
        assertThat(book(A).valid()).isFalse();
        assertThat(book(A).unknownReason).isEqualTo("hash disagreement");
    }

    @Test
    void legacyPriceChangeFormsAreApplied() {
        rest(bookA("1000", List.of("0.40:10"), List.of("0.60:10"), "0.5"));
        Map<String, Object> s = bookA("1001", List.of("0.40:10"), List.of("0.60:10", "0.58:3"), "0.5");
        ws("{\"asset_id\":\"" + A
                + "\",\"changes\":[{\"price\":\"0.58\",\"side\":\"SELL\",\"size\":\"3\"}],\"event_type\":\"price_change\",\"market\":\""
                + M + "\",\"timestamp\":\"1001\",\"hash\":\"" + hash(s) + "\"}");
        Map<String, Object> s2 = bookA("1002", List.of("0.40:10"), List.of("0.60:10"), "0.5");
        ws("{\"asset_id\":\"" + A + "\",\"event_type\":\"price_change\",\"hash\":\"" + hash(s2) + "\",\"market\":\"" + M
                + "\",\"price\":\"0.58\",\"side\":\"SELL\",\"size\":\"0\",\"timestamp\":\"1002\"}");
        assertThat(tally(A).hashAgreed).isEqualTo(2);
    }

    @Test
    void restBooksAreComparedWithTheRebuiltBookOfTheSameTimestamp() {
        Map<String, Object> a = bookA("1000", List.of("0.40:10"), List.of("0.60:10"), "0.5");
        ws("[" + Rec.wsBook(a) + "]");
        rest(a); // same timestamp: compared, agrees
        Map<String, Object> a2 = bookA("1001", List.of("0.40:10", "0.41:1"), List.of("0.60:10"), "0.5");
        ws(priceChange(M, "1001", entry(A, "0.41", "1", "BUY", hash(a2), "0.41", "0.60")));
        Map<String, Object> a3 = bookA("1002", List.of("0.40:10", "0.41:2"), List.of("0.60:10"), "0.5");
        ws(priceChange(M, "1002", entry(A, "0.41", "2", "BUY", hash(a3), "0.41", "0.60")));
        rest(a2); // older than the rebuilt book: compared with the remembered state of 1001, not applied
        assertThat(tally(A).restAgreed).isEqualTo(2);
        assertThat(book(A).bestBid().size()).isEqualTo("2");
        rest(bookA("1002", List.of("0.40:10", "0.41:3"), List.of("0.60:10"), "0.5")); // same timestamp, other levels
        assertThat(tally(A).restDisagreed).isEqualTo(1);
        assertThat(tally(A).firstDisagreement).containsEntry("kind", "rest (same timestamp)");
        assertThat(book(A).bestBid().size()).as("the REST book sets it").isEqualTo("3");
        assertThat(book(A).valid()).isTrue();
    }

    @Test
    void anEventOfTheMillisecondOfARestBookReceivedBeforeItIsNotCheckableNotADisagreement() {
        Map<String, Object> a = bookA("1000", List.of("0.40:10"), List.of("0.60:10"), "0.5");
        ws("[" + Rec.wsBook(a) + "]");
        // At 1001 the server applies two changes, X (0.41 -> 1) then Y (0.60 -> 5). The REST request answers after
        // both, and its answer is received before the websocket delivers X and Y (separate connections).
        Map<String, Object> afterX = bookA("1001", List.of("0.40:10", "0.41:1"), List.of("0.60:10"), "0.5");
        Map<String, Object> afterY = bookA("1001", List.of("0.40:10", "0.41:1"), List.of("0.60:5"), "0.5");
        rest(afterY);
        assertThat(tally(A).restNotComparable)
                .as("REST book newer than the websocket")
                .isEqualTo(1);
        ws(priceChange(M, "1001", entry(A, "0.41", "1", "BUY", hash(afterX), "0.41", "0.60")));
        // The rebuilt book (REST book + X) holds Y already, so X's hash cannot match: unknowable, not a disagreement.
        assertThat(tally(A).hashDisagreed).isZero();
        assertThat(tally(A).notCheckableReasons).containsEntry(ReplayEngine.REST_RACE, 1L);
        assertThat(book(A).valid())
                .as("it may mix the two: unknown until the next full book")
                .isFalse();

        // Once the websocket is past that millisecond, the order is known again and a wrong hash is a disagreement.
        Map<String, Object> b2 = bookA("1002", List.of("0.40:10", "0.41:1"), List.of("0.60:5"), "0.5");
        ws("[" + Rec.wsBook(b2) + "]");
        assertThat(book(A).valid()).isTrue();
        ws(priceChange(M, "1003", entry(A, "0.41", "2", "BUY", hash(b2), "0.41", "0.60")));
        assertThat(tally(A).hashDisagreed).isEqualTo(1);
    }

    @Test
    void anEventOfTheRestBooksMillisecondThatAgreesIsCheckedAsUsual() {
        Map<String, Object> a = bookA("1000", List.of("0.40:10"), List.of("0.60:10"), "0.5");
        ws("[" + Rec.wsBook(a) + "]");
        Map<String, Object> afterX = bookA("1001", List.of("0.40:10", "0.41:1"), List.of("0.60:10"), "0.5");
        rest(afterX);
        ws(priceChange(M, "1001", entry(A, "0.41", "1", "BUY", hash(afterX), "0.41", "0.60")));
        // (the first ws book was not checkable: no REST book had given min_order_size and neg_risk yet)
        assertThat(tally(A).hashAgreed).isEqualTo(1);
        assertThat(tally(A).hashDisagreed).isZero();
        assertThat(book(A).valid()).isTrue();
    }

    @Test
    void theSeqJumpOverAMarkedHourIsNotAHole() {
        Map<String, Object> a = bookA("1000", List.of("0.40:10"), List.of("0.60:10"), "0.5");
        rest(a);
        ws("[" + Rec.wsBook(a) + "]"); // seq 0
        engine.accept(Rec.parse("{\"recv_us\":" + (now += 1000) + ",\"src\":\"replay\",\"event\":\""
                + MarkFilter.MARKED_EVENT + "\",\"marks\":[\"m1\"]}"));
        assertThat(book(A).valid()).isFalse();
        seq = 500; // the marked hour's frames were withheld
        ws("[" + Rec.wsBook(bookA("2000", List.of("0.40:10"), List.of("0.60:10"), "0.5")) + "]");
        assertThat(engine.counts.seqHoles).isZero();
        assertThat(book(A).valid()).isTrue();
        seq = 600; // a real hole afterwards is still one
        ws(priceChange(M, "2001", entry(A, "0.41", "1", "BUY", null, "0.41", "0.60")));
        assertThat(engine.counts.seqHoles).isEqualTo(1);
    }

    @Test
    void theSameFrameOnASiblingsConnectionIsNotAppliedTwice() {
        Map<String, Object> a = bookA("1000", List.of("0.40:10"), List.of("0.60:10"), "0.5");
        rest(a);
        ws("[" + Rec.wsBook(a) + "]"); // A belongs to ws-00.0
        Map<String, Object> a2 = bookA("1001", List.of("0.40:10", "0.41:1"), List.of("0.60:10"), "0.5");
        String frame = priceChange(M, "1001", entry(A, "0.41", "1", "BUY", hash(a2), "0.41", "0.60"));
        ws(frame);
        engine.accept(Rec.ws(now += 1000, "ws-01.0@t0", 0, frame)); // cross-asset copy on B's connection
        assertThat(engine.counts.skippedOtherConnection).isEqualTo(1);
        assertThat(tally(A).hashAgreed)
                .as("the book event's hash and the price_change's, once")
                .isEqualTo(2);
        // a loss on the sibling's connection does not concern A
        engine.accept(Rec.event(now += 1000, "ws", "ws-01.0@t0", "disconnected", "\"reason\":\"x\""));
        assertThat(book(A).valid()).isTrue();
    }
}
