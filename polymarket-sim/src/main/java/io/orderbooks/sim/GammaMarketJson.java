package io.orderbooks.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A market as Gamma serialises it: camelCase keys in the live order, {@code outcomes}, {@code outcomePrices},
 * {@code clobTokenIds} and {@code umaResolutionStatuses} as JSON-encoded strings (docs: prices-order-books "stored as
 * a JSON-encoded array"; live GET /markets/559651), {@code liquidity}/{@code volume} as decimal strings next to their
 * numeric {@code *Num} twins, {@code questionID} with a capital ID, {@code closedTime} in its non-ISO form.
 */
final class GammaMarketJson {
    private static final DateTimeFormatter CLOSED_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'+00'").withZone(ZoneOffset.UTC);

    private GammaMarketJson() {}

    static JsonObject market(SimMarket m, boolean includeTags, Faults faults) {
        MarketDef d = m.def();
        boolean closed = m.closed();
        boolean typeChange = faults.typeChange();
        JsonObject o = new JsonObject();
        o.put("id", d.id());
        o.put("question", d.question());
        o.put("conditionId", d.conditionId());
        o.put("slug", d.slug());
        o.put("resolutionSource", "");
        o.put("endDate", iso(d.endDate()));
        o.put("liquidity", plain(d.liquidity()));
        o.put("startDate", iso(d.startDate()));
        o.put("image", "");
        o.put("icon", "");
        o.put(
                "description",
                "Simulated market " + d.id() + ". Resolves \"" + d.outcomes().getFirst() + "\" at random.");
        o.put("outcomes", encoded(d.outcomes()));
        o.put("outcomePrices", encoded(d.outcomePrices()));
        o.put("volume", plain(d.volume()));
        o.put("active", true);
        o.put("closed", closed);
        o.put("marketMakerAddress", "");
        o.put("createdAt", iso(d.createdAt()));
        o.put("updatedAt", iso(d.createdAt()));
        o.put("new", false);
        o.put("featured", false);
        o.put("archived", m.archived());
        o.put("restricted", true);
        o.put("groupItemTitle", "");
        o.put("groupItemThreshold", "0");
        o.put("questionID", d.questionId());
        o.put("enableOrderBook", d.enableOrderBook());
        // A number here (0.01), unlike the book's string tick_size; a type-change fault sends it as a string.
        o.put("orderPriceMinTickSize", typeChange ? d.tickSize() : Double.parseDouble(d.tickSize()));
        o.put("orderMinSize", d.orderMinSize());
        o.put("volumeNum", d.volume());
        o.put("liquidityNum", d.liquidity());
        o.put("endDateIso", d.endDate().toString().substring(0, 10));
        o.put("startDateIso", d.startDate().toString().substring(0, 10));
        o.put("hasReviewedDates", true);
        o.put("volume24hr", d.volume24hr());
        o.put("volume1wk", d.volume24hr() * 5);
        o.put("volume1mo", d.volume24hr() * 20);
        o.put("volume1yr", d.volume());
        // JSON-encoded string; pair clobTokenIds[i] with outcomes[i]. A type-change fault sends a real array.
        // A V2 row has no clobTokenIds at all (official ts-sdk fixture).
        if (!d.clobTokenIds().isEmpty()) {
            o.put("clobTokenIds", typeChange ? new JsonArray(d.clobTokenIds()) : encoded(d.clobTokenIds()));
        }
        // positionIds: a real array on the wire (sample gamma-market-by-id.json), a JSON-encoded string in the ts-sdk
        // V2 fixture; both occur here. A type-change fault flips the form, so both forms reach every client.
        if (!d.positionIds().isEmpty()) {
            o.put(
                    "positionIds",
                    d.positionIdsAsString() != typeChange
                            ? encodedCompact(d.positionIds())
                            : new JsonArray(d.positionIds()));
        }
        o.put("volume24hrClob", d.volume24hr());
        o.put("volumeClob", d.volume());
        o.put("liquidityClob", d.liquidity());
        o.put("acceptingOrders", m.acceptsOrders());
        o.put("negRisk", d.negRisk());
        if (d.negRisk()) {
            o.put("negRiskMarketID", d.negRiskMarketId());
            o.put("negRiskRequestID", d.questionId());
        } else {
            o.put("negRiskRequestID", "");
        }
        o.put(
                "events",
                new JsonArray()
                        .add(new JsonObject()
                                .put("id", d.eventId())
                                .put("ticker", d.eventSlug())
                                .put("slug", d.eventSlug())
                                .put("title", d.eventTitle())
                                .put("startDate", iso(d.startDate()))
                                .put("endDate", iso(d.endDate()))
                                .put("active", true)
                                .put("closed", closed)
                                .put("archived", m.archived())
                                .put("negRisk", d.negRisk())
                                .put("enableNegRisk", d.negRisk())));
        o.put("ready", false);
        o.put("funded", false);
        o.put("acceptingOrdersTimestamp", iso(d.startDate()));
        o.put("cyom", false);
        o.put("competitive", 0.8);
        o.put("spread", 0.01);
        o.put("lastTradePrice", Double.parseDouble(d.outcomePrices().getFirst()));
        o.put("negRiskOther", false);
        o.put("umaResolutionStatuses", closed ? "[\"resolved\"]" : "[]");
        o.put("rfqEnabled", false);
        o.put("feesEnabled", !d.feeRateBps().isEmpty());
        // Clients must choose the id field by version and reject unknown or missing versions.
        if (d.version().wire() != null) {
            o.put("version", d.version().wire());
        }
        if (closed && m.closedAt() != null) {
            o.put("closedTime", CLOSED_TIME.format(m.closedAt()));
        }
        if (includeTags) {
            JsonArray tags = new JsonArray();
            for (MarketDef.Tag t : d.tags()) {
                tags.add(new JsonObject()
                        .put("id", t.id())
                        .put("label", t.label())
                        .put("slug", t.slug()));
            }
            o.put("tags", tags);
        }
        if (faults.unknownField()) {
            o.put("simUnknownField", new JsonObject().put("added", "by fault injection"));
        }
        return o;
    }

    /** Gamma's JSON-in-a-string arrays use ", " between items: {@code "[\"Yes\", \"No\"]"}. */
    static String encoded(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Json.str(sb, values.get(i));
        }
        return sb.append(']').toString();
    }

    /** The ts-sdk V2 fixture's form, without spaces: {@code "[\"21\",\"22\"]"}. */
    static String encodedCompact(List<String> values) {
        return new JsonArray(values).encode();
    }

    private static String iso(Instant t) {
        return t.toString();
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
