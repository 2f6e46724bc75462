package io.orderbooks.offload;

import io.orderbooks.offload.rclone.RemoteObject;

/**
 * The comparison of a local object with its remote copy, in rclone check's categories
 * (https://rclone.org/commands/rclone_check/: match, differ, missing on the destination, error) plus rclone's
 * separate "could not check hash" count, which is never a match.
 */
public sealed interface RemoteCheck {
    /** The ledger result this check produces for an upload. */
    String result();

    record Match(RemoteObject remote) implements RemoteCheck {
        public String result() {
            return LedgerEntry.VERIFIED;
        }
    }

    /** Size or MD5 differ: the remote bytes are not ours. */
    record Differ(RemoteObject remote, String what) implements RemoteCheck {
        public String result() {
            return "mismatch";
        }
    }

    /** No such object on the remote. */
    record Missing() implements RemoteCheck {
        public String result() {
            return "missing";
        }
    }

    /** Same size, but the remote keeps no MD5 for it: not proof, so not verified. */
    record NoHash(RemoteObject remote) implements RemoteCheck {
        public String result() {
            return "unverified";
        }
    }

    record CheckFailed(Failure failure) implements RemoteCheck {
        public String result() {
            return "failed";
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
        return md5.equalsIgnoreCase(remote.md5()) ? new Match(remote) : new Differ(remote, "md5 " + remote.md5() + " != local " + md5);
    }
}
