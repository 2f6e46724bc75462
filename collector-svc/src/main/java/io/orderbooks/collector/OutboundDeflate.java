package io.orderbooks.collector;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.impl.WebSocketInternal;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps permessage-deflate for what the server sends and drops it for what the collector sends.
 *
 * <p>Why: Netty gives every connection that negotiated permessage-deflate its own compressor, created at the first
 * message sent (the subscribe) and kept for the connection's life. A zlib deflater at the default window and memory
 * level holds about 256 KiB of native memory, so the whole feed's 201 connections held ~52 MiB for compressing a
 * subscribe frame and a {@code PING} every 10 s (measured in Docker at 40,000 tokens: 201 {@code JdkZlibEncoder}s;
 * docs/PERFORMANCE.md table 10). RFC 7692 §6 makes compression a per-message choice: a message with RSV1 clear is
 * sent and read uncompressed, so the server's side of the extension is unaffected and inbound frames stay
 * compressed. Removing the encoder before the first message means no deflater is ever made.
 *
 * <p>This reaches into Vert.x's internal {@link WebSocketInternal} (Vert.x 4.5); if a later Vert.x hides it, the
 * connection keeps its encoder (more memory, same data) and one warning says so. {@code OutboundDeflateIT} checks
 * it against the Vert.x in the build.
 */
final class OutboundDeflate {
    private static final Logger LOG = Logger.getLogger(OutboundDeflate.class);
    private static final String ENCODER = "PerMessageDeflateEncoder";
    private static volatile boolean warned;

    private OutboundDeflate() {}

    /** Removes the connection's outbound compressor, if it has one; true if one was removed. */
    static boolean drop(WebSocket ws) {
        if (!(ws instanceof WebSocketInternal internal)) {
            warnOnce("the websocket is a " + ws.getClass().getName() + ", not Vert.x's WebSocketInternal");
            return false;
        }
        ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
        boolean dropped = false;
        for (Map.Entry<String, ChannelHandler> h : pipeline) {
            // Netty's PerMessageDeflateEncoder is package-private; its public base type and name identify it.
            if (h.getValue() instanceof WebSocketExtensionEncoder && h.getKey().endsWith(ENCODER)) {
                pipeline.remove(h.getValue());
                dropped = true;
            }
        }
        return dropped; // false: compression not negotiated, nothing to drop
    }

    private static void warnOnce(String why) {
        if (!warned) {
            warned = true;
            LOG.warnf(
                    "outbound websocket frames stay compressed (about 256 KiB of native memory per connection): %s",
                    why);
        }
    }
}
