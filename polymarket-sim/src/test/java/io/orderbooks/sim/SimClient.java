package io.orderbooks.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A third party's view of the simulator: only the JDK's HttpClient and WebSocket. */
final class SimClient {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private SimClient() {}

    static HttpResponse<String> get(String url) {
        return send(
                HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build());
    }

    static HttpResponse<String> post(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Ws connect(String wsUrl) {
        Ws ws = new Ws();
        try {
            ws.socket = HTTP.newWebSocketBuilder()
                    .connectTimeout(TIMEOUT)
                    .buildAsync(URI.create(wsUrl), ws)
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect " + wsUrl + ": " + e, e);
        }
        return ws;
    }

    /**
     * The ids a correct client uses for a Gamma row: chosen by {@code version}
     * (docs.polymarket.com/migrate/polymarket-v2/api-integrations), v1 →
     * {@code clobTokenIds} (JSON-encoded string), v2 → {@code positionIds} (an array or a JSON-encoded string); none
     * for
     * an unknown or missing version.
     */
    static List<String> tokenIdsByVersion(io.vertx.core.json.JsonObject row) {
        Object v = row.getValue("version");
        io.vertx.core.json.JsonArray ids;
        if ("v1".equals(v)) {
            ids = new io.vertx.core.json.JsonArray(row.getString("clobTokenIds"));
        } else if ("v2".equals(v)) {
            Object p = row.getValue("positionIds");
            ids = p instanceof String s ? new io.vertx.core.json.JsonArray(s) : (io.vertx.core.json.JsonArray) p;
        } else {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        ids.forEach(o -> out.add((String) o));
        return out;
    }

    /** Waits until the condition holds; fails after the timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /** Records every complete text message, in order, and how the connection closed. */
    static final class Ws implements WebSocket.Listener {
        WebSocket socket;
        private final List<String> messages = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile boolean countOnly;
        private long count;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                synchronized (this) {
                    count++;
                    if (!countOnly || count <= 10) {
                        messages.add(text);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        void sendText(String text) {
            socket.sendText(text, true)
                    .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .join();
        }

        synchronized List<String> messages() {
            return List.copyOf(messages);
        }

        /** Data frames: everything except PONG (recorders do not store PONG). */
        synchronized List<String> dataFrames() {
            return messages.stream().filter(m -> !"PONG".equals(m)).toList();
        }

        synchronized long count() {
            return count;
        }

        synchronized int size() {
            return messages.size();
        }

        void close() {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye")
                        .orTimeout(5, TimeUnit.SECONDS)
                        .exceptionally(e -> null)
                        .join();
            }
            try {
                closed.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
    }
}
