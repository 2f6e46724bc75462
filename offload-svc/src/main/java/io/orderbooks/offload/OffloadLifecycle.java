package io.orderbooks.offload;

import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.logging.LogFormat;
import io.orderbooks.shared.manifests.RunManifest;
import io.orderbooks.support.EffectiveConfig;
import io.orderbooks.support.InstanceIds;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one lifecycle bean of offload-svc: logs the effective configuration (no secrets) once, starts the run manifest,
 * loads the ledger; on shutdown abandons running copies (nothing is marked verified for them) and ends the run.
 */
@ApplicationScoped
public class OffloadLifecycle {
    private static final Logger LOG = Logger.getLogger(OffloadLifecycle.class);
    static final String SERVICE = "offload-svc";
    /** Exit code when the rc password is a placeholder: sysexits' EX_CONFIG. */
    static final int EXIT_PLACEHOLDER_PASSWORD = 78;

    @Inject
    OffloadService service;

    @Inject
    OffloadConfig config;

    @Inject
    io.orderbooks.offload.rclone.RcloneClient rclone;

    @Inject
    RcCredentials credentials;

    @Inject
    Clock clock;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    private RunManifest run;
    private Map<String, String> effective = Map.of();

    void onStart(@Observes StartupEvent event) throws IOException {
        // Refusals first, each one clear line and a non-zero exit (issue 13 "Honest health"): a restart loop shows in
        // `docker compose ps` and its reason in `docker compose logs`, rather than a service that looks as if it
        // starts.
        Optional<String> refusal = credentials.problem();
        if (refusal.isPresent()) {
            LOG.errorf(
                    "FATAL: %s cannot start: %s; exiting with code %d",
                    SERVICE, refusal.get(), EXIT_PLACEHOLDER_PASSWORD);
            service.refused();
            Quarkus.asyncExit(EXIT_PLACEHOLDER_PASSWORD);
            return;
        }
        Optional<String> unwritable = service.dataDir().checkWritable();
        if (unwritable.isPresent()) {
            LOG.error(LogFormat.unwritableDataDir(SERVICE, unwritable.get(), LogFormat.EXIT_DATA_DIR_UNWRITABLE));
            service.refused();
            Quarkus.asyncExit(LogFormat.EXIT_DATA_DIR_UNWRITABLE);
            return;
        }
        OffloadSettings settings = service.settings();
        InstanceId instance = InstanceIds.resolve(config.instance());
        // Every offload.* key from the mapping (docs/OFFLOAD.md), the rc password only as where it came from.
        effective = EffectiveConfig.of(OffloadConfig.class, config)
                .with("data.dir", service.dataDir().root().toString())
                .with("offload.rclone-pass", credentials.describe())
                .with("offload.rclone-data-dir", settings.rcloneDataDir())
                .with("offload.instance", instance.value())
                .asMap();
        LOG.info(LogFormat.configBlock("offload-svc " + version + " starting", effective));
        if (settings.dryRun()) {
            LOG.warn(
                    "offload.dry-run=true: every run only plans (offload/dry-run-plan.json); nothing is uploaded or deleted");
        }
        service.start();
        run = RunManifest.start(service.dataDir(), SERVICE, instance, version, effective, clock);
        try {
            LOG.infof("rclone %s answers at %s", rclone.version(), config.rcloneUrl());
            service.remoteState(); // logs once whether the remote can be listed
        } catch (RuntimeException e) {
            // At a compose start rclone may come up after us: not a warning, the readiness check says it until it
            // answers.
            LOG.infof("rclone does not answer at %s yet (%s); every run retries", config.rcloneUrl(), e.getMessage());
        }
    }

    /** The effective configuration logged at start and written into the run manifest. */
    Map<String, String> effectiveConfig() {
        return effective;
    }

    /** Rewrites the run manifest with this process's totals (after every run). */
    void checkpoint() {
        if (run != null) {
            try {
                service.counters().forEach(run::counter);
                run.checkpoint();
            } catch (IOException e) {
                LOG.warnf("cannot update the run manifest: %s", e.getMessage());
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        service.stop();
        if (run != null) {
            try {
                service.counters().forEach(run::counter);
                run.finish("shutdown");
            } catch (IOException e) {
                LOG.warnf("cannot finish the run manifest: %s", e.getMessage());
            }
        }
        LOG.info("offload-svc stopped");
    }
}
