package io.orderbooks.discovery;

import static io.orderbooks.discovery.MarketParserTest.fixture;
import static io.orderbooks.discovery.MarketParserTest.real;
import static io.orderbooks.discovery.MarketParserTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Counting one run: a page that mixes v1, V2, unsupported versions and schema drift keeps every good market. */
class RunTallyTest {

    @Test
    void aMixedPageKeepsEveryGoodMarketAndCountsTheRestByVersionAndReason() throws IOException {
        ArrayNode page = GammaJson.MAPPER.createArrayNode();
        page.add(real()); // v1 that also carries positionIds
        page.add(fixture("market-v1-updown.json")); // v1
        page.add(fixture("market-v2-position-ids-array.json")); // v2, array
        page.add(fixture("market-v2-position-ids-string.json")); // v2, JSON-encoded string
        page.add(market("2001", o -> o.put("version", "v3")));
        page.add(market("2002", o -> o.put("version", "v3")));
        page.add(market("2003", o -> o.remove("version")));
        page.add(market("2004", o -> o.put("version", 2)));
        page.add(market("2005", o -> {
            o.put("version", "v3");
            o.put("closed", true); // not tradeable: filtered, not rejected
        }));
        page.add(with(fixture("market-v2-position-ids-array.json"), o -> {
            o.put("id", "2006");
            o.put("positionIds", "[\"1\", "); // malformed positionIds
        }));
        page.add(with(fixture("market-v2-position-ids-array.json"), o -> {
            o.put("id", "2007");
            o.remove("positionIds");
        }));
        // schema drift: unexpected types on required fields, and an element that is not an object at all
        page.add(market("2008", o -> o.put("conditionId", 12)));
        page.add(market("2009", o -> o.putObject("outcomes").put("0", "Yes")));
        page.add(market("2010", o -> o.put("clobTokenIds", 5)));
        page.add(GammaJson.MAPPER.getNodeFactory().textNode("not a market"));

        RunTally tally = new RunTally();
        tally.pages = 1;
        List<ParsedMarket> kept = new ArrayList<>();
        for (JsonNode node : page) {
            if (tally.read(node) instanceof MarketParser.Parsed p) {
                kept.add(p.market());
            }
        }

        assertThat(kept).extracting(ParsedMarket::marketId).containsExactly("559651", "1557558", "1600001", "1600002");
        assertThat(tally.seen).isEqualTo(page.size());
        assertThat(tally.marketsByVersion)
                .containsOnly(
                        entry("v1", 5), entry("v2", 4), entry("v3", 3), entry("missing", 2), entry("number:2", 1));
        assertThat(tally.rejected)
                .containsOnly(
                        entry("unknown_version", 4),
                        entry("bad_ids", 2),
                        entry("missing_ids", 1),
                        entry("wrong_type", 3));
        assertThat(tally.filtered).containsOnly(entry("not_tradeable", 1));
        assertThat(tally.unsupportedVersions)
                .containsOnly(
                        entry("missing", new RunTally.UnsupportedVersion(1, "2003")),
                        entry("number:2", new RunTally.UnsupportedVersion(1, "2004")),
                        entry("v3", new RunTally.UnsupportedVersion(2, "2001")));

        // one line per unsupported version (v3 came twice), none for the markets rejected for other reasons
        assertThat(tally.unsupportedVersionWarnings(7))
                .containsExactly(
                        "run #7: 1 tradeable market has version missing, which is not supported (v1, v2): rejected, ids not"
                                + " guessed (first: market 2003; docs/DISCOVERY.md)",
                        "run #7: 1 tradeable market has version number:2, which is not supported (v1, v2): rejected, ids not"
                                + " guessed (first: market 2004; docs/DISCOVERY.md)",
                        "run #7: 2 tradeable markets have version v3, which is not supported (v1, v2): rejected, ids not"
                                + " guessed (first: market 2001; docs/DISCOVERY.md)");

        List<TokenEntry> tokens = new ArrayList<>();
        kept.forEach(m -> tokens.addAll(m.tokens()));
        tally.built(kept.size(), tokens);
        assertThat(tally.tokensByProtocol).containsOnly(entry("v1", 4), entry("v2", 4));
        assertThat(tokens)
                .filteredOn(t -> t.protocol() == Protocol.V2)
                .extracting(TokenEntry::marketId)
                .containsOnly("1600001", "1600002");

        RunReport r = tally.report(7, RunReport.Outcome.PUBLISHED, null, System.nanoTime(), null);
        assertThat(r.unsupportedVersionMarkets()).isEqualTo(6);
        assertThat(r.statusLine())
                .startsWith("discovery run #7 published: pages=1 markets_seen=15"
                        + " markets_by_version={v1=5,v2=4,missing=2,number:2=1,v3=3} v2_share=26.7% kept=4"
                        + " filtered={not_tradeable=1} rejected={bad_ids=2,missing_ids=1,unknown_version=4,wrong_type=3}"
                        + " duplicates=0 tokens=8 tokens_by_protocol={v1=4,v2=4} added=0 removed=0 duration=");
    }

    @Test
    void v1V2AndMissingAreAlwaysSaidEvenWhenZero() {
        RunReport r = new RunTally().report(1, RunReport.Outcome.FAILED, "Gamma down", System.nanoTime(), null);
        assertThat(r.statusLine()).contains(" markets_seen=0 markets_by_version={v1=0,v2=0,missing=0} v2_share=n/a ");
        assertThat(r.walkCompleted()).isFalse();
    }

    @Test
    void versionLabelsFromUpstreamAreBounded() throws IOException {
        RunTally tally = new RunTally();
        tally.read(real());
        tally.read(fixture("market-v2-position-ids-array.json"));
        tally.read(market("1", o -> o.remove("version")));
        for (int i = 0; i < 40; i++) {
            int n = i;
            tally.read(market(Integer.toString(100 + i), o -> o.put("version", "v" + (10 + n))));
        }
        assertThat(tally.marketsByVersion)
                .hasSizeLessThanOrEqualTo(RunTally.MAX_VERSION_LABELS)
                .containsEntry("v1", 1)
                .containsEntry("v2", 1)
                .containsEntry("missing", 1)
                .containsKey(RunTally.OTHER);
        assertThat(tally.marketsByVersion.values().stream()
                        .mapToInt(Integer::intValue)
                        .sum())
                .isEqualTo(43);
        assertThat(tally.rejected).containsOnly(entry("unknown_version", 41));
    }

    private static ObjectNode market(String id, java.util.function.Consumer<ObjectNode> change) throws IOException {
        return with(real(), o -> {
            o.put("id", id);
            change.accept(o);
        });
    }

    private static <K, V> java.util.Map.Entry<K, V> entry(K k, V v) {
        return java.util.Map.entry(k, v);
    }
}
