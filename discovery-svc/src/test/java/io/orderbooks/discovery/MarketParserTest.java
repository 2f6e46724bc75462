package io.orderbooks.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderbooks.shared.TokenEntry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** One market at a time, from a real Gamma market object (GET /markets/559651, 2026-08) and deliberate damage to it. */
class MarketParserTest {
    private static final String YES = "32338220190071351435772801779725302244575775216413325951443816017994629993401";
    private static final String NO = "25659310674993675562345759665114759892400026242514633218387667107987341231962";

    @Test
    void aRealMarketBecomesTwoTokensPairedByIndex() throws IOException {
        ParsedMarket m = parsed(real());
        assertThat(m.marketId()).isEqualTo("559651");
        assertThat(m.conditionId()).isEqualTo("0xa467b14d51f01b957109d9cbb1d6c124fab2a089d52ed8f471d23c2812e743b7");
        assertThat(m.tokens()).extracting(TokenEntry::tokenId, TokenEntry::outcome, TokenEntry::outcomeIndex)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(YES, "Yes", 0), org.assertj.core.groups.Tuple.tuple(NO, "No", 1));
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
        assertRejected(with(real(), o -> {
            o.put("outcomes", "[]");
            o.put("clobTokenIds", "[]");
        }), Rejection.EMPTY);
    }

    @Test
    void aTokenIdThatIsNotADecimalStringIsRejected() throws IOException {
        assertRejected(with(real(), o -> o.put("clobTokenIds", "[\"0x1234\", \"" + NO + "\"]")), Rejection.BAD_TOKEN_ID);
        assertRejected(with(real(), o -> o.put("clobTokenIds", "[\"\", \"" + NO + "\"]")), Rejection.BAD_TOKEN_ID);
        assertRejected(with(real(), o -> o.put("clobTokenIds", "[\"" + YES + "\", \"" + YES + "\"]")), Rejection.DUPLICATE_TOKEN);
    }

    @Test
    void aTypeChangeOnARequiredFieldRejectsTheMarket() throws IOException {
        // clobTokenIds as a real array instead of a JSON-encoded string
        assertRejected(with(real(), o -> o.putArray("clobTokenIds").add(YES).add(NO)), Rejection.WRONG_TYPE);
        // token ids as numbers inside the encoded string
        assertRejected(with(real(), o -> o.put("clobTokenIds", "[" + YES + ", " + NO + "]")), Rejection.BAD_ENCODED_LIST);
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
        assertRejected(with(real(), o -> o.remove("clobTokenIds")), Rejection.MISSING_FIELD);
        assertRejected(with(real(), o -> o.remove("conditionId")), Rejection.MISSING_FIELD);
        assertRejected(with(real(), o -> o.remove("closed")), Rejection.MISSING_FIELD);
        assertRejected(with(real(), o -> o.remove("id")), Rejection.MISSING_FIELD);
    }

    @Test
    void aTypeChangeOnAnOptionalFieldKeepsTheMarket() throws IOException {
        ParsedMarket m = parsed(with(real(), o -> {
            o.put("orderPriceMinTickSize", "0.01");   // a string instead of a number: still a decimal
            o.put("orderMinSize", true);              // unusable: left empty
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
                o -> o.put("closed", true), o -> o.put("active", false), o -> o.put("acceptingOrders", false),
                o -> o.put("enableOrderBook", false))) {
            // An AMM-era market has no order book and often no clobTokenIds at all: not an error.
            ObjectNode market = with(real(), change.andThen(o -> o.remove("clobTokenIds")));
            assertThat(MarketParser.parse(market)).isInstanceOf(MarketParser.NotTradeable.class);
        }
    }

    @Test
    void notAnObjectIsRejected() {
        assertThat(MarketParser.parse(GammaJson.MAPPER.getNodeFactory().textNode("x")))
                .isInstanceOfSatisfying(MarketParser.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Rejection.WRONG_TYPE));
    }

    static ObjectNode real() throws IOException {
        try (InputStream in = MarketParserTest.class.getResourceAsStream("/gamma/keyset-page-one-market.json")) {
            JsonNode page = GammaJson.parse(in.readAllBytes());
            return (ObjectNode) page.get("markets").get(0);
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
