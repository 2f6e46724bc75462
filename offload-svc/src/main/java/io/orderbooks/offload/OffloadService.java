package io.orderbooks.offload;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderbooks.offload.rclone.RcloneClient;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.support.StartGate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The application's offloader: built once at start by {@link OffloadLifecycle}, run by {@link OffloadScheduler},
 * read by the health checks. Holds the last run's report and the totals that go into the run manifest.
 */
@ApplicationScoped
public class OffloadService {
    private static final Logger LOG = Logger.getLogger(OffloadService.class);

    @Inject
    OffloadConfig config;

    @Inject
    RcloneClient rclone;

    @Inject
    MeterRegistry registry;

    @Inject
    Clock clock;

    @ConfigProperty(name = "data.dir")
    String dataDirPath;

    private final StartGate gate = new StartGate();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong ledgerCompactions = new AtomicLong();
    private final AtomicLong ledgerArchived = new AtomicLong();
    private volatile Offloader offloader;
    private volatile RemoteProbe remoteProbe;
    private volatile RunReport lastReport;
    private volatile Instant startedAt;
    private volatile Instant lastRunStarted;

    /** Loads (and repairs) the ledger and builds the offloader of this instance (the name of its upload manifests). */
    void start(InstanceId instance) throws IOException {
        DataDir dir = dataDir();
        OffloadSettings settings = settings();
        Ledger ledger = Ledger.open(dir, clock.instant());
        remoteProbe = new RemoteProbe(rclone, settings.remote(), clock);
        offloader = new Offloader(
                dir,
                instance,
                settings,
                new RcloneRemote(rclone, settings, clock),
                ledger,
                new OffloadMetrics(registry),
                clock);
        startedAt = clock.instant();
        gate.open();
    }

    /** The lifecycle refused to start: no run waits for a start that will not come. */
    void refused() {
        gate.close();
    }

    void stop() {
        gate.close();
        Offloader o = offloader;
        if (o != null) {
            o.cancel();
        }
    }

    /** The offloader built at start; null before. */
    Offloader offloader() {
        return offloader;
    }

    public DataDir dataDir() {
        return DataDir.of(dataDirPath);
    }

    public OffloadSettings settings() {
        return OffloadSettings.from(config);
    }

    /**
     * One run, unless one is already in progress; logs the status line. The first run can be due before the lifecycle
     * has built the offloader (a loaded machine, a short {@code offload.initial-delay}): it waits for the start rather
     * than being skipped until the next interval.
     */
    public Optional<RunReport> runOnce() {
        try {
            if (!gate.awaitOpen(Duration.ofMinutes(2))) {
                LOG.debug("offload run skipped: the service did not start, or is stopping");
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        Offloader o = offloader;
        if (o == null || !running.compareAndSet(false, true)) {
            return Optional.empty();
        }
        try {
            lastRunStarted = clock.instant();
            RunReport report = o.run();
            lastReport = report;
            runs.incrementAndGet();
            verified.addAndGet(report.verified());
            failed.addAndGet(report.failed());
            deleted.addAndGet(report.deleted());
            quarantined.addAndGet(report.quarantined());
            ledgerCompactions.addAndGet(report.ledgerCompactions());
            ledgerArchived.addAndGet(report.ledgerArchived());
            LOG.info(report.statusLine());
            return Optional.of(report);
        } catch (RuntimeException e) {
            LOG.errorf(e, "offload run failed; retried at the next interval");
            return Optional.empty();
        } finally {
            running.set(false);
        }
    }

    /** Whether the remote can be listed (cached for a minute; see {@link RemoteProbe}). */
    public RemoteState remoteState() {
        RemoteProbe p = remoteProbe;
        return p == null
                ? new RemoteState(false, config.remote(), "offload-svc not started", clock.instant())
                : p.state();
    }

    public Optional<RunReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    public boolean running() {
        return running.get();
    }

    public Instant startedAt() {
        Instant at = startedAt;
        return at == null ? clock.instant() : at;
    }

    public Optional<Instant> lastRunStarted() {
        return Optional.ofNullable(lastRunStarted);
    }

    /** Totals of this process, for the run manifest. */
    public java.util.Map<String, Long> counters() {
        return java.util.Map.of(
                "runs",
                runs.get(),
                "files_verified",
                verified.get(),
                "files_failed",
                failed.get(),
                "files_deleted",
                deleted.get(),
                "files_quarantined",
                quarantined.get(),
                "ledger_compactions",
                ledgerCompactions.get(),
                "ledger_lines_archived",
                ledgerArchived.get());
    }
}
