package io.orderbooks.discovery;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterException;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.InvalidTokensFileException;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.RunManifest;
import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensJson;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Line;
import io.orderbooks.shared.records.RecordKinds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One discovery run: walk Gamma, record every raw page, parse and filter the markets, build the token list, and
 * publish it if {@link PublishGuard} agrees. Runs never overlap (the scheduled trigger and a direct call share one
 * lock). A run that fails part-way publishes nothing and keeps the last good list.
 */
@ApplicationScoped
public class DiscoveryService {
    private static final Logger LOG = Logger.getLogger(DiscoveryService.class);
    /** Markets whose rejection was already logged (once per market and reason per process), bounded. */
    private static final int MAX_LOGGED_REJECTIONS = 100_000;

    private static final int MAX_REJECTION_LOGS_PER_RUN = 20;
    /** Distinct {@code version} tags of {@code discovery.markets} for the life of the process; later ones are {@code other}. */
    private static final int MAX_VERSION_GAUGES = 32;

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
    private final Set<String> loggedRejections = ConcurrentHashMap.newKeySet();
    /** {@code discovery.markets{version}}: markets seen per version by the last run whose walk completed. */
    private final Map<String, AtomicLong> marketsByVersionGauges = new ConcurrentHashMap<>();

    private final AtomicLong runs = new AtomicLong();
    private final CountDownLatch startedLatch = new CountDownLatch(1);
    private volatile boolean started;
    private volatile boolean stopping;
    private DataDir dataDir;
    private RotatingJsonlWriter writer;
    private RunManifest manifest;
    private MarketFilters filters;
    private volatile TokensFile current;
    /** Tokens of {@link #current} by protocol, for {@code discovery.tokens.by.protocol} and the run manifest. */
    private volatile Map<Protocol, Long> currentByProtocol = byProtocol(null);
    /** The last run whose walk completed: its counts describe the whole listing. */
    private volatile RunReport lastCompletedWalk;

    private volatile RunReport lastReport;
    private volatile Instant lastSuccessAt;
    private volatile Instant runningSince;
    private Timer duration;
    private long pagesTotal;
    private long publishedTotal;
    /** Who writes the history copies' manifests (the same as the gamma_markets files'). */
    private WriterInfo writerInfo;

    /** Called by {@link DiscoveryLifecycle} once the data dir, writer and run manifest exist. */
    void start(DataDir dataDir, RotatingJsonlWriter writer, RunManifest manifest, WriterInfo writerInfo) {
        this.writerInfo = writerInfo;
        this.dataDir = dataDir;
        this.writer = writer;
        this.manifest = manifest;
        this.filters = new MarketFilters(MarketFilters.Settings.of(config.filter()));
        walkSettings(); // a bad page-size / max-pages / rate stops the start, not the first run
        if (!(config.maxShrink() >= 0 && config.maxShrink() <= 1)) {
            throw new IllegalArgumentException("discovery.max-shrink must be between 0 and 1: " + config.maxShrink());
        }
        setCurrent(readCurrent(dataDir.tokensFile()));
        this.duration = Timer.builder("discovery.run.duration")
                .description("Duration of a discovery run")
                .register(registry);
        registry.gauge(
                "discovery.tokens",
                this,
                s -> s.current == null ? 0 : s.current.tokens().size());
        for (RunReport.Outcome o : RunReport.Outcome.values()) {
            registry.counter("discovery.runs", "result", o.tag());
        }
        for (Rejection r : Rejection.values()) {
            registry.counter("discovery.rejected", "reason", r.tag());
        }
        for (Protocol p : Protocol.values()) {
            registry.gauge(
                    "discovery.tokens.by.protocol",
                    Tags.of("protocol", p.wire()),
                    this,
                    s -> s.currentByProtocol.getOrDefault(p, 0L));
            versionGauge(p.wire());
        }
        versionGauge(MarketVersion.MISSING);
        started = true;
        startedLatch.countDown();
    }

    /** Stops taking runs and waits (bounded) for a run in progress to notice and end. */
    void stop(Duration wait) {
        stopping = true;
        startedLatch.countDown();
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
        if (!started && !stopping) {
            // The scheduler may fire its start-up run before the lifecycle has opened the data dir: wait for it
            // rather than lose the run until the next interval.
            try {
                if (!startedLatch.await(2, TimeUnit.MINUTES)) {
                    LOG.warn("discovery run skipped: the service did not finish starting within 2 minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        lock.lock();
        try {
            if (!started || stopping) {
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
                    .walk(filters.query(now), this::fetch, page -> consume(page, now, tally, markets), () -> stopping);
            List<ParsedMarket> unique = withoutDuplicateTokens(markets.values(), tally);
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
        PublishGuard.Decision decision = PublishGuard.decide(current, next, config.maxShrink(), config.allowShrink());
        return switch (decision) {
            case PublishGuard.Publish p -> {
                Path history = TokensJson.publish(dataDir, next, writerInfo);
                setCurrent(next);
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
            updateVersionGauges(report.marketsByVersion());
        }
        if (report.succeeded()) {
            lastSuccessAt = clock.instant();
        }
        pagesTotal += report.pages();
        if (report.outcome() == RunReport.Outcome.PUBLISHED) {
            publishedTotal++;
        }
        registry.counter("discovery.runs", "result", report.outcome().tag()).increment();
        report.rejected()
                .forEach((reason, n) ->
                        registry.counter("discovery.rejected", "reason", reason).increment(n));
        report.filtered()
                .forEach((reason, n) ->
                        registry.counter("discovery.filtered", "reason", reason).increment(n));
        registry.counter("discovery.pages").increment(report.pages());
        duration.record(Duration.ofMillis(report.durationMs()));
        switch (report.outcome()) {
            case PUBLISHED, UNCHANGED -> LOG.info(report.statusLine());
            case REFUSED ->
                LOG.error(report.statusLine()
                        + " (the current tokens.json stays; readiness is DOWN until a run succeeds)");
            case FAILED -> LOG.warn(report.statusLine() + " (nothing published; the current tokens.json stays)");
        }
        if (stopping) {
            return; // the lifecycle writes the final run manifest; a late checkpoint must not mark it running again
        }
        try {
            manifest.counter("runs", runs.get());
            manifest.counter("runs_published", publishedTotal);
            manifest.counter("pages", pagesTotal);
            manifest.counter("tokens", current == null ? 0 : current.tokens().size());
            manifest.histogram("tokens_by_protocol", wireKeys(currentByProtocol));
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

    /** One page through the fault-tolerant client; a final failure the client did not record is recorded here. */
    private GammaPage fetch(String req, Map<String, List<String>> query) {
        MultivaluedMap<String, String> q = new MultivaluedHashMap<>();
        query.forEach(q::addAll);
        Attempts attempts = new Attempts();
        try {
            return client.page(req, q, attempts);
        } catch (GammaException | ProcessingException e) {
            throw e; // already recorded by the attempt that failed
        } catch (TimeoutException e) {
            // The last attempt timed out: it was interrupted before it could record itself (earlier ones were
            // recorded before their retry, by RetryAttempts).
            long ms = config.gamma().timeoutMs();
            attempts.failed(req, 0, ms, "timeout after " + ms + " ms");
            throw e;
        } catch (RuntimeException e) {
            // open circuit, local rate limit: no request was sent, so no attempt failed; the error line says why
            recordError(req, 0, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    /** The failed attempts of one page request, numbered from 1. */
    private final class Attempts implements GammaClient.AttemptLog {
        private final java.util.concurrent.atomic.AtomicInteger failed =
                new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void failed(String req, int status, long latencyMs, String error) {
            recordAttempt(req, failed.incrementAndGet(), status, latencyMs, error);
        }
    }

    /**
     * One failed attempt: an in-band event ({@code rate_limited} for a 429; {@code request_failed} for a 5xx, an
     * unreadable or page-less 200, a timeout or an I/O error — each retried), then the {@code error} line that keeps
     * the answer's start. Another 4xx is an answer, not retried: its error line alone records it.
     */
    private void recordAttempt(String req, int attempt, int status, long latencyMs, String error) {
        long recvUs = GammaClient.nowMicros();
        try {
            if (status == 429) {
                // SPEC's in-band rate_limited event, beside the error line that keeps the answer's body.
                writer.append(
                        Line.event(recvUs, Envelope.rateLimited(recvUs, "gamma", req, ENDPOINT, latencyMs, Map.of())));
            } else if (status == 0 || status == 200 || status >= 500) {
                writer.append(Line.event(
                        recvUs,
                        Envelope.requestFailed(
                                recvUs, "gamma", req, ENDPOINT, status, attempt, latencyMs, error, Map.of())));
            }
        } catch (WriterException e) {
            LOG.errorf("cannot record a failed Gamma request: %s", e.getMessage());
        }
        recordError(req, status, latencyMs, error);
    }

    private static final String ENDPOINT = "GET " + GammaClient.PATH;

    private void recordError(String req, int status, long latencyMs, String error) {
        long recvUs = GammaClient.nowMicros();
        try {
            writer.append(Line.of(
                    recvUs, RecordKinds.ERROR, List.of(), Envelope.gammaError(recvUs, req, status, latencyMs, error)));
        } catch (WriterException e) {
            LOG.errorf("cannot record a failed Gamma request: %s", e.getMessage());
        }
    }

    private void consume(GammaPage page, Instant now, RunTally tally, Map<String, ParsedMarket> markets) {
        tally.pages++;
        try {
            writer.append(Line.of(
                    page.recvUs(),
                    RecordKinds.MARKETS_PAGE,
                    List.of(),
                    Envelope.gamma(page.recvUs(), page.req(), page.status(), page.latencyMs(), page.body())));
        } catch (WriterException e) {
            // A list must be re-derivable from the recorded pages: a page that could not be stored fails the run.
            throw new UncheckedIOException(e);
        }
        for (var node : page.markets()) {
            switch (tally.read(node)) {
                case MarketParser.NotTradeable n -> {}
                // An unsupported version is logged once per run and version (finish), not per market.
                case MarketParser.Rejected r when r.reason() == Rejection.UNKNOWN_VERSION -> {}
                case MarketParser.Rejected r -> logRejection(tally, r.marketId(), r.reason(), r.detail());
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

    /** A token that two markets claim stays with the lower market id; the other market is rejected. */
    private List<ParsedMarket> withoutDuplicateTokens(Iterable<ParsedMarket> markets, RunTally tally) {
        List<ParsedMarket> sorted = new ArrayList<>();
        markets.forEach(sorted::add);
        sorted.sort(Comparator.comparing(ParsedMarket::marketId, TokenLists.NUMERIC_TEXT)
                .thenComparing(ParsedMarket::conditionId));
        Map<String, String> owner = new HashMap<>();
        List<ParsedMarket> out = new ArrayList<>(sorted.size());
        for (ParsedMarket m : sorted) {
            String clash = null;
            for (TokenEntry t : m.tokens()) {
                String o = owner.get(t.tokenId());
                if (o != null) {
                    clash = "token " + t.tokenId() + " already belongs to market " + o;
                    break;
                }
            }
            if (clash != null) {
                tally.reject(Rejection.DUPLICATE_TOKEN);
                logRejection(tally, m.marketId(), Rejection.DUPLICATE_TOKEN, clash);
                continue;
            }
            m.tokens().forEach(t -> owner.put(t.tokenId(), m.marketId()));
            out.add(m);
        }
        return out;
    }

    /**
     * Logs a rejection (already counted by the tally) once per market and reason for the life of the process; a run
     * logs at most {@link #MAX_REJECTION_LOGS_PER_RUN} of them (a schema change can reject every market), the rest are
     * counted in its status line and logged by later runs.
     */
    private void logRejection(RunTally tally, String marketId, Rejection reason, String detail) {
        String key = marketId + "/" + reason.tag();
        if (loggedRejections.contains(key)) {
            return;
        }
        if (tally.rejectionsLogged >= MAX_REJECTION_LOGS_PER_RUN || loggedRejections.size() >= MAX_LOGGED_REJECTIONS) {
            tally.rejectionsNotLogged++;
            return;
        }
        loggedRejections.add(key);
        tally.rejectionsLogged++;
        LOG.warnf("market %s rejected (%s): %s", marketId, reason.tag(), detail);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName()
                + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    private static TokensFile readCurrent(Path file) {
        try {
            TokensFile f = TokensJson.read(file);
            LOG.infof(
                    "current token list: %d tokens of %d markets (generated %s)",
                    f.tokens().size(), f.markets(), f.generatedAt());
            return f;
        } catch (NoSuchFileException e) {
            LOG.infof("no token list published yet (%s)", file);
            return null;
        } catch (InvalidTokensFileException e) {
            LOG.warnf("the current %s is invalid and will be replaced by the next good list: %s", file, e.getMessage());
            return null;
        } catch (IOException e) {
            LOG.warnf("cannot read %s (%s); it will be replaced by the next good list", file, e.toString());
            return null;
        }
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
        Map<Protocol, Long> byProtocol = currentByProtocol;
        LOG.infof(
                "status: tokens=%d markets=%d last_run=%s last_success=%s%s tokens_by_protocol={v1=%d,v2=%d}"
                        + " v2_share=%s disk_free=%s",
                current == null ? 0 : current.tokens().size(),
                current == null ? 0 : current.markets(),
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
                io.orderbooks.shared.logging.LogFormat.gib(free));
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
                started,
                lastSuccessAt,
                lastReport,
                runningSince,
                config.interval(),
                current == null ? 0 : current.tokens().size(),
                dataDir == null ? "not started" : dataDir.checkWritable().orElse(null));
    }

    /** The data dir, or null before the lifecycle has started the service. */
    public DataDir dataDir() {
        return dataDir;
    }

    TokensFile current() {
        return current;
    }

    RunReport lastReport() {
        return lastReport;
    }

    private void setCurrent(TokensFile list) {
        current = list;
        currentByProtocol = byProtocol(list);
    }

    private static Map<Protocol, Long> byProtocol(TokensFile list) {
        Map<Protocol, Long> out = new EnumMap<>(Protocol.class);
        for (Protocol p : Protocol.values()) {
            out.put(p, 0L);
        }
        if (list != null) {
            list.tokens().forEach(t -> out.merge(t.protocol(), 1L, Long::sum));
        }
        return out;
    }

    /**
     * Sets {@code discovery.markets{version}} to the counts of a completed walk (versions not seen go to 0). Version
     * labels come from upstream data: past {@link #MAX_VERSION_GAUGES} distinct ones they are counted as {@code other}.
     */
    private void updateVersionGauges(Map<String, Integer> byVersion) {
        Map<String, Long> folded = new HashMap<>();
        byVersion.forEach((label, n) -> folded.merge(
                marketsByVersionGauges.containsKey(label) || marketsByVersionGauges.size() < MAX_VERSION_GAUGES - 1
                        ? label
                        : RunTally.OTHER,
                (long) n,
                Long::sum));
        marketsByVersionGauges.forEach((label, gauge) -> gauge.set(folded.getOrDefault(label, 0L)));
        folded.forEach((label, n) -> versionGauge(label).set(n));
    }

    private AtomicLong versionGauge(String label) {
        return marketsByVersionGauges.computeIfAbsent(
                label, l -> registry.gauge("discovery.markets", Tags.of("version", l), new AtomicLong()));
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
