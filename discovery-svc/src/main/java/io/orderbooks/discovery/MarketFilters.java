package io.orderbooks.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's market filters. Those Gamma understands are also sent as query parameters, re-sent on every page
 * (docs list-markets-keyset-pagination), to keep the walk short; every filter is checked again here on the parsed
 * market, so a filter Gamma ignores still holds.
 */
final class MarketFilters {
    private static final Pattern RELATIVE = Pattern.compile("now(?:([+-])(\\d+)([smhd]))?");

    /** The settings, decoupled from the config mapping so they can be built in tests. */
    record Settings(
            boolean closed,
            Double minLiquidity,
            Double minVolume24h,
            List<String> tagIds,
            List<String> allow,
            List<String> deny,
            Integer maxMarkets,
            String endDateMin,
            String endDateMax) {
        Settings {
            tagIds = tagIds == null ? List.of() : List.copyOf(tagIds);
            allow = allow == null ? List.of() : List.copyOf(allow);
            deny = deny == null ? List.of() : List.copyOf(deny);
        }

        static Settings defaults() {
            return new Settings(false, null, null, List.of(), List.of(), List.of(), null, null, null);
        }

        static Settings of(DiscoveryConfig.Filter f) {
            return new Settings(
                    f.closed(),
                    f.minLiquidity().isPresent() ? f.minLiquidity().getAsDouble() : null,
                    f.minVolume24h().isPresent() ? f.minVolume24h().getAsDouble() : null,
                    f.tagIds().orElse(List.of()),
                    f.allow().orElse(List.of()),
                    f.deny().orElse(List.of()),
                    f.maxMarkets().isPresent() ? f.maxMarkets().getAsInt() : null,
                    f.endDateMin().orElse(null),
                    f.endDateMax().orElse(null));
        }
    }

    private final Settings settings;
    private final Set<String> tagIds;
    private final Set<String> allow;
    private final Set<String> deny;

    /** @throws IllegalArgumentException for a setting that cannot work (checked once at start) */
    MarketFilters(Settings settings) {
        this.settings = settings;
        this.tagIds = new TreeSet<>(trimmed(settings.tagIds()));
        this.allow = lower(settings.allow());
        this.deny = lower(settings.deny());
        if (settings.maxMarkets() != null && settings.maxMarkets() < 1) {
            throw new IllegalArgumentException(
                    "discovery.filter.max-markets must be at least 1: " + settings.maxMarkets());
        }
        Instant probe = Instant.now();
        resolve("discovery.filter.end-date-min", settings.endDateMin(), probe);
        resolve("discovery.filter.end-date-max", settings.endDateMax(), probe);
    }

    Settings settings() {
        return settings;
    }

    /** Gamma query parameters for a run at {@code now} (without paging parameters). */
    Map<String, List<String>> query(Instant now) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        q.put("closed", List.of(Boolean.toString(settings.closed())));
        if (settings.minLiquidity() != null) {
            q.put("liquidity_num_min", List.of(plain(settings.minLiquidity())));
        }
        if (!tagIds.isEmpty()) {
            q.put("tag_id", List.copyOf(tagIds));
            // tags[] comes back only with include_tag=true; the tag filter is then checked here too.
            q.put("include_tag", List.of("true"));
        }
        Instant min = resolve("end-date-min", settings.endDateMin(), now);
        Instant max = resolve("end-date-max", settings.endDateMax(), now);
        if (min != null) {
            q.put("end_date_min", List.of(min.truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        if (max != null) {
            q.put("end_date_max", List.of(max.truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        return q;
    }

    /** Null when the market is kept, else the filter (a {@code discovery.filtered} reason) that dropped it. */
    String drop(ParsedMarket m, Instant now) {
        String slug = m.slug() == null ? null : m.slug().toLowerCase(Locale.ROOT);
        String condition = m.conditionId().toLowerCase(Locale.ROOT);
        if (deny.contains(condition) || (slug != null && deny.contains(slug))) {
            return "deny_list";
        }
        if (!allow.isEmpty() && !allow.contains(condition) && (slug == null || !allow.contains(slug))) {
            return "allow_list";
        }
        if (settings.minLiquidity() != null && m.liquidity() < settings.minLiquidity()) {
            return "min_liquidity";
        }
        if (settings.minVolume24h() != null && m.volume24h() < settings.minVolume24h()) {
            return "min_volume_24h";
        }
        if (!tagIds.isEmpty() && m.tagIds() != null && m.tagIds().stream().noneMatch(tagIds::contains)) {
            return "tag";
        }
        Instant min = resolve("end-date-min", settings.endDateMin(), now);
        Instant max = resolve("end-date-max", settings.endDateMax(), now);
        if ((min != null || max != null) && m.endInstant() == null) {
            return "end_date";
        }
        if ((min != null && m.endInstant().isBefore(min))
                || (max != null && m.endInstant().isAfter(max))) {
            return "end_date";
        }
        return null;
    }

    /** {@code max-markets}: the markets with the highest 24 h volume (ties: lower market id first). */
    List<ParsedMarket> top(List<ParsedMarket> kept) {
        if (settings.maxMarkets() == null || kept.size() <= settings.maxMarkets()) {
            return kept;
        }
        List<ParsedMarket> sorted = new ArrayList<>(kept);
        sorted.sort(Comparator.comparingDouble(ParsedMarket::volume24h)
                .reversed()
                .thenComparing(ParsedMarket::marketId, TokenLists.NUMERIC_TEXT));
        return List.copyOf(sorted.subList(0, settings.maxMarkets()));
    }

    /** What tokens.json says under {@code filters}. */
    ObjectNode describe() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("closed", settings.closed());
        o.put("enableOrderBook", true);
        o.put("acceptingOrders", true);
        o.put("active", true);
        if (settings.minLiquidity() != null) {
            o.put("min_liquidity", settings.minLiquidity());
        }
        if (settings.minVolume24h() != null) {
            o.put("min_volume_24h", settings.minVolume24h());
        }
        if (!tagIds.isEmpty()) {
            ArrayNode a = o.putArray("tag_ids");
            tagIds.forEach(a::add);
        }
        if (!allow.isEmpty()) {
            ArrayNode a = o.putArray("allow");
            allow.forEach(a::add);
        }
        if (!deny.isEmpty()) {
            ArrayNode a = o.putArray("deny");
            deny.forEach(a::add);
        }
        if (settings.maxMarkets() != null) {
            o.put("max_markets", settings.maxMarkets());
        }
        // As configured ("now+30d" stays relative), so an unchanged market set stays an unchanged list.
        if (settings.endDateMin() != null && !settings.endDateMin().isBlank()) {
            o.put("end_date_min", settings.endDateMin().trim());
        }
        if (settings.endDateMax() != null && !settings.endDateMax().isBlank()) {
            o.put("end_date_max", settings.endDateMax().trim());
        }
        return o;
    }

    /** {@code YYYY-MM-DD}, an ISO instant, or {@code now[±N(s|m|h|d)]} relative to the run. */
    static Instant resolve(String key, String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        Matcher rel = RELATIVE.matcher(v);
        if (rel.matches()) {
            if (rel.group(1) == null) {
                return now;
            }
            long n = Long.parseLong(rel.group(2));
            Duration d = switch (rel.group(3)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return rel.group(1).equals("+") ? now.plus(d) : now.minus(d);
        }
        Instant at = MarketParser.instant(v);
        if (at == null) {
            throw new IllegalArgumentException(
                    key + " must be YYYY-MM-DD, an ISO instant or now[+-]N(s|m|h|d): " + value);
        }
        return at;
    }

    private static List<String> trimmed(List<String> values) {
        return values.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Set<String> lower(List<String> values) {
        Set<String> out = new TreeSet<>();
        trimmed(values).forEach(s -> out.add(s.toLowerCase(Locale.ROOT)));
        return out;
    }

    private static String plain(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
