package io.orderbooks.sim;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the simulator can be told at start. Build it with {@link #builder()}; every field has a default that
 * mirrors the real Polymarket as described in docs/SIMULATOR.md.
 *
 * @param seed                         seed of the market universe and of the event generator (same seed, same universe)
 * @param host                         bind address; 127.0.0.1 unless a container needs 0.0.0.0
 * @param port                         one port for Gamma, CLOB REST, the websocket and admin; 0 picks a free one
 * @param eventLoops                   Vert.x event loops serving connections
 * @param markets                      markets created at start
 * @param outcomes                     outcomes (tokens) per market; Polymarket markets are binary, so 2
 * @param closedShare                  share of markets created already closed (settled)
 * @param noOrderBookShare             share of AMM-era markets with {@code enableOrderBook:false} and no book
 * @param negRiskShare                 share of markets in neg-risk events
 * @param noYesOrderShare              share of binary markets whose outcomes are {@code ["No","Yes"]}
 * @param levelsPerSide                price levels per side of a fresh book
 * @param eventsPerSecondPerAsset      websocket event rate of a subscribed asset
 * @param idleEventsPerSecondPerAsset  rate at which books nobody subscribes to still change (REST sees it)
 * @param tick                         period of the event generator
 * @param arrayFrameShare              share of data frames sent as a JSON array of events rather than one object
 * @param fullBookEvery                one full {@code book} event per this many events of an asset (0 = never)
 * @param tradeShare                   share of events that are trades (a {@code last_trade_price} plus a price_change)
 * @param tickSizeChangeShare          share of events that are {@code tick_size_change}
 * @param crossAssetDelivery           a market's price_change reaches subscribers of either token, as observed
 * @param initialBookLastTradePrice    initial snapshot books carry {@code last_trade_price} (observed only there)
 * @param marketChurn                  every this often one open market closes and a new one opens (ZERO = never)
 * @param wsMaxIdsPerFrame             a subscribe frame with more ids closes the connection
 * @param wsMaxAssetsPerConnection     assets beyond this many on one connection silently get no data
 * @param booksMaxItems                {@code POST /books} above this many items answers 400
 * @param booksUnknownTokens           what {@code POST /books} does with unknown tokens (undocumented upstream)
 * @param gammaDefaultLimit            page size when {@code limit} is absent
 * @param gammaMaxLimit                {@code limit} is silently clamped to this
 * @param legacyMaxOffset              legacy {@code GET /markets} answers 422 above this offset
 * @param rateLimits                   per-window request limits
 * @param rateLimitMode                reject with 429 (default) or delay like Cloudflare's throttling
 * @param firehose                     benchmark mode: precomputed frames pumped as fast as each connection drains
 * @param firehoseFramesPerSecond      per-connection cap in firehose mode (0 = as fast as possible)
 * @param oracleFramesFile             if set, every sent frame is also appended to this JSONL sidecar
 * @param faultScript                  faults to apply at given offsets after start, see {@link FaultScript}
 * @param v2Share share of markets that are Protocol V2 (position ids;
 * docs.polymarket.com/migrate/polymarket-v2/api-integrations)
 * @param v2PositionIdsAsStringShare share of V2 rows whose positionIds is a JSON-encoded string rather than an array
 * (ts-sdk fixture)
 * @param v1PositionIdsShare share of v1 rows that also carry positionIds, ids without a book (real gamma-market-by-id
 * sample)
 * @param unknownVersionShare share of rows with version v3 or no version at all; their ids have no book
 * @param wsRejectDuplicateSubscribe a subscribe naming an asset already subscribed on the connection is rejected whole
 * with an error frame (py-sdk)
 * @param wsStallAboveAssets a connection with more than this many subscribed assets gets no data frames at all
 * (py-clob-client#292; 0 = off)
 * @param wsIdleTimeout a connection whose client sent nothing for this long is closed (Polymarket's docs: about a
 * minute; ZERO = never)
 * @param wsCompression accept permessage-deflate when the client offers it (undocumented upstream; Vert.x's default)
 * @param tickSizes tick sizes of new markets and their weights (0.1 … 0.0001)
 * @param oneSidedBookShare share of markets whose books now and then lose a whole side, so best_bid/best_ask are ""
 * @param feesEnabledShare share of markets with fees; the others send fee_rate_bps ""
 * @param updownAssets assets of short-lived crypto up/down markets, e.g. btc,eth,sol,xrp (empty = none)
 * @param updownWindows window lengths of the up/down markets (5 and 15 minutes upstream)
 * @param updownHorizon up/down markets exist this far ahead of their window (about 24 h upstream)
 * @param rateProfile uniform (every market at the configured rate) or realistic (heavy-tailed over markets, bursty over
 * time)
 * @param clock                        wall clock for timestamps and end dates
 */
public record SimConfig(
        long seed,
        String host,
        int port,
        int eventLoops,
        int markets,
        int outcomes,
        double closedShare,
        double noOrderBookShare,
        double negRiskShare,
        double noYesOrderShare,
        int levelsPerSide,
        double eventsPerSecondPerAsset,
        double idleEventsPerSecondPerAsset,
        Duration tick,
        double arrayFrameShare,
        int fullBookEvery,
        double tradeShare,
        double tickSizeChangeShare,
        boolean crossAssetDelivery,
        boolean initialBookLastTradePrice,
        Duration marketChurn,
        int wsMaxIdsPerFrame,
        int wsMaxAssetsPerConnection,
        int booksMaxItems,
        UnknownTokensInBatch booksUnknownTokens,
        int gammaDefaultLimit,
        int gammaMaxLimit,
        int legacyMaxOffset,
        RateLimits rateLimits,
        RateLimitMode rateLimitMode,
        boolean firehose,
        int firehoseFramesPerSecond,
        Path oracleFramesFile,
        String faultScript,
        double v2Share,
        double v2PositionIdsAsStringShare,
        double v1PositionIdsShare,
        double unknownVersionShare,
        boolean wsRejectDuplicateSubscribe,
        int wsStallAboveAssets,
        Duration wsIdleTimeout,
        boolean wsCompression,
        TickSizes tickSizes,
        double oneSidedBookShare,
        double feesEnabledShare,
        List<String> updownAssets,
        List<Duration> updownWindows,
        Duration updownHorizon,
        RateProfile rateProfile,
        Clock clock) {

    /** How {@code POST /books} treats unknown or closed tokens; Polymarket does not document it [UNCERTAIN]. */
    public enum UnknownTokensInBatch {
        OMIT,
        NOT_FOUND
    }

    /** Rate-limit answer: docs say Cloudflare "throttles (delays/queues)", clients must still handle 429. */
    public enum RateLimitMode {
        OFF,
        REJECT,
        DELAY
    }

    /** How event rates spread over markets and time, see {@link RateShape}. */
    public enum RateProfile {
        UNIFORM,
        REALISTIC
    }

    public SimConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tick, "tick");
        Objects.requireNonNull(marketChurn, "marketChurn");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(rateLimitMode, "rateLimitMode");
        Objects.requireNonNull(booksUnknownTokens, "booksUnknownTokens");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(tickSizes, "tickSizes");
        Objects.requireNonNull(rateProfile, "rateProfile");
        updownAssets = List.copyOf(updownAssets);
        updownWindows = List.copyOf(updownWindows);
        Objects.requireNonNull(updownHorizon, "updownHorizon");
        for (Duration w : updownWindows) {
            if (w.toSeconds() < 1) throw new IllegalArgumentException("up/down windows must be at least 1s: " + w);
        }
        Objects.requireNonNull(wsIdleTimeout, "wsIdleTimeout");
        if (wsIdleTimeout.isNegative()) throw new IllegalArgumentException("wsIdleTimeout must not be negative");
        faultScript = faultScript == null ? "" : faultScript;
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (outcomes < 2) throw new IllegalArgumentException("outcomes must be >= 2: " + outcomes);
        if (markets < 0) throw new IllegalArgumentException("markets must be >= 0: " + markets);
        if (eventLoops < 1) throw new IllegalArgumentException("eventLoops must be >= 1: " + eventLoops);
        if (tick.isZero() || tick.isNegative()) throw new IllegalArgumentException("tick must be positive");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder; defaults mirror the real service. */
    public static final class Builder {
        private long seed = 42;
        private String host = "127.0.0.1";
        private int port = 0;
        private int eventLoops = 2;
        private int markets = 200;
        private int outcomes = 2;
        private double closedShare = 0.10;
        private double noOrderBookShare = 0.05;
        private double negRiskShare = 0.20;
        private double noYesOrderShare = 0.10;
        private int levelsPerSide = 10;
        private double eventsPerSecondPerAsset = 2.0;
        private double idleEventsPerSecondPerAsset = 0.05;
        private Duration tick = Duration.ofMillis(100);
        private double arrayFrameShare = 0.2;
        private int fullBookEvery = 50;
        private double tradeShare = 0.1;
        private double tickSizeChangeShare = 0.005;
        private boolean crossAssetDelivery = true;
        private boolean initialBookLastTradePrice = true;
        private Duration marketChurn = Duration.ZERO;
        private int wsMaxIdsPerFrame = 100;
        private int wsMaxAssetsPerConnection = 500;
        private int booksMaxItems = 500;
        private UnknownTokensInBatch booksUnknownTokens = UnknownTokensInBatch.OMIT;
        private int gammaDefaultLimit = 20;
        private int gammaMaxLimit = 100;
        private int legacyMaxOffset = 2000;
        private RateLimits rateLimits = RateLimits.documented();
        private RateLimitMode rateLimitMode = RateLimitMode.REJECT;
        private boolean firehose = false;
        private int firehoseFramesPerSecond = 0;
        private Path oracleFramesFile = null;
        private String faultScript = "";
        private double v2Share = 0.25;
        private double v2PositionIdsAsStringShare = 0.5;
        private double v1PositionIdsShare = 0.5;
        private double unknownVersionShare = 0.02;
        private boolean wsRejectDuplicateSubscribe = true;
        private int wsStallAboveAssets = 0;
        private Duration wsIdleTimeout = Duration.ofSeconds(60);
        private boolean wsCompression = true;
        private TickSizes tickSizes = TickSizes.parse(TickSizes.DEFAULT);
        private double oneSidedBookShare = 0.1;
        private double feesEnabledShare = 0.2;
        private List<String> updownAssets = List.of();
        private List<Duration> updownWindows = List.of(Duration.ofMinutes(5), Duration.ofMinutes(15));
        private Duration updownHorizon = Duration.ofHours(24);
        private RateProfile rateProfile = RateProfile.UNIFORM;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        private Builder(SimConfig c) {
            seed = c.seed;
            host = c.host;
            port = c.port;
            eventLoops = c.eventLoops;
            markets = c.markets;
            outcomes = c.outcomes;
            closedShare = c.closedShare;
            noOrderBookShare = c.noOrderBookShare;
            negRiskShare = c.negRiskShare;
            noYesOrderShare = c.noYesOrderShare;
            levelsPerSide = c.levelsPerSide;
            eventsPerSecondPerAsset = c.eventsPerSecondPerAsset;
            idleEventsPerSecondPerAsset = c.idleEventsPerSecondPerAsset;
            tick = c.tick;
            arrayFrameShare = c.arrayFrameShare;
            fullBookEvery = c.fullBookEvery;
            tradeShare = c.tradeShare;
            tickSizeChangeShare = c.tickSizeChangeShare;
            crossAssetDelivery = c.crossAssetDelivery;
            initialBookLastTradePrice = c.initialBookLastTradePrice;
            marketChurn = c.marketChurn;
            wsMaxIdsPerFrame = c.wsMaxIdsPerFrame;
            wsMaxAssetsPerConnection = c.wsMaxAssetsPerConnection;
            booksMaxItems = c.booksMaxItems;
            booksUnknownTokens = c.booksUnknownTokens;
            gammaDefaultLimit = c.gammaDefaultLimit;
            gammaMaxLimit = c.gammaMaxLimit;
            legacyMaxOffset = c.legacyMaxOffset;
            rateLimits = c.rateLimits;
            rateLimitMode = c.rateLimitMode;
            firehose = c.firehose;
            firehoseFramesPerSecond = c.firehoseFramesPerSecond;
            oracleFramesFile = c.oracleFramesFile;
            faultScript = c.faultScript;
            clock = c.clock;
            rateProfile = c.rateProfile;
            updownHorizon = c.updownHorizon;
            updownWindows = c.updownWindows;
            updownAssets = c.updownAssets;
            feesEnabledShare = c.feesEnabledShare;
            oneSidedBookShare = c.oneSidedBookShare;
            tickSizes = c.tickSizes;
            wsCompression = c.wsCompression;
            wsIdleTimeout = c.wsIdleTimeout;
            wsStallAboveAssets = c.wsStallAboveAssets;
            wsRejectDuplicateSubscribe = c.wsRejectDuplicateSubscribe;
            unknownVersionShare = c.unknownVersionShare;
            v1PositionIdsShare = c.v1PositionIdsShare;
            v2PositionIdsAsStringShare = c.v2PositionIdsAsStringShare;
            v2Share = c.v2Share;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder eventLoops(int v) {
            eventLoops = v;
            return this;
        }

        public Builder markets(int v) {
            markets = v;
            return this;
        }

        public Builder outcomes(int v) {
            outcomes = v;
            return this;
        }

        public Builder closedShare(double v) {
            closedShare = v;
            return this;
        }

        public Builder noOrderBookShare(double v) {
            noOrderBookShare = v;
            return this;
        }

        public Builder negRiskShare(double v) {
            negRiskShare = v;
            return this;
        }

        public Builder noYesOrderShare(double v) {
            noYesOrderShare = v;
            return this;
        }

        public Builder levelsPerSide(int v) {
            levelsPerSide = v;
            return this;
        }

        public Builder eventsPerSecondPerAsset(double v) {
            eventsPerSecondPerAsset = v;
            return this;
        }

        public Builder idleEventsPerSecondPerAsset(double v) {
            idleEventsPerSecondPerAsset = v;
            return this;
        }

        public Builder tick(Duration v) {
            tick = v;
            return this;
        }

        public Builder arrayFrameShare(double v) {
            arrayFrameShare = v;
            return this;
        }

        public Builder fullBookEvery(int v) {
            fullBookEvery = v;
            return this;
        }

        public Builder tradeShare(double v) {
            tradeShare = v;
            return this;
        }

        public Builder tickSizeChangeShare(double v) {
            tickSizeChangeShare = v;
            return this;
        }

        public Builder crossAssetDelivery(boolean v) {
            crossAssetDelivery = v;
            return this;
        }

        public Builder initialBookLastTradePrice(boolean v) {
            initialBookLastTradePrice = v;
            return this;
        }

        public Builder marketChurn(Duration v) {
            marketChurn = v;
            return this;
        }

        public Builder wsMaxIdsPerFrame(int v) {
            wsMaxIdsPerFrame = v;
            return this;
        }

        public Builder wsMaxAssetsPerConnection(int v) {
            wsMaxAssetsPerConnection = v;
            return this;
        }

        public Builder booksMaxItems(int v) {
            booksMaxItems = v;
            return this;
        }

        public Builder booksUnknownTokens(UnknownTokensInBatch v) {
            booksUnknownTokens = v;
            return this;
        }

        public Builder gammaDefaultLimit(int v) {
            gammaDefaultLimit = v;
            return this;
        }

        public Builder gammaMaxLimit(int v) {
            gammaMaxLimit = v;
            return this;
        }

        public Builder legacyMaxOffset(int v) {
            legacyMaxOffset = v;
            return this;
        }

        public Builder rateLimits(RateLimits v) {
            rateLimits = v;
            return this;
        }

        public Builder rateLimitMode(RateLimitMode v) {
            rateLimitMode = v;
            return this;
        }

        public Builder firehose(boolean v) {
            firehose = v;
            return this;
        }

        public Builder firehoseFramesPerSecond(int v) {
            firehoseFramesPerSecond = v;
            return this;
        }

        public Builder oracleFramesFile(Path v) {
            oracleFramesFile = v;
            return this;
        }

        public Builder faultScript(String v) {
            faultScript = v;
            return this;
        }

        public Builder v2Share(double v) {
            v2Share = v;
            return this;
        }

        public Builder v2PositionIdsAsStringShare(double v) {
            v2PositionIdsAsStringShare = v;
            return this;
        }

        public Builder v1PositionIdsShare(double v) {
            v1PositionIdsShare = v;
            return this;
        }

        public Builder unknownVersionShare(double v) {
            unknownVersionShare = v;
            return this;
        }

        public Builder wsRejectDuplicateSubscribe(boolean v) {
            wsRejectDuplicateSubscribe = v;
            return this;
        }

        public Builder wsStallAboveAssets(int v) {
            wsStallAboveAssets = v;
            return this;
        }

        public Builder wsIdleTimeout(Duration v) {
            wsIdleTimeout = v;
            return this;
        }

        public Builder wsCompression(boolean v) {
            wsCompression = v;
            return this;
        }

        public Builder tickSizes(TickSizes v) {
            tickSizes = v;
            return this;
        }

        public Builder oneSidedBookShare(double v) {
            oneSidedBookShare = v;
            return this;
        }

        public Builder feesEnabledShare(double v) {
            feesEnabledShare = v;
            return this;
        }

        public Builder updownAssets(List<String> v) {
            updownAssets = v;
            return this;
        }

        public Builder updownWindows(List<Duration> v) {
            updownWindows = v;
            return this;
        }

        public Builder updownHorizon(Duration v) {
            updownHorizon = v;
            return this;
        }

        public Builder rateProfile(RateProfile v) {
            rateProfile = v;
            return this;
        }

        public Builder clock(Clock v) {
            clock = v;
            return this;
        }

        public SimConfig build() {
            return new SimConfig(
                    seed,
                    host,
                    port,
                    eventLoops,
                    markets,
                    outcomes,
                    closedShare,
                    noOrderBookShare,
                    negRiskShare,
                    noYesOrderShare,
                    levelsPerSide,
                    eventsPerSecondPerAsset,
                    idleEventsPerSecondPerAsset,
                    tick,
                    arrayFrameShare,
                    fullBookEvery,
                    tradeShare,
                    tickSizeChangeShare,
                    crossAssetDelivery,
                    initialBookLastTradePrice,
                    marketChurn,
                    wsMaxIdsPerFrame,
                    wsMaxAssetsPerConnection,
                    booksMaxItems,
                    booksUnknownTokens,
                    gammaDefaultLimit,
                    gammaMaxLimit,
                    legacyMaxOffset,
                    rateLimits,
                    rateLimitMode,
                    firehose,
                    firehoseFramesPerSecond,
                    oracleFramesFile,
                    faultScript,
                    v2Share,
                    v2PositionIdsAsStringShare,
                    v1PositionIdsShare,
                    unknownVersionShare,
                    wsRejectDuplicateSubscribe,
                    wsStallAboveAssets,
                    wsIdleTimeout,
                    wsCompression,
                    tickSizes,
                    oneSidedBookShare,
                    feesEnabledShare,
                    updownAssets,
                    updownWindows,
                    updownHorizon,
                    rateProfile,
                    clock);
        }
    }
}
