package io.orderbooks.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarketFiltersTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final String C1 = "0x" + "a".repeat(64);
    private static final String C2 = "0x" + "b".repeat(64);

    @Test
    void defaultsSendClosedFalseAndKeepEverything() {
        MarketFilters f = new MarketFilters(MarketFilters.Settings.defaults());
        assertThat(f.query(NOW)).isEqualTo(Map.of("closed", List.of("false")));
        assertThat(f.drop(market("1", C1, "a", 0, 0, null, null), NOW)).isNull();
    }

    @Test
    void liquidityAndVolumeMinimums() {
        MarketFilters f = new MarketFilters(
                settings(s -> new MarketFilters.Settings(false, 1000.0, 50.0, null, null, null, null, null, null)));
        assertThat(f.query(NOW)).containsEntry("liquidity_num_min", List.of("1000"));
        assertThat(f.drop(market("1", C1, "a", 999, 100, null, null), NOW)).isEqualTo("min_liquidity");
        assertThat(f.drop(market("1", C1, "a", 1000, 49.9, null, null), NOW)).isEqualTo("min_volume_24h");
        assertThat(f.drop(market("1", C1, "a", 1000, 50, null, null), NOW)).isNull();
    }

    @Test
    void tagsAreSentAndCheckedWhenGammaSendsThem() {
        MarketFilters f = new MarketFilters(settings(
                s -> new MarketFilters.Settings(false, null, null, List.of("2", " 21"), null, null, null, null, null)));
        assertThat(f.query(NOW))
                .containsEntry("tag_id", List.of("2", "21"))
                .containsEntry("include_tag", List.of("true"));
        assertThat(f.drop(market("1", C1, "a", 0, 0, null, Set.of("21", "5")), NOW))
                .isNull();
        assertThat(f.drop(market("1", C1, "a", 0, 0, null, Set.of("5")), NOW)).isEqualTo("tag");
    }

    @Test
    void allowAndDenyListsMatchSlugsOrConditionIds() {
        MarketFilters allow = new MarketFilters(settings(s -> new MarketFilters.Settings(
                false,
                null,
                null,
                null,
                List.of("wanted-slug", C2.toUpperCase().replace("0X", "0x")),
                null,
                null,
                null,
                null)));
        assertThat(allow.drop(market("1", C1, "wanted-slug", 0, 0, null, null), NOW))
                .isNull();
        assertThat(allow.drop(market("2", C2, "other", 0, 0, null, null), NOW)).isNull();
        assertThat(allow.drop(market("3", C1, "other", 0, 0, null, null), NOW)).isEqualTo("allow_list");
        MarketFilters deny = new MarketFilters(settings(s ->
                new MarketFilters.Settings(false, null, null, null, null, List.of("bad-slug", C2), null, null, null)));
        assertThat(deny.drop(market("1", C1, "bad-slug", 0, 0, null, null), NOW))
                .isEqualTo("deny_list");
        assertThat(deny.drop(market("2", C2, "fine", 0, 0, null, null), NOW)).isEqualTo("deny_list");
        assertThat(deny.drop(market("3", C1, "fine", 0, 0, null, null), NOW)).isNull();
    }

    @Test
    void endDateWindowAbsoluteOrRelativeToTheRun() {
        MarketFilters f = new MarketFilters(settings(
                s -> new MarketFilters.Settings(false, null, null, null, null, null, null, "now-1d", "2026-12-31")));
        assertThat(f.query(NOW))
                .containsEntry("end_date_min", List.of("2026-11-23T12:00:00Z"))
                .containsEntry("end_date_max", List.of("2026-12-31T00:00:00Z"));
        assertThat(f.drop(market("1", C1, "a", 0, 0, Instant.parse("2026-11-23T11:59:59Z"), null), NOW))
                .isEqualTo("end_date");
        assertThat(f.drop(market("1", C1, "a", 0, 0, Instant.parse("2026-12-01T00:00:00Z"), null), NOW))
                .isNull();
        assertThat(f.drop(market("1", C1, "a", 0, 0, Instant.parse("2027-01-01T00:00:00Z"), null), NOW))
                .isEqualTo("end_date");
        assertThat(f.drop(market("1", C1, "a", 0, 0, null, null), NOW))
                .as("no end date, window set")
                .isEqualTo("end_date");
        assertThat(f.describe().get("end_date_min").asText())
                .as("relative stays relative")
                .isEqualTo("now-1d");
        assertThat(MarketFilters.resolve("k", "now+12h", NOW)).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThatThrownBy(() -> new MarketFilters(settings(s ->
                        new MarketFilters.Settings(false, null, null, null, null, null, null, "next tuesday", null))))
                .hasMessageContaining("end-date-min");
    }

    @Test
    void maxMarketsKeepsTheHighest24hVolume() {
        MarketFilters f = new MarketFilters(
                settings(s -> new MarketFilters.Settings(false, null, null, null, null, null, 2, null, null)));
        List<ParsedMarket> kept = f.top(List.of(
                market("1", C1, "a", 0, 10, null, null),
                market("2", C2, "b", 0, 30, null, null),
                market("10", "0x" + "c".repeat(64), "c", 0, 20, null, null)));
        assertThat(kept).extracting(ParsedMarket::marketId).containsExactly("2", "10");
        assertThatThrownBy(() -> new MarketFilters(
                        settings(s -> new MarketFilters.Settings(false, null, null, null, null, null, 0, null, null))))
                .hasMessageContaining("max-markets");
    }

    private static MarketFilters.Settings settings(java.util.function.UnaryOperator<MarketFilters.Settings> f) {
        return f.apply(MarketFilters.Settings.defaults());
    }

    static ParsedMarket market(
            String id,
            String condition,
            String slug,
            double liquidity,
            double volume24h,
            Instant end,
            Set<String> tags) {
        TokenEntry t = new TokenEntry(
                "1" + id, "Yes", 0, condition, id, slug, "q", "e", false, null, "0.01", "5", Protocol.V1);
        return new ParsedMarket(id, condition, Protocol.V1, slug, liquidity, volume24h, end, tags, List.of(t));
    }
}
