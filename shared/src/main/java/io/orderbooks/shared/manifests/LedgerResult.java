package io.orderbooks.shared.manifests;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code result} of a line of {@code offload/ledger.jsonl} (docs/OFFLOAD.md §5). The remote-check outcomes mean
 * the same after an upload and after a retention recheck: the object is {@link #MISSING}, {@link #MISMATCH}es,
 * has no hash ({@link #UNVERIFIED}) or {@link #VERIFIED}. {@link #fromWire} maps a result this version does not know
 * (a newer writer's) to {@link #UNKNOWN}, which is never written.
 */
public enum LedgerResult {
    /** Upload: the remote's size and MD5 equal the local ones. */
    VERIFIED("verified"),
    /** The remote's size or MD5 differ. */
    MISMATCH("mismatch"),
    /** The remote has the right size but keeps no MD5, or its hash could not be read: not proof. */
    UNVERIFIED("unverified"),
    /** The remote has no such object (after a successful copy, or at a retention recheck). */
    MISSING("missing"),
    /** The copy itself failed (rclone or the remote refused or died). */
    FAILED("failed"),
    /** Retention removed the local copy. */
    DELETED("deleted"),
    /** The local file no longer matched its manifest and went to {@code quarantine/}. */
    QUARANTINED("quarantined"),
    /** A quarantined artifact was removed once its replacement was verified upstream. */
    PRUNED("pruned"),
    /** Only in a dry run's plan: what would have been done. */
    DRY_RUN("dry-run"),
    /** Read only: a result this version does not know. */
    UNKNOWN("unknown");

    private static final Map<String, LedgerResult> BY_WIRE = new HashMap<>();

    static {
        for (LedgerResult r : values()) {
            if (r != UNKNOWN) {
                BY_WIRE.put(r.wire, r);
            }
        }
    }

    private final String wire;

    LedgerResult(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The result a line names; {@link #UNKNOWN} for null or one this version does not know. */
    public static LedgerResult fromWire(String result) {
        return result == null ? UNKNOWN : BY_WIRE.getOrDefault(result, UNKNOWN);
    }
}
