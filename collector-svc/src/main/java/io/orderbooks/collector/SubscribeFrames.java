package io.orderbooks.collector;

import java.util.ArrayList;
import java.util.List;

/**
 * The text frames that subscribe and unsubscribe assets: {@code {"assets_ids":[…],"type":"market"}} for the first of
 * a session, {@code {"assets_ids":[…],"operation":"subscribe"}} after it (Polymarket's market-channel docs,
 * wss-overview), at most {@code maxIdsPerFrame} ids each. Subscribes say {@code "initial_dump":true}: its default is
 * undocumented, and nautilus_trader and the clob-client-v2 example send it explicitly; the book snapshot is what makes
 * a book rebuildable after every (re)subscribe (docs/COLLECTOR.md).
 */
final class SubscribeFrames {
    static final String SUBSCRIBE = "subscribe";
    static final String UNSUBSCRIBE = "unsubscribe";

    private final int maxIdsPerFrame;
    private final boolean customFeatureEnabled;

    SubscribeFrames(int maxIdsPerFrame, boolean customFeatureEnabled) {
        this.maxIdsPerFrame = maxIdsPerFrame;
        this.customFeatureEnabled = customFeatureEnabled;
    }

    /** A session's first subscription: the {@code type: market} frame, then {@code operation} frames; one if empty. */
    List<String> initial(List<String> ids, boolean lead) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += maxIdsPerFrame) {
            out.add(frame(chunk(ids, i), i == 0 ? null : SUBSCRIBE, lead));
        }
        if (ids.isEmpty()) {
            out.add(frame(List.of(), null, lead));
        }
        return out;
    }

    /** {@code operation} frames for a change on an open connection; none for no ids. */
    List<String> operation(List<String> ids, String operation, boolean lead) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += maxIdsPerFrame) {
            out.add(frame(chunk(ids, i), operation, lead));
        }
        return out;
    }

    /** The frame that asks for the global events without naming an asset, so it cannot be a duplicate. */
    String leadOnly() {
        return frame(List.of(), SUBSCRIBE, true);
    }

    /** Frames the first subscription of {@code ids} takes (at least one). */
    int count(int ids) {
        return Math.max(1, (ids + maxIdsPerFrame - 1) / maxIdsPerFrame);
    }

    private List<String> chunk(List<String> ids, int from) {
        return ids.subList(from, Math.min(ids.size(), from + maxIdsPerFrame));
    }

    private String frame(List<String> ids, String operation, boolean lead) {
        StringBuilder b = new StringBuilder(ids.size() * 82 + 80).append("{\"assets_ids\":[");
        for (int i = 0; i < ids.size(); i++) {
            b.append(i == 0 ? "\"" : ",\"").append(ids.get(i)).append('"');
        }
        b.append(']');
        b.append(operation == null ? ",\"type\":\"market\"" : ",\"operation\":\"" + operation + "\"");
        if (!UNSUBSCRIBE.equals(operation)) {
            b.append(",\"initial_dump\":true");
        }
        if (customFeatureEnabled && lead && !UNSUBSCRIBE.equals(operation)) {
            b.append(",\"custom_feature_enabled\":true");
        }
        return b.append('}').toString();
    }
}
