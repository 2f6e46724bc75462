package io.orderbooks.sim;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;

/** The CLOB REST endpoints the collector uses: {@code GET /book}, {@code POST /books}, plus {@code /} and {@code /time}. */
final class ClobApi {
    /** Verbatim error bodies captured from the live CLOB (captured 2026-08-10; the capture is not public). */
    static final String NO_BOOK = "{\"error\":\"No orderbook exists for the requested token id\"}";

    static final String INVALID_TOKEN = "{\"error\":\"Invalid token id\"}";

    private final SimConfig config;
    private final Universe universe;
    private final Faults faults;
    private final Oracle oracle;
    private final RestGate gate;

    ClobApi(SimConfig config, Universe universe, Faults faults, Oracle oracle, RestGate gate) {
        this.config = config;
        this.universe = universe;
        this.faults = faults;
        this.oracle = oracle;
        this.gate = gate;
    }

    void mount(Router router) {
        router.get("/book")
                .handler(gate.admit(
                        Faults.Scope.CLOB,
                        List.of(RateLimiter.Bucket.GLOBAL, RateLimiter.Bucket.CLOB_GENERAL, RateLimiter.Bucket.BOOK)))
                .handler(this::book);
        router.post("/books")
                .handler(BodyHandler.create().setBodyLimit(4 * 1024 * 1024))
                .handler(gate.admit(
                        Faults.Scope.CLOB,
                        List.of(RateLimiter.Bucket.GLOBAL, RateLimiter.Bucket.CLOB_GENERAL, RateLimiter.Bucket.BOOKS)))
                .handler(this::books);
        router.get("/")
                .handler(ctx -> ctx.response()
                        .putHeader("content-type", "application/json")
                        .end("\"OK\""));
        router.get("/time")
                .handler(ctx -> ctx.response()
                        .putHeader("content-type", "application/json")
                        .end(Long.toString(config.clock().millis() / 1000)));
    }

    /** 400 without a token id, 404 for unknown, closed or book-less tokens (captured error bodies). */
    private void book(RoutingContext ctx) {
        List<String> ids = ctx.queryParam("token_id");
        if (ids.isEmpty() || ids.getFirst().isBlank()) {
            gate.json(ctx, 400, INVALID_TOKEN);
            return;
        }
        String item = summary(ids.getFirst().trim());
        if (item == null) {
            gate.json(ctx, 404, NO_BOOK);
            return;
        }
        if (gate.json(ctx, 200, item)) {
            oracle.restBook(ids.getFirst().trim(), item);
        }
    }

    /** Body {@code [{"token_id":"…"},…]}, at most 500 items (docs: prices-order-books "Maximum 500 items per request"). */
    private void books(RoutingContext ctx) {
        JsonArray body;
        try {
            body = ctx.body().asJsonArray();
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null) {
            gate.json(ctx, 400, "{\"error\":\"Invalid payload\"}");
            return;
        }
        if (body.size() > config.booksMaxItems()) {
            gate.json(ctx, 400, "{\"error\":\"Too many token ids: max " + config.booksMaxItems() + " per request\"}");
            return;
        }
        List<String> ids = new ArrayList<>();
        for (Object o : body) {
            // Older clients also send a "side" per item; it is ignored for books.
            Object id = o instanceof JsonObject j ? j.getValue("token_id") : null;
            if (!(id instanceof String s) || s.isBlank()) {
                gate.json(ctx, 400, INVALID_TOKEN);
                return;
            }
            ids.add(s.trim());
        }
        StringBuilder sb = new StringBuilder(2048 * Math.max(1, ids.size()));
        sb.append('[');
        int n = 0;
        List<String[]> served = new ArrayList<>();
        for (String id : ids) {
            String item = summary(id);
            if (item == null) {
                // Undocumented upstream [UNCERTAIN]: omit by default, or fail the whole batch.
                if (config.booksUnknownTokens() == SimConfig.UnknownTokensInBatch.NOT_FOUND) {
                    gate.json(ctx, 404, NO_BOOK);
                    return;
                }
                continue;
            }
            if (n++ > 0) {
                sb.append(',');
            }
            sb.append(item);
            served.add(new String[] {id, item});
        }
        if (gate.json(ctx, 200, sb.append(']').toString())) {
            served.forEach(s -> oracle.restBook(s[0], s[1]));
        }
    }

    private String summary(String tokenId) {
        OrderBook book = universe.book(tokenId).orElse(null);
        return book == null ? null : faults.decorate(book.summaryJson());
    }
}
