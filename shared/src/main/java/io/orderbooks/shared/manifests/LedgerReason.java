package io.orderbooks.shared.manifests;

import java.util.HashMap;
import java.util.Map;

/**
 * Why a {@code delete} or {@code prune} line of {@code offload/ledger.jsonl} happened (docs/OFFLOAD.md §5,
 * "Retention"); other lines, and lines written before the field existed, have none (null). {@link #fromWire} maps a
 * reason this version does not know to {@link #UNKNOWN}, which is never written.
 */
public enum LedgerReason {
    /** The file's time was up ({@code offload.keep-days}). */
    KEEP_DAYS("keep-days"),
    /** Free space below {@code offload.retention-min-free}: deleted before its time. */
    DISK_LOW("disk-low"),
    /** A quarantined original whose recovered file is verified upstream. */
    REPLACEMENT_VERIFIED("replacement-verified"),
    /** Read only: a reason this version does not know. */
    UNKNOWN("unknown");

    private static final Map<String, LedgerReason> BY_WIRE = new HashMap<>();

    static {
        for (LedgerReason r : values()) {
            if (r != UNKNOWN) {
                BY_WIRE.put(r.wire, r);
            }
        }
    }

    private final String wire;

    LedgerReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The reason a line names; null for none, {@link #UNKNOWN} for one this version does not know. */
    public static LedgerReason fromWire(String reason) {
        return reason == null ? null : BY_WIRE.getOrDefault(reason, UNKNOWN);
    }
}
