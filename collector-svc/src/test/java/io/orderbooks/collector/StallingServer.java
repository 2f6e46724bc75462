package io.orderbooks.collector;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A market channel that silently stalls overfull connections: a connection with more than {@code stallAbove}
 * subscribed assets gets no data frame at all, while PONGs still come (py-clob-client#292). Others get a book array
 * on subscribe and one {@code price_change} for all their assets every 100 ms. Tracks what each connection has
 * subscribed, and counts duplicate subscribes.
 */
final class StallingServer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final int stallAbove;
    final Map<ServerWebSocket, Set<String>> subscribed = new ConcurrentHashMap<>();
    final Set<String> served = ConcurrentHashMap.newKeySet();
    final java.util.concurrent.atomic.AtomicInteger duplicateSubscribes =
            new java.util.concurrent.atomic.AtomicInteger();

    StallingServer(Vertx vertx, int stallAbove) throws Exception {
        this.vertx = vertx;
        this.stallAbove = stallAbove;
        server = vertx.createHttpServer()
                .requestHandler(req -> req.toWebSocket().onSuccess(this::session))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "ws://127.0.0.1:" + server.actualPort() + "/ws/market";
    }

    private void session(ServerWebSocket ws) {
        Set<String> mine = ConcurrentHashMap.newKeySet();
        subscribed.put(ws, mine);
        long timer = vertx.setPeriodic(100, id -> {
            if (!mine.isEmpty() && mine.size() <= stallAbove) {
                ws.writeTextMessage(priceChange(List.copyOf(mine)));
                served.addAll(mine);
            }
        });
        ws.closeHandler(v -> {
            vertx.cancelTimer(timer);
            subscribed.remove(ws);
        });
        ws.textMessageHandler(text -> {
            if ("PING".equals(text)) {
                ws.writeTextMessage("PONG");
                return;
            }
            JsonObject msg = new JsonObject(text);
            List<String> ids =
                    msg.getJsonArray("assets_ids").stream().map(String::valueOf).toList();
            if ("unsubscribe".equals(msg.getString("operation"))) {
                ids.forEach(mine::remove);
                return;
            }
            for (String id : ids) {
                if (!mine.add(id)) {
                    duplicateSubscribes.incrementAndGet();
                }
            }
            if (mine.size() <= stallAbove) {
                StringBuilder b = new StringBuilder("[");
                for (String id : ids) {
                    b.append(b.length() > 1 ? "," : "")
                            .append("{\"event_type\":\"book\",\"asset_id\":\"")
                            .append(id)
                            .append(
                                    "\",\"market\":\"0x1\",\"bids\":[],\"asks\":[],\"timestamp\":\"1\",\"hash\":\"h\"}");
                }
                ws.writeTextMessage(b.append(']').toString());
            }
        });
    }

    private static String priceChange(List<String> assets) {
        StringBuilder b = new StringBuilder("{\"event_type\":\"price_change\",\"market\":\"0x1\",\"price_changes\":[");
        for (int i = 0; i < assets.size(); i++) {
            b.append(i == 0 ? "" : ",")
                    .append("{\"asset_id\":\"")
                    .append(assets.get(i))
                    .append("\",\"price\":\"0.5\",\"size\":\"1\",\"side\":\"BUY\"}");
        }
        return b.append("],\"timestamp\":\"1\"}").toString();
    }

    /** Closes every connection, as a server restart would. */
    void dropAll() {
        subscribed.keySet().forEach(ws -> ws.close((short) 1011, "test drop"));
    }

    /** Assets per open connection. */
    List<Integer> loads() {
        return subscribed.values().stream().map(Set::size).toList();
    }

    @Override
    public void close() {
        server.close();
    }
}
