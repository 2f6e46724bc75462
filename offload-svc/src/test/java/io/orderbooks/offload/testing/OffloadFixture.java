package io.orderbooks.offload.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderbooks.offload.Ledger;
import io.orderbooks.offload.OffloadMetrics;
import io.orderbooks.offload.OffloadSettings;
import io.orderbooks.offload.Offloader;
import io.orderbooks.offload.RcloneRemote;
import io.orderbooks.offload.RunReport;
import io.orderbooks.offload.rclone.RcloneClient;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.testing.TempDataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * One test's own data dir and local-disk remote folder, and offloaders over them that talk to the shared real
 * {@code rclone rcd}. Every {@link #run} builds a new offloader and re-reads the ledger from disk, exactly as a
 * restarted process would.
 */
public final class OffloadFixture implements AutoCloseable {
    /** The instance id of the fixture's offloaders (the name of their daily upload manifests). */
    public static final InstanceId INSTANCE = InstanceId.of("vps1");

    public final TempDataDir temp = TempDataDir.create();
    public final DataDir dir = temp.dataDir();
    public final Path remoteDir;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RcloneClient rclone;
    private final OffloadMetrics metrics = new OffloadMetrics(registry);

    public OffloadFixture(RcloneClient rclone) {
        this.rclone = rclone;
        this.remoteDir = RcloneRcdResource.current().newDir("remote-");
    }

    /** Defaults, against this fixture's local-disk remote, polling jobs quickly. */
    public OffloadSettings settings() {
        return settingsFor(dir);
    }

    private OffloadSettings settingsFor(DataDir data) {
        return OffloadSettings.defaults(data.root().toString(), "testdisk:" + remoteDir)
                .withJobPollInterval(Duration.ofMillis(100))
                // Early deletion for a low disk is off unless a test asks for it: the build machine's free space must
                // not decide what the other tests see.
                .withRetentionMinFreeBytes(0);
    }

    public Offloader offloader(UnaryOperator<OffloadSettings> tweak) {
        return offloader(tweak, Clock.systemUTC());
    }

    /** An offloader whose clock is {@code clock} (e.g. weeks ahead, to make the ledger's lines old). */
    public Offloader offloader(UnaryOperator<OffloadSettings> tweak, Clock clock) {
        return offloader(INSTANCE, dir, tweak, clock);
    }

    /**
     * An offloader of another instance over another data dir, uploading into this fixture's remote folder: two
     * instances sharing one folder (docs/SCALING.md).
     */
    public Offloader offloader(InstanceId instance, DataDir data, UnaryOperator<OffloadSettings> tweak, Clock clock) {
        OffloadSettings s = tweak.apply(settingsFor(data));
        try {
            return new Offloader(
                    data,
                    instance,
                    s,
                    new RcloneRemote(rclone, s, clock),
                    Ledger.open(data, clock.instant()),
                    metrics,
                    clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RunReport run(UnaryOperator<OffloadSettings> tweak) {
        return offloader(tweak).run();
    }

    public RunReport run() {
        return run(s -> s);
    }

    /** The remote copy of a data-dir-relative path (for a local-disk remote). */
    public Path remote(String relative) {
        return remoteDir.resolve(relative);
    }

    public Ledger ledger() {
        try {
            return Ledger.open(dir, Clock.systemUTC().instant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        temp.close();
    }
}
