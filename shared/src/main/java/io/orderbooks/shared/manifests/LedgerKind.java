package io.orderbooks.shared.manifests;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code kind} of object a line of {@code offload/ledger.jsonl} is about (docs/OFFLOAD.md §5). {@link #fromWire}
 * maps a kind this version does not know to {@link #UNKNOWN}, which is never written; a line without one is about
 * {@link #DATA} (the ledger's first version named only data files).
 */
public enum LedgerKind {
    /** A raw data file (or a discovery history copy). */
    DATA("data"),
    /** The manifest of a data file. */
    MANIFEST("manifest"),
    /** An artifact under {@code quarantine/} (the lines of a {@code prune}, and of a {@code quarantine}'s note). */
    QUARANTINE("quarantine"),
    /**
     * An invalid mark under {@code marks/}, uploaded beside the files it concerns and never deleted locally (written by
     * the offload of invalid marks, issue 15; listed here so that a reader of this branch does not read it as unknown).
     */
    MARK("mark"),
    /** Read only: a kind this version does not know. */
    UNKNOWN("unknown");

    private static final Map<String, LedgerKind> BY_WIRE = new HashMap<>();

    static {
        for (LedgerKind k : values()) {
            if (k != UNKNOWN) {
                BY_WIRE.put(k.wire, k);
            }
        }
    }

    private final String wire;

    LedgerKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The kind a line names; {@link #DATA} for none, {@link #UNKNOWN} for one this version does not know. */
    public static LedgerKind fromWire(String kind) {
        return kind == null ? DATA : BY_WIRE.getOrDefault(kind, UNKNOWN);
    }
}
