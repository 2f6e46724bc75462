package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.impl.WebSocketInternal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OutboundDeflate} against a real Vert.x websocket server on loopback: after the drop the client sends plain
 * frames (RSV1 clear) that the server reads intact, and the server's compressed frames are still inflated; with
 * compression not negotiated there is nothing to drop.
 *
 * <p>An IT (failsafe's JVM), not a unit test: in surefire's JVM, after the {@code @QuarkusTest}, the same server and
 * client negotiated no compression at all (no extension in the handshake answer), although the collector in its
 * image and {@code WsCompressionIT} negotiate it; the cause was not found in the time given.
 */
class OutboundDeflateIT {
    private static final String HELLO = "hello";
    private static final String READY = "ready";
    private Vertx vertx;
    private HttpServer server;
    private final LinkedBlockingQueue<String> serverGot = new LinkedBlockingQueue<>();
    private final List<Boolean> serverSawCompressedBit = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new HttpServerOptions()
                        .setPerMessageWebSocketCompressionSupported(true)
                        .setHttp2ClearTextEnabled(false))
                // Upgraded from the request handler: with only a webSocketHandler, in surefire's JVM after the
                // @QuarkusTest Vert.x handed the upgrade to the absent request handler (an NPE).
                .requestHandler(req -> req.toWebSocket()
                        .onSuccess(ws -> ws.textMessageHandler(text -> {
                            if (text.equals(HELLO)) {
                                // The handshake is done by now: put the spy in front of Netty's inflater (if
                                // negotiated),
                                // where the RSV1 ("compressed") bit of each frame is still visible.
                                var pipeline = ((WebSocketInternal) ws)
                                        .channelHandlerContext()
                                        .pipeline();
                                String before = pipeline.names().stream()
                                        .filter(n -> n.endsWith("PerMessageDeflateDecoder"))
                                        .findFirst()
                                        .orElse("handler");
                                pipeline.addBefore(before, "rsv1-spy", new Rsv1Spy(serverSawCompressedBit));
                                ws.writeTextMessage(READY);
                                return;
                            }
                            serverGot.add(text);
                            ws.writeTextMessage("echo:" + text.repeat(20)); // long enough that the server compresses
                        })))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNegotiatedConnectionSendsPlainFramesAndStillReadsCompressedOnes() throws Exception {
        WebSocket ws = connect(true);
        var pipeline = ((WebSocketInternal) ws).channelHandlerContext().pipeline();
        assertThat(pipeline.names())
                .as("negotiated: Netty added an encoder")
                .anyMatch(n -> n.endsWith("PerMessageDeflateEncoder"));

        assertThat(OutboundDeflate.drop(ws)).isTrue();

        assertThat(pipeline.names())
                .as("outbound compressor gone")
                .noneMatch(n -> n.endsWith("PerMessageDeflateEncoder"));
        assertThat(pipeline.names()).as("inbound still inflated").anyMatch(n -> n.endsWith("PerMessageDeflateDecoder"));
        LinkedBlockingQueue<WebSocketFrame> clientGot = spied(ws);
        String subscribe = "{\"assets_ids\":[\"1\",\"2\"],\"type\":\"market\"}";
        ws.writeTextMessage(subscribe);
        ws.writeTextMessage("PING");

        assertThat(serverGot.poll(10, TimeUnit.SECONDS)).isEqualTo(subscribe);
        assertThat(serverGot.poll(10, TimeUnit.SECONDS)).isEqualTo("PING");
        assertThat(serverSawCompressedBit).as("RSV1 of each client frame").containsExactly(false, false);
        assertThat(clientGot.poll(10, TimeUnit.SECONDS).textData()).isEqualTo("echo:" + subscribe.repeat(20));
        assertThat(clientGot.poll(10, TimeUnit.SECONDS).textData()).isEqualTo("echo:" + "PING".repeat(20));
        assertThat(OutboundDeflate.drop(ws)).as("a second drop finds nothing").isFalse();
    }

    @Test
    void withoutCompressionThereIsNothingToDropAndFramesFlow() throws Exception {
        WebSocket ws = connect(false);

        assertThat(OutboundDeflate.drop(ws)).isFalse();

        spied(ws);
        ws.writeTextMessage("PING");
        assertThat(serverGot.poll(10, TimeUnit.SECONDS)).isEqualTo("PING");
    }

    @Test
    void withoutTheDropTheClientCompresses() throws Exception {
        // The control for the first test: the spy does see RSV1 set when the encoder stays.
        WebSocket ws = connect(true);
        spied(ws);
        ws.writeTextMessage("PING".repeat(50));
        assertThat(serverGot.poll(10, TimeUnit.SECONDS)).isEqualTo("PING".repeat(50));
        assertThat(serverSawCompressedBit).containsExactly(true);
    }

    /** Has the server put its spy in place (after the handshake); returns what the client receives from then on. */
    private LinkedBlockingQueue<WebSocketFrame> spied(WebSocket ws) throws InterruptedException {
        LinkedBlockingQueue<WebSocketFrame> got = new LinkedBlockingQueue<>();
        ws.frameHandler(got::add);
        ws.writeTextMessage(HELLO);
        assertThat(got.poll(10, TimeUnit.SECONDS).textData()).isEqualTo(READY);
        return got;
    }

    private WebSocket connect(boolean compression) throws Exception {
        return vertx.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(compression))
                .connect(new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(server.actualPort())
                        .setURI("/"))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** Notes the RSV1 ("compressed") bit of every data frame the server receives, before Netty inflates it. */
    private static final class Rsv1Spy extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final List<Boolean> seen;

        Rsv1Spy(List<Boolean> seen) {
            this.seen = seen;
        }

        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http.websocketx.TextWebSocketFrame f) {
                seen.add((f.rsv() & 0x4) != 0);
            }
            ctx.fireChannelRead(msg);
        }
    }
}
