package io.orderbooks.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * One market at a time, from real Gamma market objects (GET /markets/559651, 2026-08, a v1 market that also carries
 * positionIds; a BTC up/down market), V2 markets made from them (src/test/resources/gamma/README.md), and deliberate
 * damage to them.
 */
class MarketParserTest {
    private static final String YES = "32338220190071351435772801779725302244575775216413325951443816017994629993401";
    private static final String NO = "25659310674993675562345759665114759892400026242514633218387667107987341231962";

    @Test
    void aRealMarketBecomesTwoTokensPairedByIndex() throws IOException {
        ParsedMarket m = parsed(real());
        assertThat(m.marketId()).isEqualTo("559651");
        assertThat(m.conditionId()).isEqualTo("0xa467b14d51f01b957109d9cbb1d6c124fab2a089d52ed8f471d23c2812e743b7");
        assertThat(m.tokens())
                .extracting(TokenEntry::tokenId, TokenEntry::outcome, TokenEntry::outcomeIndex)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(YES, "Yes", 0),
                        org.assertj.core.groups.Tuple.tuple(NO, "No", 1));
        TokenEntry t = m.tokens().getFirst();
        assertThat(t.slug()).isEqualTo("xi-jinping-out-before-2027");
        assertThat(t.question()).isEqualTo("Xi Jinping out before 2027?");
        assertThat(t.eventSlug()).isEqualTo("xi-jinping-out-before-2027");
        assertThat(t.negRisk()).isFalse();
        assertThat(t.endDate()).isEqualTo("2026-12-31T00:00:00Z");
        // Numbers on the wire (0.001, 5), decimal strings in tokens.json, exact.
        assertThat(t.tickSize()).isEqualTo("0.001");
        assertThat(t.minOrderSize()).isEqualTo("5");
        assertThat(m.liquidity()).isEqualTo(237253.02375);
        assertThat(m.volume24h()).isEqualTo(14542.225487);
        assertThat(m.endInstant()).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(m.tagIds()).contains("366");
    }

    @Test
    void noYesOrderIsKeptAsGiven() throws IOException {
        ParsedMarket m = parsed(with(real(), o -> {
            o.put("outcomes", "[\"No\", \"Yes\"]");
            o.put("clobTokenIds", "[\"" + NO + "\", \"" + YES + "\"]");
        }));
        assertThat(m.tokens().get(0).tokenId()).isEqualTo(NO);
        assertThat(m.tokens().get(0).outcome()).isEqualTo("No");
        assertThat(m.tokens().get(1).tokenId()).isEqualTo(YES);
        assertThat(m.tokens().get(1).outcome()).isEqualTo("Yes");
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        ParsedMarket plain = parsed(real());
        ParsedMarket extra = parsed(with(real(), o -> {
            o.putObject("brandNewField").put("nested", true);
            o.put("anotherOne", 42);
        }));
        assertThat(extra.tokens()).isEqualTo(plain.tokens());
    }

    @Test
    void listsOfDifferentLengthAreRejectedNotGuessed() throws IOException {
        assertRejected(with(real(), o -> o.put("outcomes", "[\"Yes\", \"No\", \"Maybe\"]")), Rejection.LENGTHS_DIFFER);
        assertRejected(with(real(), o -> o.put("clobTokenIds", "[\"" + YES + "\"]")), Rejection.LENGTHS_DIFFER);
    }

    @Test
    void emptyListsAreRejected() throws IOException {
        assertRejected(
                with(real(), o -> {
                    o.put("outcomes", "[]");
                    o.put("clobTokenIds", "[]");
                }),
                Rejection.EMPTY);
    }

    @Test
    void aTokenIdThatIsNotADecimalStringIsRejected() throws IOException {
        assertRejected(
                with(real(), o -> o.put("clobTokenIds", "[\"0x1234\", \"" + NO + "\"]")), Rejection.BAD_TOKEN_ID);
        assertRejected(with(real(), o -> o.put("clobTokenIds", "[\"\", \"" + NO + "\"]")), Rejection.BAD_TOKEN_ID);
        assertRejected(
                with(real(), o -> o.put("clobTokenIds", "[\"" + YES + "\", \"" + YES + "\"]")),
                Rejection.DUPLICATE_TOKEN);
    }

    @Test
    void aTypeChangeOnARequiredFieldRejectsTheMarket() throws IOException {
        // token ids as numbers inside the encoded string: a uint256 does not survive a double
        assertRejected(with(real(), o -> o.put("clobTokenIds", "[" + YES + ", " + NO + "]")), Rejection.BAD_IDS);
        assertRejected(with(real(), o -> o.put("clobTokenIds", 7)), Rejection.BAD_IDS);
        assertRejected(with(real(), o -> o.putObject("clobTokenIds").put("0", YES)), Rejection.BAD_IDS);
        assertRejected(with(real(), o -> o.put("outcomes", "Yes, No")), Rejection.BAD_ENCODED_LIST);
        assertRejected(with(real(), o -> o.put("outcomes", "{\"a\":1}")), Rejection.BAD_ENCODED_LIST);
        assertRejected(with(real(), o -> o.put("conditionId", 12)), Rejection.WRONG_TYPE);
        assertRejected(with(real(), o -> o.put("conditionId", "0x1234")), Rejection.BAD_CONDITION_ID);
        assertRejected(with(real(), o -> o.put("acceptingOrders", "true")), Rejection.WRONG_TYPE);
        assertRejected(with(real(), o -> o.put("negRisk", "no")), Rejection.WRONG_TYPE);
        assertRejected(with(real(), o -> o.putArray("id")), Rejection.WRONG_TYPE);
        assertRejected(with(real(), o -> o.put("outcomes", "[\"Yes\", \" \"]")), Rejection.BLANK_OUTCOME);
    }

    @Test
    void aMissingRequiredFieldRejectsTheMarket() throws IOException {
        assertRejected(with(real(), o -> o.remove("clobTokenIds")), Rejection.MISSING_IDS);
        assertRejected(with(real(), o -> o.putNull("clobTokenIds")), Rejection.MISSING_IDS);
        assertRejected(with(real(), o -> o.remove("conditionId")), Rejection.MISSING_FIELD);
        assertRejected(with(real(), o -> o.remove("closed")), Rejection.MISSING_FIELD);
        assertRejected(with(real(), o -> o.remove("id")), Rejection.MISSING_FIELD);
    }

    @Test
    void aTypeChangeOnAnOptionalFieldKeepsTheMarket() throws IOException {
        ParsedMarket m = parsed(with(real(), o -> {
            o.put("orderPriceMinTickSize", "0.01"); // a string instead of a number: still a decimal
            o.put("orderMinSize", true); // unusable: left empty
            o.put("slug", 7);
            o.put("events", "not an array");
            o.put("volume24hr", "123.5");
            o.remove("negRisk");
        }));
        TokenEntry t = m.tokens().getFirst();
        assertThat(t.tickSize()).isEqualTo("0.01");
        assertThat(t.minOrderSize()).isNull();
        assertThat(t.slug()).isNull();
        assertThat(t.eventSlug()).isNull();
        assertThat(t.negRisk()).isFalse();
        assertThat(m.volume24h()).isEqualTo(123.5);
    }

    @Test
    void marketsThatCannotTradeAreFilteredNotRejected() throws IOException {
        for (Consumer<ObjectNode> change : List.<Consumer<ObjectNode>>of(
                o -> o.put("closed", true),
                o -> o.put("active", false),
                o -> o.put("acceptingOrders", false),
                o -> o.put("enableOrderBook", false))) {
            // An AMM-era market has no order book and often no clobTokenIds at all: not an error.
            ObjectNode market = with(real(), change.andThen(o -> o.remove("clobTokenIds")));
            assertThat(MarketParser.parse(market)).isInstanceOf(MarketParser.NotTradeable.class);
        }
    }

    // --- ids chosen by version (docs/DISCOVERY.md "Which ids") ---

    private static final String V2_ARRAY_CONDITION = "0x7c1e93a0d5b2f4468e2a9d0c3b7f51e6a84d2c9f0b13e5a7d6c8f2041b9e3a";
    private static final String V2_ARRAY_UP =
            "56140817529077964259128121378860552781053200852114028928091543716774912342528";
    private static final String V2_ARRAY_DOWN =
            "56140817529077964259128121378860552781053200852114028928091543716774912342529";
    private static final String V2_STRING_UP =
            "28783430227952969644601567498469558235350094510455917402942484544599348833280";
    private static final String V2_STRING_DOWN =
            "28783430227952969644601567498469558235350094510455917402942484544599348833281";

    @Test
    void aV1MarketThatAlsoCarriesPositionIdsUsesItsClobTokenIds() throws IOException {
        ObjectNode market = real();
        assertThat(market.get("version").asText()).isEqualTo("v1");
        assertThat(market.get("positionIds").isArray())
                .as("the real sample carries positionIds")
                .isTrue();
        ParsedMarket m = parsed(market);
        assertThat(m.protocol()).isEqualTo(Protocol.V1);
        assertThat(m.tokens()).extracting(TokenEntry::tokenId).containsExactly(YES, NO);
        assertThat(m.tokens()).extracting(TokenEntry::protocol).containsOnly(Protocol.V1);
        // positionIds of a v1 market are not read at all: even malformed, they cost nothing.
        assertThat(parsed(with(market, o -> o.put("positionIds", "[not json"))).tokens())
                .isEqualTo(m.tokens());
        assertThat(parsed(with(market, o -> o.put("positionIds", 3))).tokens()).isEqualTo(m.tokens());
    }

    @Test
    void aV1MarketWithoutPositionIds() throws IOException {
        ObjectNode market = fixture("market-v1-updown.json");
        assertThat(market.has("positionIds")).isFalse();
        ParsedMarket m = parsed(market);
        assertThat(m.marketId()).isEqualTo("1557558");
        assertThat(m.tokens())
                .extracting(TokenEntry::tokenId, TokenEntry::outcome, TokenEntry::protocol)
                .containsExactly(
                        tuple(
                                "104239898038807136052399800151408521467737075933964991162589336683346093173875",
                                "Up",
                                Protocol.V1),
                        tuple(
                                "71183960810705820955071415844881728181970340514894896943812046065452395013351",
                                "Down",
                                Protocol.V1));
    }

    @Test
    void v1IdsAreAlsoAcceptedAsARealArray() throws IOException {
        ParsedMarket m =
                parsed(with(real(), o -> o.putArray("clobTokenIds").add(YES).add(NO)));
        assertThat(m.tokens()).isEqualTo(parsed(real()).tokens());
    }

    @Test
    void aV2MarketUsesItsPositionIdsGivenAsAnArray() throws IOException {
        ObjectNode market = fixture("market-v2-position-ids-array.json");
        assertThat(market.has("clobTokenIds")).isFalse();
        ParsedMarket m = parsed(market);
        assertThat(m.protocol()).isEqualTo(Protocol.V2);
        // 31-byte condition id (0x + 62 hex), kept as Gamma gave it
        assertThat(m.conditionId()).isEqualTo(V2_ARRAY_CONDITION).hasSize(64);
        assertThat(m.tokens())
                .extracting(TokenEntry::tokenId, TokenEntry::outcome, TokenEntry::outcomeIndex, TokenEntry::protocol)
                .containsExactly(
                        tuple(V2_ARRAY_UP, "Up", 0, Protocol.V2), tuple(V2_ARRAY_DOWN, "Down", 1, Protocol.V2));
        assertThat(m.tokens()).extracting(TokenEntry::conditionId).containsOnly(V2_ARRAY_CONDITION);
    }

    @Test
    void aV2MarketUsesItsPositionIdsGivenAsAJsonEncodedString() throws IOException {
        ObjectNode market = fixture("market-v2-position-ids-string.json");
        assertThat(market.get("positionIds").isTextual()).isTrue();
        ParsedMarket m = parsed(market);
        assertThat(m.tokens())
                .extracting(TokenEntry::tokenId, TokenEntry::protocol)
                .containsExactly(tuple(V2_STRING_UP, Protocol.V2), tuple(V2_STRING_DOWN, Protocol.V2));
        // the official ts-sdk fixture's form, short ids included
        ParsedMarket sdk = parsed(with(market, o -> o.put("positionIds", "[\"21\",\"22\"]")));
        assertThat(sdk.tokens()).extracting(TokenEntry::tokenId).containsExactly("21", "22");
    }

    @Test
    void aV2MarketThatAlsoCarriesClobTokenIdsUsesItsPositionIds() throws IOException {
        ParsedMarket m = parsed(with(
                fixture("market-v2-position-ids-array.json"),
                o -> o.put("clobTokenIds", "[\"" + YES + "\", \"" + NO + "\"]")));
        assertThat(m.tokens()).extracting(TokenEntry::tokenId).containsExactly(V2_ARRAY_UP, V2_ARRAY_DOWN);
        // ... and without positionIds it is rejected, not read from clobTokenIds
        assertRejected(
                with(fixture("market-v2-position-ids-array.json"), o -> {
                    o.put("clobTokenIds", "[\"" + YES + "\", \"" + NO + "\"]");
                    o.remove("positionIds");
                }),
                Rejection.MISSING_IDS);
    }

    @Test
    void malformedPositionIdsRejectTheV2MarketWithTheirOwnReason() throws IOException {
        ObjectNode v2 = fixture("market-v2-position-ids-array.json");
        assertRejected(with(v2, o -> o.remove("positionIds")), Rejection.MISSING_IDS);
        assertRejected(with(v2, o -> o.putNull("positionIds")), Rejection.MISSING_IDS);
        assertRejected(with(v2, o -> o.put("positionIds", "[\"21\", ")), Rejection.BAD_IDS);
        assertRejected(with(v2, o -> o.put("positionIds", "21,22")), Rejection.BAD_IDS);
        assertRejected(with(v2, o -> o.put("positionIds", "{\"a\":\"21\"}")), Rejection.BAD_IDS);
        assertRejected(with(v2, o -> o.put("positionIds", 21)), Rejection.BAD_IDS);
        assertRejected(with(v2, o -> o.put("positionIds", true)), Rejection.BAD_IDS);
        assertRejected(with(v2, o -> o.putObject("positionIds")), Rejection.BAD_IDS);
        assertRejected(with(v2, o -> o.putArray("positionIds").add(21).add(22)), Rejection.BAD_IDS);
        assertRejected(with(v2, o -> o.putArray("positionIds").add("0x15").add("22")), Rejection.BAD_TOKEN_ID);
        assertRejected(with(v2, o -> o.putArray("positionIds").add("21")), Rejection.LENGTHS_DIFFER);
        assertRejected(with(v2, o -> o.putArray("positionIds").add("21").add("21")), Rejection.DUPLICATE_TOKEN);
    }

    @Test
    void aMissingOrUnknownVersionRejectsTheMarketAndIsNeverGuessed() throws IOException {
        Map<Consumer<ObjectNode>, String> versions = new LinkedHashMap<>();
        versions.put(o -> o.put("version", "v3"), "v3");
        versions.put(o -> o.put("version", "V2"), "V2");
        versions.put(o -> o.put("version", "2"), "2");
        versions.put(o -> o.put("version", ""), "empty");
        versions.put(o -> o.put("version", "v 2\n"), "v_2_");
        // near misses never read as a supported version, nor as another label
        versions.put(o -> o.put("version", " v2"), "_v2");
        versions.put(o -> o.put("version", "v2 "), "v2_");
        versions.put(o -> o.put("version", "missing"), "string:missing");
        versions.put(o -> o.put("version", "empty"), "string:empty");
        versions.put(o -> o.put("version", "other"), "string:other");
        versions.put(o -> o.put("version", "number:2"), "number_2");
        versions.put(o -> o.put("version", "x".repeat(200)), "x".repeat(MarketVersion.MAX_LABEL));
        versions.put(o -> o.putNull("version"), "missing");
        versions.put(o -> o.remove("version"), "missing");
        versions.put(o -> o.put("version", 2), "number:2");
        versions.put(o -> o.put("version", 2.5), "number:2.5");
        versions.put(o -> o.put("version", true), "boolean:true");
        versions.put(o -> o.putObject("version").put("major", 2), "object");
        versions.put(o -> o.putArray("version").add("v2"), "array");
        for (ObjectNode base : List.of(real(), fixture("market-v2-position-ids-array.json"))) {
            versions.forEach((change, label) -> {
                ObjectNode market = with(base, change);
                assertThat(MarketVersion.of(market)).isEqualTo(new MarketVersion(label, null));
                assertRejected(market, Rejection.UNKNOWN_VERSION);
                assertThat(((MarketParser.Rejected) MarketParser.parse(market)).detail())
                        .contains(label);
            });
        }
        assertThat(MarketVersion.of(real())).isEqualTo(new MarketVersion("v1", Protocol.V1));
        assertThat(MarketVersion.of(fixture("market-v2-position-ids-string.json")))
                .isEqualTo(new MarketVersion("v2", Protocol.V2));
    }

    @Test
    void aMarketThatCannotTradeIsFilteredWhateverItsVersion() throws IOException {
        ObjectNode closed = with(real(), o -> {
            o.put("closed", true);
            o.put("version", "v3");
        });
        assertThat(MarketParser.parse(closed)).isInstanceOf(MarketParser.NotTradeable.class);
    }

    @Test
    void conditionIdsOf62Or64HexDigitsAreAccepted() throws IOException {
        String hex62 = V2_ARRAY_CONDITION.substring(2);
        // the zero-padded 64-hex form of a 31-byte condition id also occurs: kept as given
        assertThat(parsed(with(fixture("market-v2-position-ids-array.json"), o -> o.put("conditionId", "0x00" + hex62)))
                        .conditionId())
                .isEqualTo("0x00" + hex62);
        assertThat(parsed(with(real(), o -> o.put("conditionId", "0x" + hex62))).conditionId())
                .isEqualTo("0x" + hex62);
        assertThat(parsed(with(real(), o -> o.put("conditionId", "0x" + hex62.toUpperCase(java.util.Locale.ROOT))))
                        .tokens())
                .hasSize(2);
        for (String bad : List.of(
                "0x" + hex62.substring(1),
                "0x" + hex62 + "0",
                "0x" + hex62 + "000",
                hex62 + "00",
                "0x" + hex62.replace('a', 'g'))) {
            assertRejected(
                    with(fixture("market-v2-position-ids-array.json"), o -> o.put("conditionId", bad)),
                    Rejection.BAD_CONDITION_ID);
        }
    }

    @Test
    void notAnObjectIsRejected() {
        assertThat(MarketParser.parse(GammaJson.MAPPER.getNodeFactory().textNode("x")))
                .isInstanceOfSatisfying(
                        MarketParser.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Rejection.WRONG_TYPE));
    }

    static ObjectNode real() throws IOException {
        try (InputStream in = MarketParserTest.class.getResourceAsStream("/gamma/keyset-page-one-market.json")) {
            JsonNode page = GammaJson.parse(in.readAllBytes());
            return (ObjectNode) page.get("markets").get(0);
        }
    }

    static ObjectNode fixture(String name) throws IOException {
        try (InputStream in = MarketParserTest.class.getResourceAsStream("/gamma/" + name)) {
            return (ObjectNode) GammaJson.parse(in.readAllBytes());
        }
    }

    static ObjectNode with(ObjectNode market, Consumer<ObjectNode> change) {
        ObjectNode copy = market.deepCopy();
        change.accept(copy);
        return copy;
    }

    private static ParsedMarket parsed(JsonNode market) {
        MarketParser.Result r = MarketParser.parse(market);
        assertThat(r).isInstanceOf(MarketParser.Parsed.class);
        return ((MarketParser.Parsed) r).market();
    }

    private static void assertRejected(JsonNode market, Rejection reason) {
        assertThat(MarketParser.parse(market)).isInstanceOfSatisfying(MarketParser.Rejected.class, r -> {
            assertThat(r.reason()).as(r.detail()).isEqualTo(reason);
            assertThat(r.detail()).isNotBlank();
        });
    }
}
