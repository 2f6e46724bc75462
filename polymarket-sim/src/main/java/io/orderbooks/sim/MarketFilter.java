package io.orderbooks.sim;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The Gamma {@code /markets} filters discovery relies on. {@code closed} defaults to false upstream, so without
 * {@code closed=true} closed markets are not listed (polyoxide-gamma docs; cookbook). Dates take RFC3339 or
 * YYYY-MM-DD. {@code clob_token_ids} must be repeated parameters; a comma-joined value matches nothing
 * (rs-clob-client MarketsRequest::clob_token_ids_query).
 */
record MarketFilter(
        Boolean closed,
        Boolean active,
        Boolean archived,
        Set<String> ids,
        Set<String> slugs,
        Set<String> conditionIds,
        Set<String> tokenIds,
        Set<String> positionIds,
        Set<String> tagIds,
        Double liquidityMin,
        Double liquidityMax,
        Double volumeMin,
        Double volumeMax,
        Instant endDateMin,
        Instant endDateMax) {

    /** @throws IllegalArgumentException on an unparsable value (answered 422 like Gamma's validation errors) */
    static MarketFilter from(Function<String, List<String>> query) {
        return new MarketFilter(
                bool(query, "closed", false),
                bool(query, "active", null),
                bool(query, "archived", null),
                split(query.apply("id")),
                split(query.apply("slug")),
                split(query.apply("condition_ids")),
                new HashSet<>(query.apply("clob_token_ids")),
                split(query.apply("position_ids")),
                split(query.apply("tag_id")),
                number(query, "liquidity_num_min"),
                number(query, "liquidity_num_max"),
                number(query, "volume_num_min"),
                number(query, "volume_num_max"),
                date(query, "end_date_min"),
                date(query, "end_date_max"));
    }

    boolean matches(SimMarket m) {
        if (m.status() == MarketStatus.GONE) {
            return false;
        }
        MarketDef d = m.def();
        if (closed != null && m.closed() != closed) return false;
        // A closed market keeps active:true on Gamma; "active" does not mean tradeable (cookbook).
        if (active != null && !active) return false;
        if (archived != null && m.archived() != archived) return false;
        if (!ids.isEmpty() && !ids.contains(d.id())) return false;
        if (!slugs.isEmpty() && !slugs.contains(d.slug())) return false;
        if (!conditionIds.isEmpty() && !conditionIds.contains(d.conditionId())) return false;
        if (!tokenIds.isEmpty() && d.clobTokenIds().stream().noneMatch(tokenIds::contains)) return false;
        // position_ids[] is in the live OpenAPI's parameter list (Gamma's OpenAPI for /markets).
        if (!positionIds.isEmpty() && d.positionIds().stream().noneMatch(positionIds::contains)) return false;
        if (!tagIds.isEmpty() && d.tags().stream().noneMatch(t -> tagIds.contains(t.id()))) return false;
        if (liquidityMin != null && d.liquidity() < liquidityMin) return false;
        if (liquidityMax != null && d.liquidity() > liquidityMax) return false;
        if (volumeMin != null && d.volume() < volumeMin) return false;
        if (volumeMax != null && d.volume() > volumeMax) return false;
        if (endDateMin != null && d.endDate().isBefore(endDateMin)) return false;
        return endDateMax == null || !d.endDate().isAfter(endDateMax);
    }

    private static Set<String> split(List<String> values) {
        Set<String> out = new HashSet<>();
        for (String v : values) {
            for (String p : v.split(",")) {
                if (!p.isBlank()) {
                    out.add(p.trim());
                }
            }
        }
        return out;
    }

    private static Boolean bool(Function<String, List<String>> q, String key, Boolean dflt) {
        List<String> v = q.apply(key);
        if (v.isEmpty()) {
            return dflt;
        }
        String s = v.getFirst().trim().toLowerCase();
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false");
        }
        return Boolean.parseBoolean(s);
    }

    private static Double number(Function<String, List<String>> q, String key) {
        List<String> v = q.apply(key);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(v.getFirst());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number");
        }
    }

    private static Instant date(Function<String, List<String>> q, String key) {
        List<String> v = q.apply(key);
        if (v.isEmpty()) {
            return null;
        }
        String s = v.getFirst();
        try {
            return s.length() == 10
                    ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be RFC3339 or YYYY-MM-DD");
        }
    }
}
