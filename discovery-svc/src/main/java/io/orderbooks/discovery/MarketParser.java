package io.orderbooks.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.TokenId;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one Gamma market object (a {@link JsonNode}, never a bound class) into a {@link ParsedMarket}, one market at
 * a time, so a surprise in one market costs that market and not the run.
 * <ul>
 * <li>Unknown fields are ignored.</li>
 * <li>Required: {@code id}, the flags {@code enableOrderBook}, {@code acceptingOrders}, {@code active},
 * {@code closed} (booleans) and, for a tradeable market, {@code version}, {@code conditionId} ({@code 0x} + 62 or 64
 * hex digits: Protocol V2 condition ids are 31 bytes), {@code outcomes} (a JSON-encoded string, docs
 * prices-order-books: "stored as a JSON-encoded array", parsed a second time) and the id field that
 * {@code version} selects. A required field that is missing or of another type rejects the market.</li>
 * <li>The id field is chosen by {@code version} alone, even when both fields are present
 * (docs.polymarket.com/migrate/polymarket-v2/api-integrations): {@code "v1"} → {@code clobTokenIds},
 * {@code "v2"} → {@code positionIds}; a v1 market may carry {@code positionIds} too, which does not make it V2.
 * Either field is accepted as a real array or as a JSON-encoded string of one. A missing or unsupported version
 * rejects the market ({@link Rejection#UNKNOWN_VERSION}); it is never guessed from the fields present.</li>
 * <li>Optional ({@code slug}, {@code question}, {@code events[0].slug}, {@code endDate}, {@code orderPriceMinTickSize},
 * {@code orderMinSize}, {@code liquidityNum}, {@code volume24hr}, {@code tags}) are taken when their type is usable and
 * left empty otherwise. {@code negRisk} is false when absent, and rejects the market when it is not a boolean.</li>
 * <li>Tokens pair by index, {@code ids[i]} ↔ {@code outcomes[i]}, whatever the order ({@code ["No","Yes"]}
 * exists); ids stay strings (uint256: CTF token ids 76–78 digits, position ids 75–76). Each token carries its
 * market's {@link Protocol}.</li>
 * </ul>
 */
final class MarketParser {
    private static final Pattern CONDITION_ID = Pattern.compile("0x(?:[0-9a-fA-F]{62}|[0-9a-fA-F]{64})");
    private static final List<String> FLAGS = List.of("enableOrderBook", "acceptingOrders", "active", "closed");

    private MarketParser() {}

    /** What became of one market object. */
    sealed interface Result permits Parsed, NotTradeable, Rejected {}

    record Parsed(ParsedMarket market) implements Result {}

    /** Listed but not tradeable on the CLOB now ({@code enableOrderBook && acceptingOrders && active && !closed} is false). */
    record NotTradeable(String marketId) implements Result {}

    record Rejected(String marketId, Rejection reason, String detail) implements Result {}

    /** Thrown inside the parser only, turned into {@link Rejected}. */
    private static final class Reject extends Exception {
        final Rejection reason;

        Reject(Rejection reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    static Result parse(JsonNode m) {
        if (m == null || !m.isObject()) {
            return new Rejected("?", Rejection.WRONG_TYPE, "market is not a JSON object");
        }
        String id;
        try {
            id = requiredId(m);
        } catch (Reject r) {
            return new Rejected("?", r.reason, r.getMessage());
        }
        try {
            boolean tradeable = true;
            for (String flag : FLAGS) {
                boolean v = requiredBoolean(m, flag);
                tradeable &= flag.equals("closed") ? !v : v;
            }
            if (!tradeable) {
                return new NotTradeable(id);
            }
            return new Parsed(tradeable(m, id));
        } catch (Reject r) {
            return new Rejected(id, r.reason, r.getMessage());
        }
    }

    private static ParsedMarket tradeable(JsonNode m, String id) throws Reject {
        MarketVersion version = MarketVersion.of(m);
        if (!version.supported()) {
            throw new Reject(Rejection.UNKNOWN_VERSION, "version " + version.label() + " is not supported (v1, v2)");
        }
        Protocol protocol = version.protocol();
        String idField = idField(protocol);
        String conditionId = requiredText(m, "conditionId");
        if (!CONDITION_ID.matcher(conditionId).matches()) {
            throw new Reject(
                    Rejection.BAD_CONDITION_ID,
                    "conditionId is not 0x + 62 or 64 hex digits: " + abbreviate(conditionId));
        }
        List<String> outcomes = encodedList(m, "outcomes");
        List<String> tokenIds = idList(m, idField);
        if (outcomes.isEmpty() && tokenIds.isEmpty()) {
            throw new Reject(Rejection.EMPTY, "outcomes and " + idField + " are empty");
        }
        if (outcomes.size() != tokenIds.size()) {
            throw new Reject(
                    Rejection.LENGTHS_DIFFER, outcomes.size() + " outcomes but " + tokenIds.size() + " " + idField);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tokenIds.size(); i++) {
            if (!TokenId.isValid(tokenIds.get(i))) {
                throw new Reject(
                        Rejection.BAD_TOKEN_ID,
                        idField + "[" + i + "] is not a decimal string: " + abbreviate(tokenIds.get(i)));
            }
            if (!seen.add(tokenIds.get(i))) {
                throw new Reject(Rejection.DUPLICATE_TOKEN, idField + "[" + i + "] repeats a token of the same market");
            }
            if (outcomes.get(i).isBlank()) {
                throw new Reject(Rejection.BLANK_OUTCOME, "outcomes[" + i + "] is empty");
            }
        }
        boolean negRisk = optionalStrictBoolean(m, "negRisk");
        String slug = optionalText(m, "slug");
        String question = optionalText(m, "question");
        String eventSlug = eventSlug(m);
        String endDate = optionalText(m, "endDate");
        String tick = decimalString(m.get("orderPriceMinTickSize"));
        String minSize = decimalString(m.get("orderMinSize"));
        List<TokenEntry> tokens = new ArrayList<>(tokenIds.size());
        for (int i = 0; i < tokenIds.size(); i++) {
            tokens.add(new TokenEntry(
                    tokenIds.get(i),
                    outcomes.get(i),
                    i,
                    conditionId,
                    id,
                    slug,
                    question,
                    eventSlug,
                    negRisk,
                    endDate,
                    tick,
                    minSize,
                    protocol));
        }
        double liquidity = number(m.get("liquidityNum"), number(m.get("liquidity"), 0));
        double volume24h = number(m.get("volume24hr"), 0);
        return new ParsedMarket(
                id, conditionId, protocol, slug, liquidity, volume24h, instant(endDate), tagIds(m), tokens);
    }

    private static String requiredId(JsonNode m) throws Reject {
        JsonNode v = m.get("id");
        if (v == null || v.isNull()) {
            throw new Reject(Rejection.MISSING_FIELD, "id is missing");
        }
        if (v.isTextual() && !v.asText().isBlank()) {
            return v.asText();
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        throw new Reject(Rejection.WRONG_TYPE, "id is a " + v.getNodeType() + ", expected a string");
    }

    private static boolean requiredBoolean(JsonNode m, String field) throws Reject {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            throw new Reject(Rejection.MISSING_FIELD, field + " is missing");
        }
        if (!v.isBoolean()) {
            throw new Reject(Rejection.WRONG_TYPE, field + " is a " + v.getNodeType() + ", expected a boolean");
        }
        return v.booleanValue();
    }

    private static String requiredText(JsonNode m, String field) throws Reject {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            throw new Reject(Rejection.MISSING_FIELD, field + " is missing");
        }
        if (!v.isTextual()) {
            throw new Reject(Rejection.WRONG_TYPE, field + " is a " + v.getNodeType() + ", expected a string");
        }
        return v.asText();
    }

    /** The Gamma field that holds a market's ids under {@code protocol}. */
    static String idField(Protocol protocol) {
        return switch (protocol) {
            case V1 -> "clobTokenIds";
            case V2 -> "positionIds";
        };
    }

    /**
     * The selected id field: a real array of strings ({@code positionIds} on the wire) or a string encoding one
     * ({@code clobTokenIds}; {@code positionIds} in some SDK fixtures). Ids as JSON numbers are refused: a uint256
     * does not survive a double.
     */
    private static List<String> idList(JsonNode m, String field) throws Reject {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            throw new Reject(Rejection.MISSING_IDS, field + " is missing");
        }
        JsonNode list = v;
        if (v.isTextual()) {
            try {
                list = GammaJson.parse(v.asText());
            } catch (IOException e) {
                throw new Reject(Rejection.BAD_IDS, field + " is not JSON: " + abbreviate(v.asText()));
            }
        }
        if (list == null || !list.isArray()) {
            throw new Reject(
                    Rejection.BAD_IDS,
                    field
                            + (v.isTextual()
                                    ? " does not encode an array: " + abbreviate(v.asText())
                                    : " is a " + v.getNodeType() + ", expected an array or a JSON-encoded string"));
        }
        List<String> out = new ArrayList<>(list.size());
        for (JsonNode e : list) {
            if (!e.isTextual()) {
                throw new Reject(Rejection.BAD_IDS, field + " holds a " + e.getNodeType() + ", expected strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** A JSON-encoded string holding an array of strings, e.g. {@code "[\"Yes\", \"No\"]"}. */
    private static List<String> encodedList(JsonNode m, String field) throws Reject {
        String text = requiredText(m, field);
        JsonNode list;
        try {
            list = GammaJson.parse(text);
        } catch (IOException e) {
            throw new Reject(Rejection.BAD_ENCODED_LIST, field + " is not JSON: " + abbreviate(text));
        }
        if (list == null || !list.isArray()) {
            throw new Reject(Rejection.BAD_ENCODED_LIST, field + " does not encode an array: " + abbreviate(text));
        }
        List<String> out = new ArrayList<>(list.size());
        for (JsonNode e : list) {
            if (!e.isTextual()) {
                throw new Reject(
                        Rejection.BAD_ENCODED_LIST, field + " holds a " + e.getNodeType() + ", expected strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static boolean optionalStrictBoolean(JsonNode m, String field) throws Reject {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new Reject(Rejection.WRONG_TYPE, field + " is a " + v.getNodeType() + ", expected a boolean");
        }
        return v.booleanValue();
    }

    private static String optionalText(JsonNode m, String field) {
        JsonNode v = m.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static String eventSlug(JsonNode m) {
        JsonNode events = m.get("events");
        if (events != null
                && events.isArray()
                && !events.isEmpty()
                && events.get(0).isObject()) {
            return optionalText(events.get(0), "slug");
        }
        return null;
    }

    /** Gamma sends tick and minimum size as numbers ({@code 0.001}, {@code 5}); tokens.json keeps decimal strings. */
    static String decimalString(JsonNode v) {
        BigDecimal d = null;
        if (v != null && v.isNumber()) {
            d = v.decimalValue();
        } else if (v != null && v.isTextual()) {
            try {
                d = new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (d == null || d.signum() < 0) {
            return null;
        }
        String s = d.stripTrailingZeros().toPlainString();
        return s.startsWith("-") ? null : s;
    }

    private static double number(JsonNode v, double otherwise) {
        if (v != null && v.isNumber()) {
            return v.doubleValue();
        }
        if (v != null && v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }
        return otherwise;
    }

    private static Set<String> tagIds(JsonNode m) {
        JsonNode tags = m.get("tags");
        if (tags == null || !tags.isArray()) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode t : tags) {
            JsonNode id = t.isObject() ? t.get("id") : null;
            if (id != null && (id.isTextual() || id.isIntegralNumber())) {
                out.add(id.asText());
            }
        }
        return out;
    }

    /** {@code endDate} as Gamma writes it (ISO instant, offset date-time, or a plain date). */
    static Instant instant(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e1) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException e3) {
                    return null;
                }
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
