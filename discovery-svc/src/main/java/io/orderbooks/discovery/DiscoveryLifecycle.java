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
import io.orderbooks.support.EffectiveConfig;
import io.orderbooks.support.InstanceIds;
import io.orderbooks.support.UserAgent;
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
import java.util.Map;
import java.util.Optional;
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

    @Inject
    Clock clock;

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
            // The scheduler's start-up run is already waiting for the start: release it (it runs nothing) rather
            // than leave it blocked into the shutdown.
            service.stop(Duration.ZERO);
            Quarkus.asyncExit(LogFormat.EXIT_DATA_DIR_UNWRITABLE);
            return;
        }
        InstanceId instance = InstanceIds.resolve(config.instance());
        // Every discovery.* key from the mapping (docs/DISCOVERY.md), plus the data dir, the Gamma URL, the instance.
        Map<String, String> effective = EffectiveConfig.of(DiscoveryConfig.class, config)
                .with("data.dir", dataDirSetting)
                .with("quarkus.rest-client.gamma-api.url", gammaUrl)
                .with("discovery.instance", instance.value())
                .asMap();
        LOG.info(LogFormat.configBlock(
                "discovery-svc " + version + " starting (User-Agent \"" + UserAgent.value() + "\")", effective));
        run = RunManifest.start(dataDir, SERVICE, instance, version, effective, clock);
        WriterConfig wc = WriterConfig.defaults(StreamName.GAMMA_MARKETS, instance)
                .withFlushInterval(config.files().flushInterval())
                .withCompressionLevel(config.files().compressionLevel());
        WriterInfo who = new WriterInfo(SERVICE, version, instance, run.runId());
        writer = RotatingJsonlWriter.open(dataDir, wc, who, clock);
        Recovery.Report report = writer.recoveryReport();
        if (!report.isEmpty()) {
            LOG.warnf(
                    "gamma_markets: start-up recovery did %d actions (%d lines dropped); see the manifests with \"recovered\": true",
                    report.actions().size(), report.droppedLines());
        }
        writer.onFileClosed(m -> run.fileClosed(m.file()));
        // History copies without a manifest (a kill between the two, or copies older than manifests) get one, so that
        // offload uploads them and retention can later delete them (docs/DISCOVERY.md "Files").
        TokensHistory.Repair repair = TokensHistory.repairManifests(dataDir, who, clock.instant());
        if (!repair.described().isEmpty()) {
            LOG.infof(
                    "discovery/history: wrote the missing manifest of %d history cop%s",
                    repair.described().size(), repair.described().size() == 1 ? "y" : "ies");
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
}
