package io.orderbooks.collector;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import java.util.function.Consumer;

/**
 * Whole messages out of websocket frames: a final frame is a message by itself, continuation frames are joined.
 * Control frames are dropped: Vert.x answers pings and runs the close handshake itself. One per connection; the
 * part of a message is dropped by {@link #reset()} when the connection is replaced.
 */
final class FrameAssembler {
    private final Consumer<byte[]> message;
    private Buffer partial;

    FrameAssembler(Consumer<byte[]> message) {
        this.message = message;
    }

    void frame(WebSocketFrame f) {
        if (f.isClose() || f.isPing() || f.type() == WebSocketFrameType.PONG) {
            return;
        }
        Buffer data = f.binaryData();
        if (f.isFinal() && !f.isContinuation() && partial == null) {
            message.accept(data.getBytes());
            return;
        }
        partial = partial == null ? Buffer.buffer() : partial;
        partial.appendBuffer(data);
        if (f.isFinal()) {
            byte[] whole = partial.getBytes();
            partial = null;
            message.accept(whole);
        }
    }

    void reset() {
        partial = null;
    }
}
