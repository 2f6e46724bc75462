package io.orderbooks.offload;

import io.orderbooks.offload.rclone.RemoteObject;
import io.orderbooks.shared.manifests.LedgerResult;

/**
 * The comparison of a local object with its remote copy, in rclone check's categories
 * (https://rclone.org/commands/rclone_check/: match, differ, missing on the destination, error) plus rclone's
 * separate "could not check hash" count, which is never a match.
 */
public sealed interface RemoteCheck {
    /**
     * The ledger result of this check, the same after an upload and after a retention recheck (issue 14: an object
     * missing after a copy was {@code failed} in one place and {@code missing} in the other).
     */
    LedgerResult result();

    record Match(RemoteObject remote) implements RemoteCheck {
        public LedgerResult result() {
            return LedgerResult.VERIFIED;
        }
    }

    /** Size or MD5 differ: the remote bytes are not ours. */
    record Differ(RemoteObject remote, String what) implements RemoteCheck {
        public LedgerResult result() {
            return LedgerResult.MISMATCH;
        }
    }

    /** No such object on the remote. */
    record Missing() implements RemoteCheck {
        public LedgerResult result() {
            return LedgerResult.MISSING;
        }
    }

    /** Same size, but the remote keeps no MD5 for it: not proof, so not verified. */
    record NoHash(RemoteObject remote) implements RemoteCheck {
        public LedgerResult result() {
            return LedgerResult.UNVERIFIED;
        }
    }

    /** The remote could not be asked: the copy may be fine, but without its hash it is not verified. */
    record CheckFailed(Failure failure) implements RemoteCheck {
        public LedgerResult result() {
            return LedgerResult.UNVERIFIED;
        }
    }

    static RemoteCheck compare(RemoteObject remote, long bytes, String md5) {
        if (remote.size() >= 0 && remote.size() != bytes) {
            return new Differ(remote, "size " + remote.size() + " != local " + bytes);
        }
        if (!remote.hasMd5()) {
            return new NoHash(remote);
        }
        if (remote.size() < 0) {
            return new NoHash(remote); // an MD5 without a size is not the comparison rclone check makes
        }
        return md5.equalsIgnoreCase(remote.md5())
                ? new Match(remote)
                : new Differ(remote, "md5 " + remote.md5() + " != local " + md5);
    }
}
