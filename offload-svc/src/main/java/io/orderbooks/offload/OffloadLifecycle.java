package io.orderbooks.offload;

import io.orderbooks.shared.InstanceId;
import io.orderbooks.shared.RunManifest;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Inject
    OffloadService service;
    @Inject
    OffloadConfig config;
    @Inject
    io.orderbooks.offload.rclone.RcloneClient rclone;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    private RunManifest run;

    void onStart(@Observes StartupEvent event) throws IOException {
        OffloadSettings settings = service.settings();
        Map<String, String> effective = new LinkedHashMap<>();
        effective.put("data.dir", service.dataDir().root().toString());
        effective.put("offload.rclone-url", config.rcloneUrl());
        effective.put("offload.rclone-user", config.rcloneUser());
        effective.put("offload.rclone-pass", config.rclonePass().isEmpty() ? "(empty)" : "(set)");
        effective.put("offload.interval", config.interval().toString());
        effective.put("offload.initial-delay", config.initialDelay().toString());
        effective.putAll(settings.describe());
        InstanceId instance = config.instance().filter(s -> !s.isBlank()).map(InstanceId::sanitised)
                .orElseGet(InstanceId::fromHostname);
        effective.put("offload.instance", instance.value());
        LOG.infof("offload-svc starting: %s", effective);
        if (settings.dryRun()) {
            LOG.warn("offload.dry-run=true: every run only plans (offload/dry-run-plan.json); nothing is uploaded or deleted");
        }
        service.start();
        run = RunManifest.start(service.dataDir(), SERVICE, instance, version, effective, Clock.systemUTC());
        try {
            LOG.infof("rclone %s answers at %s", rclone.version(), config.rcloneUrl());
        } catch (RuntimeException e) {
            LOG.warnf("rclone does not answer at %s yet (%s); every run retries", config.rcloneUrl(), e.getMessage());
        }
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
