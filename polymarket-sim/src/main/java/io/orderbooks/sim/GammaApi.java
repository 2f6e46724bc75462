package io.orderbooks.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The Gamma endpoints discovery uses: {@code /markets/keyset}, legacy {@code /markets}, {@code /markets/{id}}. */
final class GammaApi {
    private static final Map<String, Comparator<SimMarket>> ORDER_FIELDS = Map.of(
            "id", Comparator.comparingLong(m -> Long.parseLong(m.id())),
            "volume24hr", Comparator.comparingDouble(m -> m.def().volume24hr()),
            "volumeNum", Comparator.comparingDouble(m -> m.def().volume()),
            "volume", Comparator.comparingDouble(m -> m.def().volume()),
            "liquidityNum", Comparator.comparingDouble(m -> m.def().liquidity()),
            "liquidity", Comparator.comparingDouble(m -> m.def().liquidity()),
            "endDate", Comparator.comparing(m -> m.def().endDate()),
            "startDate", Comparator.comparing(m -> m.def().startDate()),
            "createdAt", Comparator.comparing(m -> m.def().createdAt()));

    private final SimConfig config;
    private final Universe universe;
    private final Faults faults;
    private final RestGate gate;

    GammaApi(SimConfig config, Universe universe, Faults faults, RestGate gate) {
        this.config = config;
        this.universe = universe;
        this.faults = faults;
        this.gate = gate;
    }

    void mount(Router router) {
        var listing = List.of(
                RateLimiter.Bucket.GLOBAL,
                RateLimiter.Bucket.GAMMA_GENERAL,
                RateLimiter.Bucket.GAMMA_MARKETS,
                RateLimiter.Bucket.GAMMA_LISTING);
        router.get("/markets/keyset")
                .handler(gate.admit(Faults.Scope.GAMMA, listing))
                .handler(this::keyset);
        router.get("/markets").handler(gate.admit(Faults.Scope.GAMMA, listing)).handler(this::legacy);
        router.get("/markets/:id")
                .handler(gate.admit(
                        Faults.Scope.GAMMA,
                        List.of(
                                RateLimiter.Bucket.GLOBAL,
                                RateLimiter.Bucket.GAMMA_GENERAL,
                                RateLimiter.Bucket.GAMMA_MARKETS)))
                .handler(this::byId);
    }

    /**
     * Keyset paging: {@code {"markets":[…],"next_cursor":"…"}}, no next_cursor on the last page; the cursor goes back as
     * {@code after_cursor}; {@code cursor=}/{@code next_cursor=} are silently ignored (Polymarket/agents#227,
     * py-clob-client#334); {@code offset} is rejected (docs: list-markets-keyset-pagination).
     */
    private void keyset(RoutingContext ctx) {
        if (!ctx.queryParam("offset").isEmpty()) {
            validationError(ctx, "offset is not supported on /markets/keyset, use after_cursor");
            return;
        }
        long after;
        int limit;
        MarketFilter filter;
        try {
            after = decodeCursor(ctx.queryParam("after_cursor"));
            limit = limit(ctx);
            filter = MarketFilter.from(ctx::queryParam);
        } catch (IllegalArgumentException e) {
            validationError(ctx, e.getMessage());
            return;
        }
        boolean tags = includeTags(ctx);
        JsonArray page = new JsonArray();
        boolean more = false;
        String lastId = null;
        for (SimMarket m : universe.markets()) {
            if (Long.parseLong(m.id()) <= after || !filter.matches(m)) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(GammaMarketJson.market(m, tags, faults));
            lastId = m.id();
        }
        JsonObject body = new JsonObject().put("markets", page);
        if (more) {
            body.put("next_cursor", encodeCursor(lastId));
        }
        gate.json(ctx, 200, body.encode());
    }

    /**
     * Legacy offset paging: a bare array, deprecation headers, 422 past ~2000 (observed 2026-08: offset=2000→200,
     * 3000→422; sapience PR #1884/#1911).
     */
    private void legacy(RoutingContext ctx) {
        ctx.response()
                .putHeader("deprecation", "true")
                .putHeader("sunset", "Fri, 01 May 2026 00:00:00 GMT")
                .putHeader("warning", "299 - \"use /markets/keyset\"");
        int offset;
        int limit;
        MarketFilter filter;
        Comparator<SimMarket> order;
        try {
            offset = intParam(ctx, "offset", 0);
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0");
            }
            limit = limit(ctx);
            filter = MarketFilter.from(ctx::queryParam);
            order = order(ctx);
        } catch (IllegalArgumentException e) {
            validationError(ctx, e.getMessage());
            return;
        }
        if (offset > config.legacyMaxOffset()) {
            validationError(ctx, "offset too large, use /markets/keyset for deeper pagination");
            return;
        }
        List<SimMarket> matching = new ArrayList<>();
        for (SimMarket m : universe.markets()) {
            if (filter.matches(m)) {
                matching.add(m);
            }
        }
        if (order != null) {
            matching.sort(order);
        }
        boolean tags = includeTags(ctx);
        JsonArray page = new JsonArray();
        for (int i = offset; i < matching.size() && page.size() < limit; i++) {
            page.add(GammaMarketJson.market(matching.get(i), tags, faults));
        }
        gate.json(ctx, 200, page.encode());
    }

    /** Single objects carry {@code $schema} (live GET /markets/559651). Closed markets are found by id; gone ones not. */
    private void byId(RoutingContext ctx) {
        SimMarket m = universe.market(ctx.pathParam("id")).orElse(null);
        if (m == null || m.status() == MarketStatus.GONE) {
            gate.json(ctx, 404, "{\"type\":\"not found error\",\"error\":\"id not found\"}");
            return;
        }
        JsonObject o = new JsonObject().put("$schema", "https://gamma-api.polymarket.com/schemas/Market.json");
        o.mergeIn(GammaMarketJson.market(m, true, faults));
        gate.json(ctx, 200, o.encode());
    }

    /** {@code limit} is silently clamped to 100 (observed 2026-08: limit=5000 returns 100). */
    private int limit(RoutingContext ctx) {
        int limit = intParam(ctx, "limit", config.gammaDefaultLimit());
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0");
        }
        return limit == 0 ? config.gammaDefaultLimit() : Math.min(limit, config.gammaMaxLimit());
    }

    private Comparator<SimMarket> order(RoutingContext ctx) {
        List<String> o = ctx.queryParam("order");
        if (o.isEmpty() || o.getFirst().isBlank()) {
            return null;
        }
        Comparator<SimMarket> c = null;
        for (String f : o.getFirst().split(",")) {
            Comparator<SimMarket> next = ORDER_FIELDS.get(f.trim());
            if (next == null) {
                // Invalid names answer 422 "order fields are not valid" (berlinbra/polymarket-mcp PR #20).
                throw new IllegalArgumentException("order fields are not valid");
            }
            c = c == null ? next : c.thenComparing(next);
        }
        List<String> asc = ctx.queryParam("ascending");
        boolean ascending = asc.isEmpty() || Boolean.parseBoolean(asc.getFirst());
        return ascending ? c : c.reversed();
    }

    private static boolean includeTags(RoutingContext ctx) {
        List<String> v = ctx.queryParam("include_tag");
        return !v.isEmpty() && Boolean.parseBoolean(v.getFirst());
    }

    private static int intParam(RoutingContext ctx, String key, int dflt) {
        List<String> v = ctx.queryParam(key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.getFirst().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer");
        }
    }

    private void validationError(RoutingContext ctx, String message) {
        gate.json(
                ctx,
                422,
                new JsonObject()
                        .put("type", "validation error")
                        .put("error", message)
                        .encode());
    }

    static String encodeCursor(String lastId) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("sim:" + lastId).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeCursor(List<String> values) {
        if (values.isEmpty() || values.getFirst().isBlank()) {
            return Long.MIN_VALUE;
        }
        try {
            String s =
                    new String(Base64.getUrlDecoder().decode(values.getFirst().trim()), StandardCharsets.UTF_8);
            if (!s.startsWith("sim:")) {
                throw new IllegalArgumentException("invalid after_cursor");
            }
            return Long.parseLong(s.substring(4));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid after_cursor");
        }
    }
}
