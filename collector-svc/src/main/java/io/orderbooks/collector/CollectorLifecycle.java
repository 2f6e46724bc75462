package io.orderbooks.collector;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderbooks.shared.files.LastWritten;
import io.orderbooks.shared.files.Recovery;
import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterConfig;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.logging.LogFormat;
import io.orderbooks.shared.manifests.RunManifest;
import io.orderbooks.shared.manifests.TokensRead;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Event;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.records.GapReason;
import io.orderbooks.shared.records.Line;
import io.orderbooks.support.EffectiveConfig;
import io.orderbooks.support.InstanceIds;
import io.orderbooks.support.UserAgent;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one lifecycle bean of collector-svc: at start it recovers and opens the two streams, starts the websocket
 * pool, the snapshot rounds and the tokens watcher, then its {@link CollectorScheduler}; at stop it closes the
 * connections (recording why), drains the
 * queues and closes every file with its manifest, then ends the run manifest with {@code shutdown}.
 */
@ApplicationScoped
public class CollectorLifecycle {
    private static final Logger LOG = Logger.getLogger(CollectorLifecycle.class);
    static final String SERVICE = "collector-svc";
    /** Reasons listed in a {@code tokens_skipped} event; the count is always whole. */
    private static final int SKIPPED_IN_EVENT = 20;

    @Inject
    CollectorConfig config;

    @ConfigProperty(name = "data.dir")
    String dataDirSetting;

    @ConfigProperty(name = "quarkus.rest-client.clob-api.url")
    String clobUrl;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    @Inject
    Vertx vertx;

    @Inject
    ClobBooksClient books;

    @Inject
    MeterRegistry registry;

    @Inject
    Clock clock;

    @Inject
    CollectorScheduler scheduler;

    private DataDir dataDir;
    private Shard shard;
    private RunManifest run;
    private StreamPump wsPump;
    private StreamPump restPump;
    private WsStats wsStats;
    private WsConnections connections;
    private SnapshotRounds snapshots;
    private TokensWatcher watcher;
    private volatile boolean started;
    private Map<String, String> effective = Map.of();

    void onStart(@Observes StartupEvent event) throws IOException {
        dataDir = DataDir.of(Path.of(dataDirSetting));
        // Issue 13 item 4: a data dir this user cannot write (e.g. root-owned) is one clear line and a non-zero exit,
        // so the restart loop shows in `docker compose ps` and its reason in the logs (docs/OPERATIONS.md).
        Optional<String> unwritable = dataDir.checkWritable();
        if (unwritable.isPresent()) {
            LOG.error(LogFormat.unwritableDataDir(SERVICE, unwritable.get(), LogFormat.EXIT_DATA_DIR_UNWRITABLE));
            Quarkus.asyncExit(LogFormat.EXIT_DATA_DIR_UNWRITABLE);
            return;
        }
        shard = Shard.parse(config.shard(), config.shardKey());
        InstanceId instance = InstanceIds.resolve(config.instance());
        // Every collector.* key from the mapping (docs/COLLECTOR.md), plus the data dir, the CLOB URL, the instance.
        effective = EffectiveConfig.of(CollectorConfig.class, config)
                .with("data.dir", dataDirSetting)
                .with("quarkus.rest-client.clob-api.url", clobUrl)
                .with("collector.instance", instance.value())
                .asMap();
        LOG.info(LogFormat.configBlock("collector-svc " + version + " starting", effective));
        run = RunManifest.start(dataDir, SERVICE, instance, version, effective, clock);
        WriterInfo info = new WriterInfo(
                SERVICE,
                version,
                instance,
                run.runId(),
                Map.of("shard", shard.toString(), "shard_key", shard.keyText()));
        restPump = new StreamPump(
                openWriter(StreamName.REST_BOOKS, instance, info),
                "rest",
                config.ws().queueCapacity());
        wsPump = new StreamPump(
                openWriter(StreamName.WS_MARKET, instance, info),
                "ws",
                config.ws().queueCapacity());
        recordDowntime(wsPump, StreamName.WS_MARKET, instance, "ws");
        recordDowntime(restPump, StreamName.REST_BOOKS, instance, "rest");
        registry.gauge(
                "collector.queue.depth",
                List.of(io.micrometer.core.instrument.Tag.of("stream", "ws_market")),
                wsPump,
                StreamPump::depth);
        registry.gauge(
                "collector.queue.depth",
                List.of(io.micrometer.core.instrument.Tag.of("stream", "rest_books")),
                restPump,
                StreamPump::depth);
        wsStats = new WsStats(registry);
        // The watcher exists before anything reads it; it only calls the pool once the scheduler below polls it.
        watcher = new TokensWatcher(
                dataDir.tokensFile(), shard, tokens -> connections.apply(tokens), this::recordSkipped);
        registry.gauge("collector.tokens.skipped", watcher, TokensWatcher::skipped);
        registry.gauge("collector.shard.key_fallbacks", watcher, TokensWatcher::keyFallbacks);
        snapshots = new SnapshotRounds(books, restPump, watcher::current, config.snapshot(), registry);
        connections = new WsConnections(
                vertx,
                config.wsUrl(),
                UserAgent.value(),
                config.ws(),
                wsPump,
                wsStats,
                snapshots::urgent,
                run.runToken());
        // One shard records the global events, not every one (docs/SCALING.md, "Global events").
        connections.globalEvents(shard.recordsGlobalEvents());
        if (config.ws().customFeatureEnabled()) {
            LOG.info("shard " + shard + ": global events (new_market, market_resolved) "
                    + (shard.recordsGlobalEvents()
                            ? "recorded by this collector"
                            : "left to the collector of index 0"));
        }
        scheduler.start(watcher::poll, this::status);
        started = true;
    }

    private RotatingJsonlWriter openWriter(StreamName stream, InstanceId instance, WriterInfo info) throws IOException {
        WriterConfig wc = WriterConfig.defaults(stream, instance)
                .withFlushInterval(config.files().flushInterval())
                .withReadableWithin(config.files().readableWithin())
                .withCompressionLevel(config.files().compressionLevel());
        RotatingJsonlWriter w = RotatingJsonlWriter.open(dataDir, wc, info, clock);
        Recovery.Report report = w.recoveryReport();
        if (!report.isEmpty()) {
            LOG.warnf(
                    "%s: start-up recovery did %d actions (%d lines dropped); see the manifests with \"recovered\": true",
                    stream, report.actions().size(), report.droppedLines());
        }
        w.onFileClosed(m -> run.fileClosed(m.file()));
        return w;
    }

    /**
     * A stop or a crash leaves nothing in the data by itself. So a start writes, into each of its streams, a
     * {@code collector-down} gap from the last record this instance wrote there (after recovery, so a crashed run's
     * salvaged lines count) to now. Frames the previous run received but had not flushed when it was killed fall
     * inside it too. Nothing is written on a first start.
     */
    private void recordDowntime(StreamPump pump, StreamName stream, InstanceId instance, String src) {
        try {
            OptionalLong last = LastWritten.recvUs(dataDir, stream, instance);
            long now = Clocks.nowMicros();
            if (last.isEmpty() || last.getAsLong() >= now) {
                return;
            }
            Gap gap = new Gap(null, last.getAsLong(), now, GapReason.COLLECTOR_DOWN);
            List<String> crashed = run.crashedRuns();
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("run_id", run.runId());
            fields.put("previous_run_crashed", !crashed.isEmpty());
            pump.offer(Line.gap(now, gap, Envelope.gap(now, src, gap, fields)));
            LOG.infof(
                    "%s: recorded the time since this instance's last record (%.1f s, previous run %s) as a "
                            + "collector-down gap",
                    stream, (now - last.getAsLong()) / 1e6, crashed.isEmpty() ? "stopped" : "crashed");
        } catch (IOException | RuntimeException e) {
            LOG.warnf(
                    "%s: could not find this instance's last record, no collector-down gap written: %s",
                    stream, e.toString());
        }
    }

    /** The effective configuration logged at start and written into the run manifest. */
    Map<String, String> effectiveConfig() {
        return effective;
    }

    /**
     * Bad tokens.json entries are left out of the subscription; the data says so, in-band (docs/DATA-FORMAT.md §4): one
     * {@code tokens_skipped} event per new list with bad entries, with the count and the first reasons.
     */
    private void recordSkipped(TokensRead read) {
        long now = Clocks.nowMicros();
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("generated_at", read.file().generatedAt().toString());
        fields.put("skipped", read.skipped().size());
        fields.put("kept", read.file().tokens().size());
        fields.put(
                "first",
                read
                        .skipped()
                        .subList(0, Math.min(SKIPPED_IN_EVENT, read.skipped().size()))
                        .stream()
                        .map(TokensRead.Skipped::toString)
                        .toList());
        wsPump.offer(Line.event(now, Envelope.event(now, "ws", null, Event.TOKENS_SKIPPED, fields)));
    }

    /** A value without spaces, so the status line stays parseable as key=value. */
    private static String compact(Object value) {
        return String.valueOf(value).replace(", ", ",").replace(' ', '_');
    }

    private void status() {
        try {
            long free = dataDir.usableBytes();
            List<String> files = new ArrayList<>(wsPump.writer().currentFiles());
            files.addAll(restPump.writer().currentFiles());
            // key=value, sizes in GiB: the status-line style of every service (docs/OPERATIONS.md "Reading the logs").
            LOG.infof(
                    "status: ws_up=%d/%d tokens=%d skipped=%d frames_per_min=%s snapshot=%s queue_ws=%d queue_rest=%d "
                            + "lost=%d gaps=%d splits=%d files=%s disk_free=%s%s",
                    wsStats.connectionsUp(),
                    connections.connectionCount(),
                    watcher.current().size(),
                    watcher.skipped(),
                    compact(wsStats.takeFrameCounts()),
                    compact(snapshots.lastRound()),
                    wsPump.depth(),
                    restPump.depth(),
                    wsPump.lost() + restPump.lost(),
                    wsStats.gaps(),
                    wsStats.splits(),
                    String.join(",", files),
                    LogFormat.gib(free),
                    free >= 0 && free < config.diskMinFree() ? " disk=BELOW_MIN_FREE ready=false" : "");
            run.counter("ws_lines_written", wsPump.written());
            run.counter("rest_lines_written", restPump.written());
            run.counter("lines_lost", wsPump.lost() + restPump.lost());
            run.counter("ws_gaps", wsStats.gaps());
            run.checkpoint();
        } catch (IOException | RuntimeException e) {
            LOG.errorf("status: %s", e.toString());
        }
    }

    /** What readiness needs to know. */
    public record Health(
            boolean started,
            String dataDirProblem,
            long freeBytes,
            long minFree,
            int tokens,
            String tokensProblem,
            boolean tokensFileExists,
            int tokensSkipped,
            List<String> silentConnections,
            long linesWritten,
            long secondsSinceData,
            long maxSilenceSeconds) {}

    public Health health() {
        if (!started) {
            return new Health(false, null, -1, config.diskMinFree(), 0, null, false, 0, List.of(), 0, 0, 0);
        }
        long lastData = Math.max(wsStats.lastFrameNanos(), snapshots.lastBookNanos());
        // Data must keep coming while tokens are tracked: at least one REST round, or a stall detection, fits in this.
        long maxSilence = Math.max(
                3 * config.snapshot().interval().toSeconds(),
                2 * config.ws().staleAfter().toSeconds());
        return new Health(
                true,
                dataDir.checkWritable().orElse(null),
                dataDir.usableBytes(),
                config.diskMinFree(),
                watcher.current().size(),
                watcher.problem(),
                watcher.fileExists(),
                watcher.skipped(),
                connections.silentLongerThan(config.ws().staleAfter()),
                wsPump.written() + restPump.written(),
                (System.nanoTime() - lastData) / 1_000_000_000L,
                maxSilence);
    }

    /** The data dir, or null until the start has checked it. */
    public DataDir dataDir() {
        return started ? dataDir : null;
    }

    void onStop(@Observes ShutdownEvent event) {
        if (!started) {
            return;
        }
        started = false;
        LOG.info("collector-svc stopping: closing connections and files");
        scheduler.stop();
        connections.stop();
        try {
            Thread.sleep(300); // let the close handshakes record their "disconnected" events
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        snapshots.close();
        try {
            wsPump.close();
            restPump.close();
            run.counter("ws_lines_written", wsPump.written());
            run.counter("rest_lines_written", restPump.written());
            run.counter("lines_lost", wsPump.lost() + restPump.lost());
            run.counter("lines_lost_unrecorded", wsPump.unrecorded() + restPump.unrecorded());
            run.finish("shutdown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("collector-svc stopped cleanly");
    }
}
