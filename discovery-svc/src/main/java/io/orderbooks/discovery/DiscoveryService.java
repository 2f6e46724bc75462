package io.orderbooks.discovery;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.logging.LogFormat;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.RunManifest;
import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensJson;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.support.StartGate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

/**
 * One discovery run: walk Gamma, record every raw page ({@link GammaRecorder}), parse and filter the markets, build
 * the token list, and publish it if {@link PublishGuard} agrees. Runs never overlap (the scheduled trigger and a
 * direct call share one lock). A run that fails part-way publishes nothing and keeps the last good list
 * ({@link CurrentTokens}). Meters are {@link DiscoveryMetrics}; rejected markets are logged by {@link RejectionLog}.
 */
@ApplicationScoped
public class DiscoveryService {
    private static final Logger LOG = Logger.getLogger(DiscoveryService.class);

    @Inject
    DiscoveryConfig config;

    @Inject
    GammaClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    Clock clock;

    @ConfigProperty(name = "quarkus.rest-client.gamma-api.url")
    String gammaUrl;

    private final ReentrantLock lock = new ReentrantLock();
    private final RejectionLog rejections = new RejectionLog();
    private final CurrentTokens current = new CurrentTokens();

    private final AtomicLong runs = new AtomicLong();
    /** Opened by {@link #start}, closed by {@link #stop}: a run due before the start waits for it. */
    private final StartGate gate = new StartGate();

    private DataDir dataDir;
    private GammaRecorder recorder;
    private RunManifest manifest;
    private MarketFilters filters;
    private DiscoveryMetrics metrics;
    /** The last run whose walk completed: its counts describe the whole listing. */
    private volatile RunReport lastCompletedWalk;

    private volatile RunReport lastReport;
    private volatile Instant lastSuccessAt;
    private volatile Instant runningSince;
    private long pagesTotal;
    private long publishedTotal;
    /** Who writes the history copies' manifests (the same as the gamma_markets files'). */
    private WriterInfo writerInfo;

    /** Called by {@link DiscoveryLifecycle} once the data dir, writer and run manifest exist. */
    void start(DataDir dataDir, RotatingJsonlWriter writer, RunManifest manifest, WriterInfo writerInfo) {
        this.writerInfo = writerInfo;
        this.dataDir = dataDir;
        this.recorder = new GammaRecorder(writer, client, config.gamma().timeoutMs());
        this.manifest = manifest;
        this.filters = new MarketFilters(MarketFilters.Settings.of(config.filter()));
        walkSettings(); // a bad page-size / max-pages / rate stops the start, not the first run
        if (!(config.maxShrink() >= 0 && config.maxShrink() <= 1)) {
            throw new IllegalArgumentException("discovery.max-shrink must be between 0 and 1: " + config.maxShrink());
        }
        current.load(dataDir.tokensFile());
        this.metrics = new DiscoveryMetrics(registry, current);
        gate.open();
    }

    /** Stops taking runs and waits (bounded) for a run in progress to notice and end. */
    void stop(Duration wait) {
        gate.close();
        try {
            if (lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                lock.unlock();
            } else {
                LOG.warnf(
                        "a discovery run is still in progress after %s; stopping anyway (it publishes nothing)", wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A run with the configured settings; waits for a run in progress to end first. Null if not started. */
    public RunReport runOnce() {
        return run(walkSettings());
    }

    private KeysetWalker.Settings walkSettings() {
        return new KeysetWalker.Settings(
                config.cursorParam(),
                config.pageSize(),
                config.maxPages(),
                config.gamma().maxRequestsPerSecond());
    }

    RunReport run(KeysetWalker.Settings walk) {
        if (!gate.isOpen() && !gate.isClosed()) {
            // The scheduler may fire its start-up run before the lifecycle has opened the data dir: wait for it
            // rather than lose the run until the next interval.
            try {
                if (!gate.awaitOpen(Duration.ofMinutes(2)) && !gate.isClosed()) {
                    LOG.warn("discovery run skipped: the service did not finish starting within 2 minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        lock.lock();
        try {
            if (!gate.isOpen()) {
                LOG.debug("discovery run skipped: service not started or stopping");
                return null;
            }
            RunReport report = runLocked(walk);
            // A whole-feed walk (20,000 markets) grows the heap to ~250 MiB that the JVM keeps until a full GC,
            // while discovery then idles for the whole interval. One full GC per run (~0.1 s with the image's serial
            // collector) gives it back to the OS: docs/PERFORMANCE.md table 10.
            System.gc();
            return report;
        } finally {
            lock.unlock();
        }
    }

    private RunReport runLocked(KeysetWalker.Settings walk) {
        long runNo = runs.incrementAndGet();
        long t0 = System.nanoTime();
        Instant now = clock.instant();
        runningSince = now;
        RunTally tally = new RunTally();
        RunReport report;
        try {
            Map<String, ParsedMarket> markets = new LinkedHashMap<>();
            new KeysetWalker(walk)
                    .walk(
                            filters.query(now),
                            recorder::fetch,
                            page -> consume(page, now, tally, markets),
                            gate::isClosed);
            List<ParsedMarket> unique = DuplicateTokens.dropped(markets.values(), tally, rejections);
            List<ParsedMarket> kept = filters.top(unique);
            if (kept.size() < unique.size()) {
                tally.filtered("max_markets", unique.size() - kept.size());
            }
            List<TokenEntry> tokens = new ArrayList<>();
            kept.forEach(m -> tokens.addAll(m.tokens()));
            TokensFile next = TokensFile.of(
                    clock.instant().truncatedTo(ChronoUnit.SECONDS),
                    manifest.runId(),
                    gammaUrl + GammaClient.PATH,
                    filters.describe(),
                    TokenLists.sorted(tokens));
            tally.built(kept.size(), next.tokens());
            report = decideAndPublish(runNo, next, tally, t0);
        } catch (KeysetWalker.WalkException
                | GammaException
                | ProcessingException
                | FaultToleranceException
                | UncheckedIOException e) {
            // Expected ways for a run to fail (Gamma down, timeouts, open circuit, a broken walk, a full disk).
            report = tally.report(runNo, RunReport.Outcome.FAILED, describe(e), t0, null);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "discovery run #%d failed unexpectedly", runNo);
            report = tally.report(runNo, RunReport.Outcome.FAILED, describe(e), t0, null);
        } finally {
            runningSince = null;
        }
        finish(report, tally);
        return report;
    }

    private RunReport decideAndPublish(long runNo, TokensFile next, RunTally tally, long t0) throws IOException {
        PublishGuard.Decision decision =
                PublishGuard.decide(current.list(), next, config.maxShrink(), config.allowShrink());
        return switch (decision) {
            case PublishGuard.Publish p -> {
                Path history = TokensJson.publish(dataDir, next, writerInfo);
                current.set(next);
                tally.added = p.added();
                tally.removed = p.removed();
                yield tally.report(runNo, RunReport.Outcome.PUBLISHED, null, t0, dataDir.relative(history));
            }
            case PublishGuard.Unchanged u -> tally.report(runNo, RunReport.Outcome.UNCHANGED, null, t0, null);
            case PublishGuard.Refuse r -> tally.report(runNo, RunReport.Outcome.REFUSED, r.reason(), t0, null);
        };
    }

    private void finish(RunReport report, RunTally tally) {
        if (tally.rejectionsNotLogged > 0) {
            LOG.warnf(
                    "run #%d: %d more rejected markets not logged one by one (see rejected= in the status line)",
                    report.run(), tally.rejectionsNotLogged);
        }
        tally.unsupportedVersionWarnings(report.run()).forEach(LOG::warn);
        lastReport = report;
        if (report.walkCompleted()) {
            lastCompletedWalk = report;
        }
        if (report.succeeded()) {
            lastSuccessAt = clock.instant();
        }
        pagesTotal += report.pages();
        if (report.outcome() == RunReport.Outcome.PUBLISHED) {
            publishedTotal++;
        }
        metrics.recordRun(report);
        switch (report.outcome()) {
            case PUBLISHED, UNCHANGED -> LOG.info(report.statusLine());
            case REFUSED ->
                LOG.error(report.statusLine()
                        + " (the current tokens.json stays; readiness is DOWN until a run succeeds)");
            case FAILED -> LOG.warn(report.statusLine() + " (nothing published; the current tokens.json stays)");
        }
        if (gate.isClosed()) {
            return; // the lifecycle writes the final run manifest; a late checkpoint must not mark it running again
        }
        try {
            manifest.counter("runs", runs.get());
            manifest.counter("runs_published", publishedTotal);
            manifest.counter("pages", pagesTotal);
            manifest.counter("tokens", current.tokens());
            manifest.histogram("tokens_by_protocol", wireKeys(current.byProtocol()));
            RunReport walked = lastCompletedWalk;
            if (walked != null) {
                manifest.histogram("markets_by_version", longs(walked.marketsByVersion()));
                manifest.histogram("rejected_by_reason", longs(walked.rejected()));
            }
            manifest.checkpoint();
        } catch (IOException e) {
            LOG.warnf("run manifest checkpoint failed: %s", e.toString());
        }
    }

    private void consume(GammaPage page, Instant now, RunTally tally, Map<String, ParsedMarket> markets) {
        tally.pages++;
        recorder.page(page);
        for (var node : page.markets()) {
            switch (tally.read(node)) {
                case MarketParser.NotTradeable n -> {}
                // An unsupported version is logged once per run and version (finish), not per market.
                case MarketParser.Rejected r when r.reason() == Rejection.UNKNOWN_VERSION -> {}
                case MarketParser.Rejected r -> rejections.log(tally, r.marketId(), r.reason(), r.detail());
                case MarketParser.Parsed p -> {
                    String drop = filters.drop(p.market(), now);
                    if (drop != null) {
                        tally.filtered(drop, 1);
                    } else if (markets.putIfAbsent(p.market().conditionId().toLowerCase(Locale.ROOT), p.market())
                            != null) {
                        tally.duplicates++;
                    }
                }
            }
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName()
                + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /**
     * The periodic status line: what is published (and by protocol), how the last run went, the V2 share of the last
     * complete walk, disk.
     */
    void logStatus() {
        RunReport last = lastReport;
        Instant success = lastSuccessAt;
        Instant running = runningSince;
        long free = dataDir == null ? -1 : dataDir.usableBytes();
        RunReport walked = lastCompletedWalk;
        Map<Protocol, Long> byProtocol = current.byProtocol();
        LOG.infof(
                "status: tokens=%d markets=%d last_run=%s last_success=%s%s tokens_by_protocol={v1=%d,v2=%d}"
                        + " v2_share=%s disk_free=%s",
                current.tokens(),
                current.markets(),
                last == null ? "none" : "#" + last.run() + " " + last.outcome().tag(),
                success == null
                        ? "never"
                        : Duration.between(success, clock.instant()).toSeconds() + "s ago",
                running == null
                        ? ""
                        : " running_for="
                                + Duration.between(running, clock.instant()).toSeconds() + "s",
                byProtocol.getOrDefault(Protocol.V1, 0L),
                byProtocol.getOrDefault(Protocol.V2, 0L),
                walked == null ? "n/a" : walked.v2Share(),
                LogFormat.gib(free));
    }

    /** What the health checks need. */
    public record Health(
            boolean started,
            Instant lastSuccessAt,
            RunReport last,
            Instant runningSince,
            Duration interval,
            int tokens,
            String dataDirProblem) {}

    public Health health() {
        return new Health(
                gate.isOpen(),
                lastSuccessAt,
                lastReport,
                runningSince,
                config.interval(),
                current.tokens(),
                dataDir == null ? "not started" : dataDir.checkWritable().orElse(null));
    }

    /** The data dir, or null before the lifecycle has started the service. */
    public DataDir dataDir() {
        return dataDir;
    }

    TokensFile current() {
        return current.list();
    }

    RunReport lastReport() {
        return lastReport;
    }

    private static Map<String, Long> wireKeys(Map<Protocol, Long> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((p, n) -> out.put(p.wire(), n));
        return out;
    }

    private static Map<String, Long> longs(Map<String, Integer> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, n) -> out.put(k, (long) n));
        return out;
    }
}
