package io.orderbooks.collector;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Every setting of collector-svc (prefix {@code collector}; env form {@code COLLECTOR_SNAPSHOT_INTERVAL} etc.).
 * Documented with defaults in docs/COLLECTOR.md and .env.example.
 */
@ConfigMapping(prefix = "collector")
@RegisterForReflection // EffectiveConfig walks it at start, in a native image too
public interface CollectorConfig {
    /** Instance id in file names (env COLLECTOR_INSTANCE); default: the host name, sanitised. Keep it stable. */
    Optional<String> instance();

    /** Market websocket (env COLLECTOR_WS_URL). */
    @WithDefault("wss://ws-subscriptions-clob.polymarket.com/ws/market")
    String wsUrl();

    /** This collector's part of the token set, {@code i/n} (env COLLECTOR_SHARD). */
    @WithDefault("0/1")
    String shard();

    /**
     * What the shard hashes (env COLLECTOR_SHARD_KEY): {@code token} (the token id; the default, so existing shards
     * stay as they are) or {@code market} (the condition id: a market's tokens share a shard, and frames naming both
     * are stored once); during a change of key one per count of {@link #shard()}, e.g. {@code market,token}.
     */
    @WithDefault("token")
    String shardKey();

    /** How often tokens.json is checked for a new list. */
    @WithDefault("5s")
    Duration tokensPollInterval();

    Snapshot snapshot();

    Ws ws();

    Files files();

    /** Below this many free bytes on the data dir the collector is not ready and logs loudly (default 2 GB). */
    @WithDefault("2000000000")
    long diskMinFree();

    /** A status line is logged this often. */
    @WithDefault("60s")
    Duration statusInterval();

    interface Snapshot {
        /** Full REST book snapshot of every tracked token this often (env COLLECTOR_SNAPSHOT_INTERVAL). */
        @WithDefault("60s")
        Duration interval();

        /** Token ids per {@code POST /books} request; Polymarket allows at most 500. */
        @WithDefault("500")
        int batchSize();

        /**
         * Requests per second at most. The documented limit for {@code /books} is 500 requests / 10 s
         * (docs.polymarket.com/api-reference/rate-limits); 5/s stays far inside it.
         */
        @WithDefault("5")
        double maxRequestsPerSecond();
    }

    interface Ws {
        /**
         * Assets per connection at most (default 200, env COLLECTOR_WS_MAX_ASSETS_PER_CONNECTION). The venue limit
         * is undocumented. Data stopped above ~500 (nautilus_trader PR #2915); py-clob-client#292 reports whole
         * connections freezing at ~250; nautilus_trader then lowered its default to 200 because "high
         * per-connection counts have been observed to silently stall a connection" (a reliability bound, not a
         * venue limit). 200 follows nautilus; a connection that stalls anyway is split (docs/COLLECTOR.md).
         */
        @WithDefault("200")
        int maxAssetsPerConnection();

        /**
         * A connection that stalls again right after its reconnect is split in two, but never into halves smaller
         * than this (default 25, env COLLECTOR_WS_MIN_ASSETS_PER_CONNECTION): below it the connection just keeps
         * reconnecting and says so. Each split also lowers the pool's cap for later tokens to the split size, for the
         * rest of the run ({@link StallSplitPolicy}, docs/COLLECTOR.md).
         */
        @WithDefault("25")
        int minAssetsPerConnection();

        /** Ids per subscribe frame; larger frames get the connection closed (rs-clob-client-v2#116/#117). */
        @WithDefault("100")
        int maxIdsPerFrame();

        /** Ask for best_bid_ask/new_market/market_resolved events too. */
        @WithDefault("true")
        boolean customFeatureEnabled();

        /**
         * Offer permessage-deflate (RFC 7692) on the websocket handshake (default true, env COLLECTOR_WS_COMPRESSION).
         * Polymarket does not document it either way; a server that declines simply answers
         * without {@code Sec-WebSocket-Extensions}, and the frames are the same. Each {@code connected} event says
         * whether it was negotiated. Measured savings: docs/COLLECTOR.md.
         */
        @WithDefault("true")
        boolean compression();

        /** Text PING this often; the docs ask for every 10 s. */
        @WithDefault("10s")
        Duration pingInterval();

        /** No PONG for this long: the connection is dead (rs-clob-client uses 30 s). */
        @WithDefault("30s")
        Duration pongTimeout();

        /**
         * No data frame for this long on a connection with assets: a silent stall (py-clob-client#292). Env
         * COLLECTOR_STALE_AFTER is mapped by {@code collector.stale-after} in application.properties.
         */
        @WithDefault("120s")
        Duration staleAfter();

        @WithDefault("1s")
        Duration reconnectMinBackoff();

        @WithDefault("60s")
        Duration reconnectMaxBackoff();

        /** Frames waiting for the disk; when full, frames are counted as lost and recorded as a gap. */
        @WithDefault("200000")
        int queueCapacity();

        /**
         * When the queue to the disk is half full, stop reading the websockets (TCP then slows the sender) until it
         * is down to an eighth, instead of receiving frames only to drop them. Off: never pause; a full queue drops
         * (env COLLECTOR_WS_BACKPRESSURE). docs/COLLECTOR.md says what each choice costs.
         */
        @WithDefault("true")
        boolean backpressure();
    }

    interface Files {
        /** fsync of the open files at least this often: a crash of the machine loses at most this much. */
        @WithDefault("1s")
        Duration flushInterval();

        /**
         * Lines are in the open file (gzip SYNC_FLUSH; readable by zcat, safe from a crash of the process) at least
         * this often; capped by flush-interval (env COLLECTOR_FILES_READABLE_WITHIN).
         */
        @WithDefault("50ms")
        Duration readableWithin();

        @WithDefault("6")
        int compressionLevel();
    }
}
