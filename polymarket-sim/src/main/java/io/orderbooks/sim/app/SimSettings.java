package io.orderbooks.sim.app;

import io.orderbooks.sim.RateLimits;
import io.orderbooks.sim.SimConfig;
import io.orderbooks.sim.TickSizes;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The simulator process's configuration, one key namespace {@code sim.*} (env form {@code SIM_*}, e.g.
 * {@code SIM_PORT}, {@code SIM_MARKETS}, {@code SIM_FAULT_SCRIPT}). Defaults equal {@link SimConfig.Builder}'s
 * except the port (8090) and the host, which follows {@code quarkus.http.host} so the container image's
 * {@code QUARKUS_HTTP_HOST=0.0.0.0} (the same variable as the services') makes it reachable. It must come as that
 * environment variable: this app has no Quarkus HTTP server, so a {@code -Dquarkus.http.host} would be an
 * unrecognised key and a WARN at every start; {@code SIM_HOST} sets the host directly.
 */
@ConfigMapping(prefix = "sim")
public interface SimSettings {
    @WithDefault("42")
    long seed();

    @WithDefault("${quarkus.http.host:127.0.0.1}")
    String host();

    @WithDefault("8090")
    int port();

    @WithDefault("2")
    int eventLoops();

    @WithDefault("200")
    int markets();

    @WithDefault("2")
    int outcomes();

    @WithDefault("0.10")
    double closedShare();

    @WithDefault("0.05")
    double noOrderBookShare();

    @WithDefault("0.20")
    double negRiskShare();

    @WithDefault("0.10")
    double noYesOrderShare();

    @WithDefault("10")
    int levelsPerSide();

    @WithDefault("2.0")
    double eventsPerSecondPerAsset();

    @WithDefault("0.05")
    double idleEventsPerSecondPerAsset();

    @WithDefault("100ms")
    Duration tick();

    @WithDefault("0.2")
    double arrayFrameShare();

    @WithDefault("50")
    int fullBookEvery();

    @WithDefault("0.1")
    double tradeShare();

    @WithDefault("0.005")
    double tickSizeChangeShare();

    @WithDefault("true")
    boolean crossAssetDelivery();

    @WithDefault("true")
    boolean initialBookLastTradePrice();

    /** 0s = markets never churn. */
    @WithDefault("0s")
    Duration marketChurn();

    @WithDefault("100")
    int wsMaxIdsPerFrame();

    @WithDefault("500")
    int wsMaxAssetsPerConnection();

    @WithDefault("500")
    int booksMaxItems();

    @WithDefault("omit")
    SimConfig.UnknownTokensInBatch booksUnknownTokens();

    @WithDefault("20")
    int gammaDefaultLimit();

    @WithDefault("100")
    int gammaMaxLimit();

    @WithDefault("2000")
    int legacyMaxOffset();

    RateLimit rateLimit();

    @WithDefault("false")
    boolean firehose();

    @WithDefault("0")
    int firehoseFramesPerSecond();

    /** If set, every sent frame and REST book is appended to this JSONL file. */
    Optional<Path> oracleFramesFile();

    /** See FaultScript, e.g. {@code 30s drop; 60s silence seconds=20}. */
    Optional<String> faultScript();

    /** Share of Protocol V2 markets (positionIds, 31-byte conditionId; docs.polymarket.com/migrate/polymarket-v2/api-integrations). */
    @WithDefault("0.25")
    double v2Share();

    /** Share of V2 rows whose positionIds is a JSON-encoded string (ts-sdk fixture) rather than an array. */
    @WithDefault("0.5")
    double v2PositionIdsAsStringShare();

    /** Share of v1 rows that also carry positionIds without a book (real sample gamma-market-by-id.json). */
    @WithDefault("0.5")
    double v1PositionIdsShare();

    /** Share of rows with version "v3" or no version field; their ids have no book. */
    @WithDefault("0.02")
    double unknownVersionShare();

    /** Reject a subscribe naming an already subscribed asset, with an (invented) error frame. */
    @WithDefault("true")
    boolean wsRejectDuplicateSubscribe();

    /** More subscribed assets than this on one connection: no data frames at all (py-clob-client#292); 0 = off. */
    @WithDefault("0")
    int wsStallAboveAssets();

    /** Close a connection whose client sent nothing (no PING, no subscribe) for this long; 0s = never. */
    @WithDefault("60s")
    Duration wsIdleTimeout();

    /** Accept websocket permessage-deflate when offered. */
    @WithDefault("true")
    boolean wsCompression();

    /** Tick sizes of markets with weights, {@code tick:weight,…} (0.1, 0.01, 0.005, 0.0025, 0.001, 0.0001). */
    @WithDefault(TickSizes.DEFAULT)
    String tickSizes();

    /** Share of markets whose books now and then lose a whole side (best_bid/best_ask "" then). */
    @WithDefault("0.1")
    double oneSidedBookShare();

    /** Share of markets with fees; the others send fee_rate_bps "". */
    @WithDefault("0.2")
    double feesEnabledShare();

    /** Assets of short-lived up/down markets, e.g. {@code btc,eth,sol,xrp}; unset = none. */
    Optional<java.util.List<String>> updownAssets();

    /** Window lengths of the up/down markets. */
    @WithDefault("5m,15m")
    java.util.List<Duration> updownWindows();

    /** How far ahead up/down markets are listed. */
    @WithDefault("24h")
    Duration updownHorizon();

    /** uniform (default) or realistic: heavy-tailed over markets, bursty over time (see RateShape). */
    @WithDefault("uniform")
    SimConfig.RateProfile rateProfile();

    /** Documented per-window limits (docs.polymarket.com/api-reference/rate-limits). */
    interface RateLimit {
        @WithDefault("reject")
        SimConfig.RateLimitMode mode();

        @WithDefault("10s")
        Duration window();

        @WithDefault("15000")
        int global();

        @WithDefault("4000")
        int gammaGeneral();

        @WithDefault("300")
        int gammaMarkets();

        @WithDefault("900")
        int gammaListing();

        @WithDefault("9000")
        int clobGeneral();

        @WithDefault("1500")
        @WithName("book")
        int book();

        @WithDefault("500")
        int books();
    }

    default SimConfig toConfig() {
        RateLimit r = rateLimit();
        return SimConfig.builder()
                .seed(seed())
                .host(host())
                .port(port())
                .eventLoops(eventLoops())
                .markets(markets())
                .outcomes(outcomes())
                .closedShare(closedShare())
                .noOrderBookShare(noOrderBookShare())
                .negRiskShare(negRiskShare())
                .noYesOrderShare(noYesOrderShare())
                .levelsPerSide(levelsPerSide())
                .eventsPerSecondPerAsset(eventsPerSecondPerAsset())
                .idleEventsPerSecondPerAsset(idleEventsPerSecondPerAsset())
                .tick(tick())
                .arrayFrameShare(arrayFrameShare())
                .fullBookEvery(fullBookEvery())
                .tradeShare(tradeShare())
                .tickSizeChangeShare(tickSizeChangeShare())
                .crossAssetDelivery(crossAssetDelivery())
                .initialBookLastTradePrice(initialBookLastTradePrice())
                .marketChurn(marketChurn())
                .wsMaxIdsPerFrame(wsMaxIdsPerFrame())
                .wsMaxAssetsPerConnection(wsMaxAssetsPerConnection())
                .booksMaxItems(booksMaxItems())
                .booksUnknownTokens(booksUnknownTokens())
                .gammaDefaultLimit(gammaDefaultLimit())
                .gammaMaxLimit(gammaMaxLimit())
                .legacyMaxOffset(legacyMaxOffset())
                .rateLimits(new RateLimits(
                        r.window(),
                        r.global(),
                        r.gammaGeneral(),
                        r.gammaMarkets(),
                        r.gammaListing(),
                        r.clobGeneral(),
                        r.book(),
                        r.books()))
                .rateLimitMode(r.mode())
                .firehose(firehose())
                .firehoseFramesPerSecond(firehoseFramesPerSecond())
                .oracleFramesFile(oracleFramesFile().orElse(null))
                .faultScript(faultScript().orElse(""))
                .v2Share(v2Share())
                .v2PositionIdsAsStringShare(v2PositionIdsAsStringShare())
                .v1PositionIdsShare(v1PositionIdsShare())
                .unknownVersionShare(unknownVersionShare())
                .wsRejectDuplicateSubscribe(wsRejectDuplicateSubscribe())
                .wsStallAboveAssets(wsStallAboveAssets())
                .wsIdleTimeout(wsIdleTimeout())
                .wsCompression(wsCompression())
                .tickSizes(TickSizes.parse(tickSizes()))
                .oneSidedBookShare(oneSidedBookShare())
                .feesEnabledShare(feesEnabledShare())
                .updownAssets(updownAssets().orElse(java.util.List.of()))
                .updownWindows(updownWindows())
                .updownHorizon(updownHorizon())
                .rateProfile(rateProfile())
                .build();
    }
}
