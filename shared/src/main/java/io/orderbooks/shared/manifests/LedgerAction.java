package io.orderbooks.shared.manifests;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code action} of a line of {@code offload/ledger.jsonl} (docs/OFFLOAD.md §5): what was done to the object.
 * {@link #fromWire} maps an action this version does not know (a newer writer's) to {@link #UNKNOWN}, which is never
 * written; a line without one is an {@link #UPLOAD} (the ledger's first version wrote only uploads).
 */
public enum LedgerAction {
    /** Copy, then verify size and MD5 on the remote. */
    UPLOAD("upload"),
    /** Retention's fresh remote check before a deletion found a problem. */
    RECHECK("recheck"),
    /** Retention removed the local copy. */
    DELETE("delete"),
    /** The local file no longer matched its manifest and went to {@code quarantine/}. */
    QUARANTINE("quarantine"),
    /** A quarantined artifact removed by age once its replacement is verified upstream (kind {@code quarantine}). */
    PRUNE("prune"),
    /** Read only: an action this version does not know. */
    UNKNOWN("unknown");

    private static final Map<String, LedgerAction> BY_WIRE = new HashMap<>();

    static {
        for (LedgerAction a : values()) {
            if (a != UNKNOWN) {
                BY_WIRE.put(a.wire, a);
            }
        }
    }

    private final String wire;

    LedgerAction(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The action a line names; {@link #UPLOAD} for none, {@link #UNKNOWN} for one this version does not know. */
    public static LedgerAction fromWire(String action) {
        return action == null ? UPLOAD : BY_WIRE.getOrDefault(action, UNKNOWN);
    }
}
