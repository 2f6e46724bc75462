package io.orderbooks.offload;

import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.InvalidMark;
import io.orderbooks.shared.manifests.LedgerAction;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.manifests.LedgerResult;
import io.orderbooks.shared.manifests.Marks;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Uploads the operator's invalid marks ({@code marks/…}, docs/DATA-FORMAT.md §8) beside the files they concern on the
 * remote ({@link InvalidMark#remotePath()}), so that anyone reading a Drive folder sees them (docs/OPERATIONS.md §6),
 * verified by size and MD5 like every other object, one ledger line (kind {@code mark}) per attempt. A mark is never
 * deleted locally: retention only ever sees raw files and history copies ({@link LocalFiles}). Mark files the reader
 * cannot use ({@link Marks.Loaded#bad()}) are not uploaded, with a warning: their place on the remote is unknown.
 */
final class MarkUploads {
    private static final Logger LOG = Logger.getLogger(MarkUploads.class);

    /** What one run did with the marks. */
    record Result(int verified, int alreadyVerified, int failed, int notUsable) {}

    private final DataDir dir;
    private final OffloadSettings settings;
    private final RcloneRemote remote;
    private final Ledger ledger;
    private final Clock clock;
    private final Consumer<LedgerEntry> append;

    MarkUploads(
            DataDir dir,
            OffloadSettings settings,
            RcloneRemote remote,
            Ledger ledger,
            Clock clock,
            Consumer<LedgerEntry> append) {
        this.dir = dir;
        this.settings = settings;
        this.remote = remote;
        this.ledger = ledger;
        this.clock = clock;
        this.append = append;
    }

    /** Every usable mark file: marks in force, withdrawn marks and the revocations that withdrew them. */
    static List<InvalidMark> usable(Marks.Loaded loaded) {
        List<InvalidMark> all = new ArrayList<>(loaded.active());
        for (Marks.Revoked r : loaded.revoked()) {
            all.add(r.mark());
            all.add(r.revocation());
        }
        return all;
    }

    /** The usable marks whose current bytes the ledger does not show verified upstream. */
    static List<String> notVerified(DataDir dir, Ledger ledger) {
        List<String> out = new ArrayList<>();
        for (InvalidMark m : usable(Marks.read(dir))) {
            String local = m.relativePath();
            try {
                if (!verifiedUpstream(
                        ledger,
                        local,
                        Checksums.md5Hex(Files.readAllBytes(dir.root().resolve(local))))) {
                    out.add(local);
                }
            } catch (IOException e) {
                out.add(local);
            }
        }
        return out;
    }

    /** Whether the mark's latest ledger line is {@code verified} with these bytes (marks never change). */
    private static boolean verifiedUpstream(Ledger ledger, String local, String md5) {
        LedgerEntry last = ledger.latest(local, LedgerKind.MARK);
        return last != null && last.verified() && md5.equals(last.md5());
    }

    Result upload(BooleanSupplier stop) {
        Marks.Loaded loaded = Marks.read(dir);
        for (Marks.BadMark b : loaded.bad()) {
            LOG.warnf("mark file %s not uploaded: %s", b.file(), b.reason());
        }
        int verified = 0;
        int already = 0;
        int failed = 0;
        for (InvalidMark m : usable(loaded)) {
            if (stop.getAsBoolean()) {
                break;
            }
            String local = m.relativePath();
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(dir.root().resolve(local));
            } catch (IOException e) {
                LOG.errorf("cannot read mark %s: %s; not uploaded", local, e.getMessage());
                failed++;
                continue;
            }
            String md5 = Checksums.md5Hex(bytes);
            if (verifiedUpstream(ledger, local, md5)) {
                already++;
                continue;
            }
            LedgerResult result = copyAndVerify(local, m.remotePath(), bytes, md5, stop);
            if (result == LedgerResult.VERIFIED) {
                verified++;
                LOG.infof("mark %s uploaded beside its files: %s", m.id(), settings.remotePath(m.remotePath()));
            } else {
                failed++;
            }
        }
        return new Result(verified, already, failed, loaded.bad().size());
    }

    private LedgerResult copyAndVerify(
            String local, String remotePath, byte[] bytes, String md5, BooleanSupplier stop) {
        Instant t0 = clock.instant();
        String sha256 = Checksums.sha256Hex(bytes);
        if (remote.copy(local, remotePath, stop) instanceof CopyOutcome.CopyFailed f) {
            LOG.warnf("upload of mark %s failed: %s", local, f.failure().message());
            append.accept(line(
                    local,
                    remotePath,
                    bytes.length,
                    sha256,
                    md5,
                    LedgerResult.FAILED,
                    null,
                    null,
                    t0,
                    f.failure().message()));
            return LedgerResult.FAILED;
        }
        RemoteCheck check = remote.check(remotePath, bytes.length, md5);
        var obj = switch (check) {
            case RemoteCheck.Match m -> m.remote();
            case RemoteCheck.NoHash n -> n.remote();
            case RemoteCheck.Differ d -> d.remote();
            default -> null;
        };
        String error = switch (check) {
            case RemoteCheck.Differ d -> d.what();
            case RemoteCheck.Missing m -> "object missing on the remote after a successful copy";
            case RemoteCheck.CheckFailed cf ->
                "could not read the remote hash: " + cf.failure().message();
            default -> null;
        };
        append.accept(line(
                local,
                remotePath,
                bytes.length,
                sha256,
                md5,
                check.result(),
                obj == null ? null : obj.md5(),
                obj == null ? null : obj.size(),
                t0,
                error));
        return check.result();
    }

    private LedgerEntry line(
            String local,
            String remotePath,
            long bytes,
            String sha256,
            String md5,
            LedgerResult result,
            String remoteMd5,
            Long remoteBytes,
            Instant t0,
            String error) {
        return new LedgerEntry(
                clock.instant(),
                LedgerAction.UPLOAD,
                LedgerKind.MARK,
                local,
                bytes,
                sha256,
                md5,
                settings.remotePath(remotePath),
                result,
                remoteMd5,
                remoteBytes,
                Duration.between(t0, clock.instant()).toMillis(),
                error);
    }
}
