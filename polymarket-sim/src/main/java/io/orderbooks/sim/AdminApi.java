package io.orderbooks.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The simulator's own control surface under {@code /admin} (no Polymarket counterpart): oracle, faults, markets, the
 * firehose rate.
 * Also {@code /health} and {@code /q/health[/live|/ready]} so compose can probe it like the services.
 */
final class AdminApi {
    private final PolymarketSim sim;

    AdminApi(PolymarketSim sim) {
        this.sim = sim;
    }

    void mount(Router router) {
        router.get("/admin/state").handler(this::state);
        router.get("/admin/oracle").handler(this::oracle);
        router.get("/admin/oracle/connections/:id").handler(this::connection);
        router.get("/admin/oracle/rest/:assetId").handler(this::restBook);
        router.get("/admin/faults")
                .handler(ctx -> ok(ctx, new JsonObject(sim.faults().state())));
        router.delete("/admin/faults").handler(ctx -> {
            sim.faults().clear();
            ok(ctx, new JsonObject(sim.faults().state()));
        });
        router.post("/admin/faults/:name").handler(this::fault);
        router.get("/admin/firehose").handler(this::firehose);
        router.post("/admin/firehose")
                .handler(BodyHandler.create().setBodyLimit(64 * 1024))
                .handler(this::setFirehose);
        router.get("/admin/markets").handler(this::markets);
        router.post("/admin/markets")
                .handler(ctx -> ok(ctx, market(sim.universe().addMarket())));
        router.post("/admin/markets/:id/:action").handler(this::lifecycle);
        for (String path : new String[] {"/health", "/q/health", "/q/health/live", "/q/health/ready"}) {
            router.get(path).handler(ctx -> ok(ctx, new JsonObject().put("status", "UP")));
        }
    }

    private void state(RoutingContext ctx) {
        Universe u = sim.universe();
        ok(
                ctx,
                new JsonObject()
                        .put("gamma_url", sim.gammaUrl())
                        .put("clob_url", sim.clobUrl())
                        .put("ws_url", sim.wsUrl())
                        .put("markets", u.markets().size())
                        .put("open_tokens", u.openTokenIds().size())
                        .put("closed_tokens", u.closedTokenIds().size())
                        .put(
                                "open_connections",
                                sim.oracle().connections().stream()
                                        .filter(Oracle.ConnectionRecord::open)
                                        .count())
                        .put("frames_sent", sim.oracle().totalFrames())
                        .put("events_generated", sim.eventsGenerated())
                        .put("event_rate_per_second", Math.round(sim.eventRate()))
                        .put("rest_books_served", sim.oracle().restBooksServed())
                        .put("firehose", sim.config().firehose())
                        .put("firehose_rate_per_connection", sim.firehoseRunning() ? sim.firehoseRate() : null)
                        .put("faults", new JsonObject(sim.faults().state())));
    }

    private void oracle(RoutingContext ctx) {
        Oracle.Snapshot o = sim.oracle().snapshot();
        JsonArray conns = new JsonArray();
        o.connections().forEach(c -> conns.add(connection(c)));
        ok(
                ctx,
                new JsonObject()
                        .put("digest", o.digest())
                        .put("connections", conns)
                        .put("rest_books_served", o.restBooksServed())
                        .put("rest_responses_corrupted", o.restResponsesCorrupted())
                        .put("sidecar", o.sidecar()));
    }

    private void connection(RoutingContext ctx) {
        sim.oracle()
                .connection(ctx.pathParam("id"))
                .ifPresentOrElse(c -> ok(ctx, connection(c)), () -> error(ctx, 404, "no such connection"));
    }

    private void restBook(RoutingContext ctx) {
        sim.oracle()
                .restBook(ctx.pathParam("assetId"))
                .ifPresentOrElse(
                        r -> ok(
                                ctx,
                                new JsonObject()
                                        .put("asset_id", r.assetId())
                                        .put("count", r.count())
                                        .put("sha256", r.sha256())
                                        .put("last_hash", r.lastHash())),
                        () -> error(ctx, 404, "no book served for this asset"));
    }

    private void fault(RoutingContext ctx) {
        Map<String, String> params = new LinkedHashMap<>();
        ctx.queryParams().forEach(e -> params.put(e.getKey(), e.getValue()));
        try {
            String done = sim.faults().apply(ctx.pathParam("name"), params);
            ok(ctx, new JsonObject().put("applied", done));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
        }
    }

    private JsonObject firehoseState() {
        if (!sim.firehoseRunning()) {
            return new JsonObject().put("firehose", false);
        }
        return new JsonObject()
                .put("firehose", true)
                .put("rate_per_connection", sim.firehoseRate())
                .put("connections", sim.firehoseConnections())
                .put("frames_pumped", sim.firehoseFramesPumped())
                .put("frames_sent", sim.oracle().totalFrames());
    }

    private void firehose(RoutingContext ctx) {
        ok(ctx, firehoseState());
    }

    /** {@code POST /admin/firehose} with {@code {"rate_per_connection":N}} (or {@code ?rate_per_connection=N}). */
    private void setFirehose(RoutingContext ctx) {
        if (!sim.firehoseRunning()) {
            error(ctx, 409, "not in firehose mode (start the simulator with sim.firehose=true)");
            return;
        }
        Object value;
        try {
            String body = ctx.body().asString();
            value = body == null || body.isBlank()
                    ? ctx.queryParams().get("rate_per_connection")
                    : new JsonObject(body).getValue("rate_per_connection");
        } catch (RuntimeException e) {
            error(ctx, 400, "the body must be a JSON object like {\"rate_per_connection\":20000}");
            return;
        }
        long rate;
        try {
            rate = switch (value) {
                case Integer i -> i;
                case Long l -> l;
                case String str -> Long.parseLong(str.trim());
                case null -> throw new IllegalArgumentException("rate_per_connection is missing");
                default -> throw new IllegalArgumentException("rate_per_connection must be an integer, got " + value);
            };
            if (rate > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("rate_per_connection is too large: " + rate);
            }
            sim.firehoseRate((int) rate);
        } catch (NumberFormatException e) {
            error(ctx, 400, "rate_per_connection must be an integer, got " + value);
            return;
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        ok(ctx, firehoseState());
    }

    private void markets(RoutingContext ctx) {
        String status = ctx.queryParams().get("status");
        JsonArray out = new JsonArray();
        for (SimMarket m : sim.universe().markets()) {
            if (status == null || m.status().name().equalsIgnoreCase(status)) {
                out.add(market(m));
            }
        }
        ok(ctx, new JsonObject().put("markets", out));
    }

    private void lifecycle(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        try {
            switch (ctx.pathParam("action").toLowerCase(Locale.ROOT)) {
                case "close" -> sim.universe().close(id);
                case "reopen" -> sim.universe().reopen(id);
                case "remove" -> sim.universe().remove(id);
                default -> {
                    error(ctx, 400, "action must be close, reopen or remove");
                    return;
                }
            }
            ok(ctx, market(sim.universe().market(id).orElseThrow()));
        } catch (IllegalArgumentException e) {
            error(ctx, 404, e.getMessage());
        }
    }

    private static JsonObject market(SimMarket m) {
        // token_ids: the ids a correct client uses (by version; empty for unknown or missing versions), so a test can
        // compute the expected tradeable token set; clob_token_ids/position_ids: what the Gamma row carries.
        return new JsonObject()
                .put("id", m.id())
                .put("status", m.status().name())
                .put("version", m.def().version().wire())
                .put("condition_id", m.def().conditionId())
                .put("enable_order_book", m.def().enableOrderBook())
                .put("token_ids", new JsonArray(m.def().tokenIds()))
                .put("clob_token_ids", new JsonArray(m.def().clobTokenIds()))
                .put("position_ids", new JsonArray(m.def().positionIds()))
                .put("outcomes", new JsonArray(m.def().outcomes()));
    }

    private static JsonObject connection(Oracle.ConnectionRecord c) {
        return new JsonObject()
                .put("id", c.id())
                .put("remote", c.remote())
                .put("opened_at_ms", c.openedAtMs())
                .put("closed_at_ms", c.closedAtMs())
                .put("close_reason", c.closeReason())
                .put("frames", c.frames())
                .put("bytes", c.bytes())
                .put("sha256", c.sha256())
                .put("pongs", c.pongs())
                .put("invalid_client_frames", c.invalidClientFrames())
                .put("subscribed_assets", c.subscribedAssets())
                .put("served_assets", c.servedAssets());
    }

    private static void ok(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("content-type", "application/json").end(body.encode());
    }

    private static void error(RoutingContext ctx, int status, String message) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
