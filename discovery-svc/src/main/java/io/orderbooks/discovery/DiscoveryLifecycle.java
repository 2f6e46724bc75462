package io.orderbooks.discovery;

import io.orderbooks.shared.files.Recovery;
import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterConfig;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.logging.LogFormat;
import io.orderbooks.shared.manifests.RunManifest;
import io.orderbooks.shared.manifests.TokensHistory;
import io.orderbooks.shared.manifests.WriterInfo;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one lifecycle bean of discovery-svc. At start: log the effective configuration once, start the run manifest,
 * open the {@code gamma_markets} writer (which recovers this instance's leftover {@code .open} files), and hand
 * them to {@link DiscoveryService}. At stop: let a run in progress end, close the file with its manifest, end the
 * run manifest with {@code shutdown}.
 */
@ApplicationScoped
public class DiscoveryLifecycle {
    private static final Logger LOG = Logger.getLogger(DiscoveryLifecycle.class);
    static final String SERVICE = "discovery-svc";

    @Inject
    DiscoveryConfig config;

    @Inject
    DiscoveryService service;

    @ConfigProperty(name = "data.dir")
    String dataDirSetting;

    @ConfigProperty(name = "quarkus.rest-client.gamma-api.url")
    String gammaUrl;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    private RotatingJsonlWriter writer;
    private RunManifest run;

    void onStart(@Observes StartupEvent event) throws IOException {
        DataDir dataDir = DataDir.of(Path.of(dataDirSetting));
        // Issue 13 item 4: a data dir this user cannot write (e.g. root-owned) is one clear line and a non-zero exit,
        // so the restart loop shows in `docker compose ps` and its reason in the logs (docs/OPERATIONS.md).
        Optional<String> unwritable = dataDir.checkWritable();
        if (unwritable.isPresent()) {
            LOG.error(LogFormat.unwritableDataDir(SERVICE, unwritable.get(), LogFormat.EXIT_DATA_DIR_UNWRITABLE));
            Quarkus.asyncExit(LogFormat.EXIT_DATA_DIR_UNWRITABLE);
            return;
        }
        InstanceId instance = config.instance().map(InstanceId::of).orElseGet(InstanceId::fromHostname);
        Map<String, String> effective = effectiveConfig(instance);
        LOG.info(LogFormat.configBlock("discovery-svc " + version + " starting (User-Agent \"" + UserAgent.value() + "\")", effective));
        run = RunManifest.start(dataDir, SERVICE, instance, version, effective, Clock.systemUTC());
        WriterConfig wc = WriterConfig.defaults(StreamName.GAMMA_MARKETS, instance)
                .withFlushInterval(config.files().flushInterval()).withCompressionLevel(config.files().compressionLevel());
        WriterInfo who = new WriterInfo(SERVICE, version, instance, run.runId());
        writer = RotatingJsonlWriter.open(dataDir, wc, who, Clock.systemUTC());
        Recovery.Report report = writer.recoveryReport();
        if (!report.isEmpty()) {
            LOG.warnf("gamma_markets: start-up recovery did %d actions (%d lines dropped); see the manifests with \"recovered\": true",
                    report.actions().size(), report.droppedLines());
        }
        writer.onFileClosed(m -> run.fileClosed(m.file()));
        // History copies without a manifest (a kill between the two, or copies older than manifests) get one, so that
        // offload uploads them and retention can later delete them (docs/DISCOVERY.md "Files").
        TokensHistory.Repair repair = TokensHistory.repairManifests(dataDir, who, Instant.now());
        if (!repair.described().isEmpty()) {
            LOG.infof("discovery/history: wrote the missing manifest of %d history cop%s", repair.described().size(),
                    repair.described().size() == 1 ? "y" : "ies");
        }
        repair.unreadable().forEach(u -> LOG.warnf("discovery/history: %s", u));
        service.start(dataDir, writer, run, who);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (writer == null) {
            return;
        }
        LOG.info("discovery-svc stopping");
        service.stop(Duration.ofSeconds(15));
        try {
            writer.close();
            run.finish("shutdown");
        } catch (IOException e) {
            LOG.errorf("closing discovery-svc cleanly failed: %s", e.toString());
        }
        LOG.info("discovery-svc stopped cleanly");
    }

    private Map<String, String> effectiveConfig(InstanceId instance) {
        Map<String, String> m = new TreeMap<>();
        m.put("data.dir", dataDirSetting);
        m.put("quarkus.rest-client.gamma-api.url", gammaUrl);
        m.put("discovery.instance", instance.value());
        m.put("discovery.interval", config.interval().toString());
        m.put("discovery.max-shrink", Double.toString(config.maxShrink()));
        m.put("discovery.allow-shrink", Boolean.toString(config.allowShrink()));
        m.put("discovery.page-size", Integer.toString(config.pageSize()));
        m.put("discovery.max-pages", Integer.toString(config.maxPages()));
        m.put("discovery.cursor-param", config.cursorParam());
        m.put("discovery.status-interval", config.statusInterval().toString());
        DiscoveryConfig.Gamma g = config.gamma();
        m.put("discovery.gamma.max-requests-per-second", Integer.toString(g.maxRequestsPerSecond()));
        m.put("discovery.gamma.timeout-ms", Long.toString(g.timeoutMs()));
        m.put("discovery.gamma.max-retries", Integer.toString(g.maxRetries()));
        m.put("discovery.gamma.retry-delay-ms", Long.toString(g.retryDelayMs()));
        m.put("discovery.gamma.retry-jitter-ms", Long.toString(g.retryJitterMs()));
        m.put("discovery.gamma.retry-max-delay-ms", Long.toString(g.retryMaxDelayMs()));
        m.put("discovery.gamma.max-retry-after-ms", Long.toString(g.maxRetryAfterMs()));
        m.put("discovery.gamma.circuit-breaker-delay-ms", Long.toString(g.circuitBreakerDelayMs()));
        DiscoveryConfig.Filter f = config.filter();
        m.put("discovery.filter.closed", Boolean.toString(f.closed()));
        f.minLiquidity().ifPresent(v -> m.put("discovery.filter.min-liquidity", Double.toString(v)));
        f.minVolume24h().ifPresent(v -> m.put("discovery.filter.min-volume-24h", Double.toString(v)));
        f.tagIds().ifPresent(v -> m.put("discovery.filter.tag-ids", String.join(",", v)));
        f.allow().ifPresent(v -> m.put("discovery.filter.allow", String.join(",", v)));
        f.deny().ifPresent(v -> m.put("discovery.filter.deny", String.join(",", v)));
        f.maxMarkets().ifPresent(v -> m.put("discovery.filter.max-markets", Integer.toString(v)));
        f.endDateMin().ifPresent(v -> m.put("discovery.filter.end-date-min", v));
        f.endDateMax().ifPresent(v -> m.put("discovery.filter.end-date-max", v));
        m.put("discovery.files.flush-interval", config.files().flushInterval().toString());
        m.put("discovery.files.compression-level", Integer.toString(config.files().compressionLevel()));
        return m;
    }
}
