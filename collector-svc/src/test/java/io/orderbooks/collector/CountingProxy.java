package io.orderbooks.collector;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A loopback TCP proxy that counts the bytes going each way: what a websocket costs on the wire. */
final class CountingProxy implements AutoCloseable {
    final AtomicLong toClient = new AtomicLong();
    final AtomicLong toServer = new AtomicLong();
    private final NetServer server;

    CountingProxy(Vertx vertx, int targetPort) throws Exception {
        var client = vertx.createNetClient();
        server = vertx.createNetServer()
                .connectHandler(in -> {
                    in.pause();
                    client.connect(targetPort, "127.0.0.1")
                            .onSuccess(out -> {
                                pipe(in, out, toServer);
                                pipe(out, in, toClient);
                                in.resume();
                            })
                            .onFailure(e -> in.close());
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static void pipe(NetSocket from, NetSocket to, AtomicLong counter) {
        from.handler(b -> {
            counter.addAndGet(b.length());
            to.write(b);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(v -> from.resume());
            }
        });
        from.closeHandler(v -> to.close());
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
