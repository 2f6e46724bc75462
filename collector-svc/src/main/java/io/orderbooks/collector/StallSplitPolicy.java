package io.orderbooks.collector;

/**
 * What a connection does when it goes stale (no data frame for {@code stale-after} while PONGs keep coming).
 * <p>
 * How many assets one connection may carry is undocumented and may move: data stopped above ~500 (nautilus_trader
 * PR #2915), whole connections froze at ~250 (py-clob-client#292), and nautilus_trader lowered its default to 200
 * because "high per-connection counts have been observed to silently stall a connection". Reconnecting an overfull
 * set brings the same stall back and records nothing, forever. So a stall that <em>repeats right after a
 * reconnect</em> is taken as "too many assets here", and the connection is halved.
 * <p>
 * "Right after a reconnect" is exact: the connection's previous subscribed session ended stale, and not one frame
 * has arrived since this session's subscribe. A stall after data has flowed is an ordinary stall (reconnect only).
 * Halving stops at {@code min-assets-per-connection}: a connection whose moved half would be smaller is not split
 * and keeps reconnecting, and says so ({@code then: "reconnect-at-floor"} on its {@code stale} event, and a log line).
 * <p>
 * A silent feed looks the same from one connection: when Polymarket's whole market channel goes quiet, every
 * connection stalls again after its reconnect, and halving them all, round after round, would only multiply the
 * connections. So the pool must also allow the split ({@link WsConnections#mayGrow}): it may double its connections
 * without evidence (enough for the overfull case, e.g. 400 where ~250 stall), and grow beyond that only while
 * another connection receives data, which shows the feed is alive and the stall is this connection's. Otherwise the
 * connection reconnects ({@code then: "reconnect-feed-silent"}). docs/COLLECTOR.md (Websocket limits).
 */
final class StallSplitPolicy {
    /** The vocabulary of the {@code then} field of a {@code stale} event. */
    enum Action {
        RECONNECT("reconnect"),
        SPLIT("split"),
        RECONNECT_AT_FLOOR("reconnect-at-floor"),
        RECONNECT_FEED_SILENT("reconnect-feed-silent");

        final String wire;

        Action(String wire) {
            this.wire = wire;
        }
    }

    /** {@code keep}: how many of the connection's assets stay on it (all of them unless it splits). */
    record Decision(Action action, int keep) {}

    private final int minAssets;

    StallSplitPolicy(int minAssets) {
        this.minAssets = Math.max(1, minAssets);
    }

    /**
     * @param repeat the previous session of this connection ended stale and nothing arrived since this one subscribed
     * @param assets the connection's assets now
     * @param mayGrow  the pool allows one more connection ({@link WsConnections#mayGrow})
     */
    Decision decide(boolean repeat, int assets, boolean mayGrow) {
        if (!repeat) {
            return new Decision(Action.RECONNECT, assets);
        }
        int keep = (assets + 1) / 2;
        if (assets - keep < minAssets) {
            return new Decision(Action.RECONNECT_AT_FLOOR, assets);
        }
        if (!mayGrow) {
            return new Decision(Action.RECONNECT_FEED_SILENT, assets);
        }
        return new Decision(Action.SPLIT, keep);
    }

    int minAssets() {
        return minAssets;
    }
}
