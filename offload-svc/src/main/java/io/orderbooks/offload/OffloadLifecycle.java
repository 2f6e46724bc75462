package io.orderbooks.offload;

import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.logging.LogFormat;
import io.orderbooks.shared.manifests.RunManifest;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.support.DaemonThreads;
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
import java.time.Duration;
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
    /** Exit code when the rc password is a placeholder, or settings exclude each other: sysexits' EX_CONFIG. */
    static final int EXIT_CONFIG = 78;
    /** Exit code when another offload-svc holds the data dir: sysexits' EX_TEMPFAIL (try again once it is gone). */
    static final int EXIT_DATA_DIR_BUSY = 75;

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
    private OffloadLock lock;
    private volatile Drain drain;
    private volatile Thread drainThread;
    private volatile String endReason = "shutdown";

    void onStart(@Observes StartupEvent event) throws IOException {
        // Refusals first, each one clear line and a non-zero exit (issue 13 "Honest health"): a restart loop shows in
        // `docker compose ps` and its reason in `docker compose logs`, rather than a service that looks as if it
        // starts.
        Optional<String> refusal = credentials.problem();
        if (refusal.isPresent()) {
            refuse(refusal.get(), EXIT_CONFIG);
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
        if (config.drain() && settings.dryRun()) {
            refuse(
                    "offload.drain and offload.dry-run exclude each other (a drain uploads; a dry run never does)",
                    EXIT_CONFIG);
            return;
        }
        Optional<OffloadLock> held = OffloadLock.tryAcquire(service.dataDir());
        if (held.isEmpty()) {
            refuse(
                    "another offload-svc runs on data dir " + service.dataDir().root() + " (" + OffloadLock.FILE
                            + " is locked); one offloader per data dir",
                    EXIT_DATA_DIR_BUSY);
            return;
        }
        lock = held.get();
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
        service.start(instance);
        run = RunManifest.start(service.dataDir(), SERVICE, instance, version, effective, clock);
        try {
            LOG.infof("rclone %s answers at %s", rclone.version(), config.rcloneUrl());
            service.remoteState(); // logs once whether the remote can be listed
        } catch (RuntimeException e) {
            // At a compose start rclone may come up after us: not a warning, the readiness check says it until it
            // answers.
            LOG.infof("rclone does not answer at %s yet (%s); every run retries", config.rcloneUrl(), e.getMessage());
        }
        if (config.drain()) {
            startDrain(instance);
        }
    }

    private void refuse(String why, int code) {
        LOG.errorf("FATAL: %s cannot start: %s; exiting with code %d", SERVICE, why, code);
        service.refused();
        Quarkus.asyncExit(code);
    }

    /**
     * Drain mode: recovery, runs until nothing is left, the verdict, then the exit (docs/OFFLOAD.md "Draining a
     * volume"). On its own thread: the start event must return for the HTTP server and the shutdown hook to work.
     */
    private void startDrain(InstanceId instance) {
        LOG.warnf(
                "offload.drain=true: recovering what the writers left, then uploading until nothing is left (at most "
                        + "%s); the service exits when it is done",
                config.drainTimeout());
        WriterInfo recoverAs = new WriterInfo(SERVICE, version, instance, run.runId(), Map.of("mode", "drain"));
        Drain d = new Drain(
                service.dataDir(),
                service.offloader(),
                () -> {
                    Optional<RunReport> r = service.runOnce();
                    checkpoint();
                    return r;
                },
                recoverAs,
                config.drainTimeout(),
                config.drainRetry(),
                clock);
        drain = d;
        Thread t = DaemonThreads.factory("offload-drain").newThread(() -> finishDrain(d.run()));
        drainThread = t;
        t.start();
    }

    private void finishDrain(DrainVerdict verdict) {
        if (verdict.outcome() == DrainVerdict.Outcome.DRAINED) {
            LOG.info(verdict.statusLine());
        } else {
            LOG.error(verdict.statusLine());
        }
        verdict.leftoverLines().forEach(LOG::warn);
        try {
            LOG.infof("drain verdict written to %s", service.dataDir().relative(verdict.write(service.dataDir())));
        } catch (IOException | RuntimeException e) {
            LOG.errorf("cannot write the drain verdict: %s", e.getMessage());
        }
        endReason = "drain-" + verdict.outcome().wire();
        Quarkus.asyncExit(verdict.exitCode());
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
        Drain d = drain;
        if (d != null) {
            d.stop();
        }
        service.stop();
        Thread t = drainThread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(20)); // its verdict says what a stop left behind
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (run != null) {
            try {
                service.counters().forEach(run::counter);
                run.finish(endReason);
            } catch (IOException e) {
                LOG.warnf("cannot finish the run manifest: %s", e.getMessage());
            }
        }
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                LOG.debugf("offload lock: %s", e.getMessage()); // the kernel releases it with the process anyway
            }
        }
        LOG.info("offload-svc stopped");
    }
}
