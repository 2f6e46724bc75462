package io.orderbooks.sim;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * A local Polymarket: Gamma, CLOB REST and the market websocket on one port, with fault injection and an oracle of
 * everything sent. Plain Java on its own Vert.x instance, so any JVM (a JUnit test, a Quarkus test, the sim process)
 * can run one:
 * <pre>{@code
 * try (PolymarketSim sim = PolymarketSim.start(SimConfig.builder().markets(50).build())) {
 *     URI gamma = URI.create(sim.gammaUrl() + "/markets/keyset?closed=false&limit=100");
 *     ...
 * }
 * }</pre>
 */
public final class PolymarketSim implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PolymarketSim.class);
    public static final String WS_PATH = "/ws/market";
    private static final long START_TIMEOUT_SECONDS = 20;

    private final SimConfig config;
    private final Universe universe;
    private final Faults faults = new Faults();
    private final Oracle oracle;
    private final AtomicLong connections = new AtomicLong();
    private final Random lifecycleRandom;
    private Vertx vertx;
    private FeedEngine engine;
    private volatile FirehosePump pump;
    private int port = -1;

    public PolymarketSim(SimConfig config) {
        this.config = config;
        this.universe = new Universe(config);
        this.oracle = new Oracle(config.oracleFramesFile());
        this.lifecycleRandom = new Random(MarketFactory.mix(config.seed(), -3));
    }

    /** Builds and starts a simulator. */
    public static PolymarketSim start(SimConfig config) {
        return new PolymarketSim(config).start();
    }

    public synchronized PolymarketSim start() {
        if (vertx != null) {
            throw new IllegalStateException("already started");
        }
        FaultScript script = FaultScript.parse(config.faultScript());
        vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(config.eventLoops())
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                // No .vertx cache directory in the working directory, no classpath file resolving.
                .setFileSystemOptions(
                        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        engine = new FeedEngine(config, universe, faults, vertx.getOrCreateContext());
        faults.actions(new FaultActions());
        if (config.firehose()) {
            // Before the first connection can arrive: every session of a firehose run is handed to the pump.
            pump = new FirehosePump(config.firehoseFramesPerSecond());
            pump.start();
        }
        try {
            // Negative port: Vert.x shares one random port among the servers of each event loop.
            int bindPort = config.port() == 0 ? -1 : config.port();
            List<CompletableFuture<HttpServer>> servers = new ArrayList<>();
            for (int i = 0; i < config.eventLoops(); i++) {
                servers.add(listen(vertx.getOrCreateContext(), bindPort));
            }
            for (CompletableFuture<HttpServer> s : servers) {
                port = s.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS).actualPort();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (ExecutionException | TimeoutException e) {
            stop();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port(), e);
        }
        engine.start();
        for (FaultScript.Entry e : script.entries()) {
            vertx.setTimer(Math.max(1, e.at().toMillis()), t -> applyScripted(e));
        }
        if (config.oracleFramesFile() != null) {
            vertx.setPeriodic(1000, t -> oracle.flush());
        }
        LOG.infof(
                "polymarket-sim listening on %s:%d (gamma=%s clob=%s ws=%s) seed=%d markets=%d outcomes=%d "
                        + "rate=%.2f/s/asset firehose=%s rateLimit=%s churn=%s faultScript=[%s] oracleFile=%s",
                config.host(),
                port,
                gammaUrl(),
                clobUrl(),
                wsUrl(),
                config.seed(),
                config.markets(),
                config.outcomes(),
                config.eventsPerSecondPerAsset(),
                config.firehose(),
                config.rateLimitMode(),
                config.marketChurn(),
                config.faultScript(),
                config.oracleFramesFile());
        return this;
    }

    /** Stops serving and releases the port; the oracle stays readable. */
    public synchronized void stop() {
        if (vertx == null) {
            return;
        }
        if (pump != null) {
            pump.stop();
            pump = null;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("vert.x did not close cleanly: %s", e.toString());
        } finally {
            vertx = null;
            oracle.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public SimConfig config() {
        return config;
    }

    public Universe universe() {
        return universe;
    }

    public Faults faults() {
        return faults;
    }

    public Oracle oracle() {
        return oracle;
    }

    /** The generator's current total event rate (events/s over the whole universe, before fan-out), ~1 s average. */
    public double eventRate() {
        FeedEngine e = engine;
        return e == null ? 0 : e.eventRate();
    }

    /** Events generated since start (before fan-out to connections). */
    public long eventsGenerated() {
        FeedEngine e = engine;
        return e == null ? 0 : e.eventsGenerated();
    }

    /** True when started in firehose mode ({@code sim.firehose}) and running. */
    public boolean firehoseRunning() {
        return pump != null;
    }

    /** The firehose's per-connection cap in frames per second now (0 = as fast as each connection drains). */
    public int firehoseRate() {
        return firehosePump().rate().perConnection();
    }

    /**
     * Changes the firehose's per-connection cap while running, for every open and future connection (0 = as fast as
     * each connection drains). Each connection paces itself from this moment: no burst to catch up, no pause.
     *
     * @throws IllegalStateException    if the simulator does not run in firehose mode
     * @throws IllegalArgumentException if the rate is negative
     */
    public void firehoseRate(int framesPerSecondPerConnection) {
        firehosePump().rate(framesPerSecondPerConnection);
        LOG.infof(
                "firehose rate per connection: %s",
                framesPerSecondPerConnection == 0 ? "unlimited" : framesPerSecondPerConnection + " frames/s");
    }

    /** Precomputed firehose frames written so far over every connection (subscribe snapshots not included). */
    public long firehoseFramesPumped() {
        return firehosePump().pumped();
    }

    /** Connections the firehose pump serves now. */
    public int firehoseConnections() {
        return firehosePump().sessions();
    }

    private FirehosePump firehosePump() {
        FirehosePump p = pump;
        if (p == null) {
            throw new IllegalStateException("not in firehose mode (start the simulator with sim.firehose=true)");
        }
        return p;
    }

    public int port() {
        return port;
    }

    /** Base URL for QUARKUS_REST_CLIENT_GAMMA_API_URL. */
    public String gammaUrl() {
        return "http://" + urlHost() + ":" + port;
    }

    /** Base URL for QUARKUS_REST_CLIENT_CLOB_API_URL. */
    public String clobUrl() {
        return "http://" + urlHost() + ":" + port;
    }

    /** URL for COLLECTOR_WS_URL. */
    public String wsUrl() {
        return "ws://" + urlHost() + ":" + port + WS_PATH;
    }

    public String adminUrl() {
        return "http://" + urlHost() + ":" + port + "/admin";
    }

    private String urlHost() {
        return "0.0.0.0".equals(config.host()) ? "127.0.0.1" : config.host();
    }

    private CompletableFuture<HttpServer> listen(Context context, int bindPort) {
        CompletableFuture<HttpServer> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            Router router = Router.router(vertx);
            RestGate gate = new RestGate(config, faults, oracle, vertx);
            new GammaApi(config, universe, faults, gate).mount(router);
            new ClobApi(config, universe, faults, oracle, gate).mount(router);
            new AdminApi(this).mount(router);
            router.route()
                    .last()
                    .handler(ctx -> ctx.response()
                            .setStatusCode(404)
                            .putHeader("content-type", "application/json")
                            .end("{\"error\":\"not found\"}"));
            // Plain HTTP/1.1 like the real endpoints' clients see it: no h2c upgrade (the JDK HttpClient asks for one
            // on http:// URLs, and the upgrade path could leave a request unanswered).
            HttpServerOptions options = new HttpServerOptions()
                    .setHttp2ClearTextEnabled(false)
                    .setHost(config.host())
                    .setPort(bindPort)
                    .setMaxWebSocketFrameSize(16 * 1024 * 1024)
                    .setMaxWebSocketMessageSize(64 * 1024 * 1024)
                    // permessage-deflate when the client offers it (Vert.x accepts it by default); undocumented
                    // upstream either way, so it can be declined.
                    .setPerMessageWebSocketCompressionSupported(config.wsCompression())
                    .setPerFrameWebSocketCompressionSupported(config.wsCompression());
            Promise<HttpServer> p = Promise.promise();
            vertx.createHttpServer(options)
                    .webSocketHandler(this::onWebSocket)
                    .requestHandler(router)
                    .listen(p);
            p.future().onSuccess(done::complete).onFailure(done::completeExceptionally);
        });
        return done;
    }

    private void onWebSocket(ServerWebSocket ws) {
        if (!WS_PATH.equals(ws.path())) {
            ws.reject(404);
            return;
        }
        if (faults.refusing()) {
            ws.reject(503);
            return;
        }
        String id = "c" + connections.incrementAndGet();
        Oracle.ConnectionLog log = oracle.open(
                id, String.valueOf(ws.remoteAddress()), config.clock().millis());
        new WsSession(id, ws, vertx.getOrCreateContext(), config, universe, faults, engine, pump, log);
    }

    private void applyScripted(FaultScript.Entry e) {
        try {
            LOG.infof("fault script at %s: %s", e.at(), faults.apply(e.fault(), e.params()));
        } catch (RuntimeException ex) {
            LOG.warnf("fault script entry %s %s failed: %s", e.at(), e.fault(), ex.getMessage());
        }
    }

    /** Faults that act on the running simulator. */
    private final class FaultActions implements Faults.Actions {
        @Override
        public void drop(String connId) {
            for (WsSession s : engine.sessions()) {
                if (connId == null || connId.equals(s.id())) {
                    s.drop("sim fault: drop");
                }
            }
        }

        @Override
        public String lifecycle(String action, String market) {
            if ("new-market".equals(action)) {
                return "new market " + universe.addMarket().id();
            }
            String id = "random".equals(market) ? randomMarket("reopen".equals(action)) : market;
            if (id == null) {
                return action + ": no candidate market";
            }
            switch (action) {
                case "disappear" -> universe.remove(id);
                case "close" -> universe.close(id);
                case "reopen" -> universe.reopen(id);
                default -> throw new IllegalArgumentException("unknown lifecycle action " + action);
            }
            return action + " market " + id;
        }

        private String randomMarket(boolean closedOnes) {
            List<SimMarket> candidates = universe.markets().stream()
                    .filter(m -> closedOnes ? m.status() != MarketStatus.OPEN : m.hasBook())
                    .toList();
            if (candidates.isEmpty()) {
                return null;
            }
            synchronized (lifecycleRandom) {
                return candidates
                        .get(lifecycleRandom.nextInt(candidates.size()))
                        .id();
            }
        }
    }
}
