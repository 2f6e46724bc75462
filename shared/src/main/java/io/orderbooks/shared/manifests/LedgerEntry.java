package io.orderbooks.shared.manifests;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;

/**
 * One line of {@code offload/ledger.jsonl}: one attempt on one object. Written by offload-svc, read by it and by
 * the report (docs/OFFLOAD.md §5).
 *
 * @param action     {@code upload} (copy then verify), {@code recheck} (retention's fresh remote check found a
 *                   problem), {@code delete} (retention removed the local copy), {@code quarantine}, {@code prune}
 *                   ({@link LedgerAction})
 * @param kind       {@code data} (the raw file), {@code manifest} (its manifest), {@code quarantine} (a quarantined
 *                   artifact) or {@code mark} (an invalid mark) ({@link LedgerKind})
 * @param result     upload: {@code verified|mismatch|missing|failed|unverified}; recheck: {@code mismatch|missing|unverified};
 *                   delete: {@code deleted}; quarantine: {@code quarantined}; prune: {@code pruned} ({@link LedgerResult})
 * @param remoteMd5  what the remote reported (null when it reported none)
 * @param remoteBytes what the remote reported (null when the object was not found or not checked)
 * @param reason     why a {@code delete} or {@code prune} happened ({@link LedgerReason}); null for the other actions
 *                   and in lines written before it existed
 *     <p>A reader never throws on a word this version does not know: it reads as {@code UNKNOWN}, which is never
 *     written.
 */
public record LedgerEntry(
        Instant time,
        LedgerAction action,
        LedgerKind kind,
        String file,
        long bytes,
        String sha256,
        String md5,
        String remote,
        LedgerResult result,
        String remoteMd5,
        Long remoteBytes,
        long durationMs,
        String error,
        LedgerReason reason) {
    /** Every line but {@code delete} and {@code prune}: no reason. */
    public LedgerEntry(
            Instant time,
            LedgerAction action,
            LedgerKind kind,
            String file,
            long bytes,
            String sha256,
            String md5,
            String remote,
            LedgerResult result,
            String remoteMd5,
            Long remoteBytes,
            long durationMs,
            String error) {
        this(
                time,
                action,
                kind,
                file,
                bytes,
                sha256,
                md5,
                remote,
                result,
                remoteMd5,
                remoteBytes,
                durationMs,
                error,
                null);
    }

    public LedgerEntry {
        if (result == null || action == null || kind == null) {
            throw new IllegalArgumentException("a ledger line needs an action, a kind and a result");
        }
    }

    /** A verified upload. */
    public boolean verified() {
        return action == LedgerAction.UPLOAD && result == LedgerResult.VERIFIED;
    }

    /** Retention removed the local copy (after a verification and a fresh remote recheck). */
    public boolean deletedByRetention() {
        return action == LedgerAction.DELETE && result == LedgerResult.DELETED;
    }

    /** The line with its newline, as appended to the ledger. Never for a line read with an {@code UNKNOWN} word. */
    public byte[] toJsonLine() {
        byte[] json = Json.write(this::write);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    public void write(JsonGenerator g) throws IOException {
        if (result == LedgerResult.UNKNOWN
                || action == LedgerAction.UNKNOWN
                || kind == LedgerKind.UNKNOWN
                || reason == LedgerReason.UNKNOWN) {
            throw new IllegalStateException("a word this version does not know is never written: " + this);
        }
        g.writeStartObject();
        g.writeStringField("time", time.toString());
        g.writeStringField("action", action.wire());
        g.writeStringField("kind", kind.wire());
        g.writeStringField("file", file);
        g.writeNumberField("bytes", bytes);
        g.writeStringField("sha256", sha256);
        g.writeStringField("md5", md5);
        g.writeStringField("remote", remote);
        g.writeStringField("result", result.wire());
        g.writeStringField("remote_md5", remoteMd5);
        if (remoteBytes == null) {
            g.writeNullField("remote_bytes");
        } else {
            g.writeNumberField("remote_bytes", remoteBytes);
        }
        g.writeNumberField("duration_ms", durationMs);
        if (error != null) {
            g.writeStringField("error", error);
        }
        if (reason != null) {
            g.writeStringField("reason", reason.wire());
        }
        g.writeEndObject();
    }

    /** One ledger line; throws {@link IllegalArgumentException} for a line that is not one. */
    public static LedgerEntry parse(JsonNode n) {
        if (n == null || !n.isObject() || !n.hasNonNull("file") || !n.hasNonNull("result") || !n.hasNonNull("time")) {
            throw new IllegalArgumentException("not a ledger line");
        }
        return new LedgerEntry(
                Instant.parse(n.get("time").asText()),
                LedgerAction.fromWire(Json.text(n, "action")),
                LedgerKind.fromWire(Json.text(n, "kind")),
                n.get("file").asText(),
                n.path("bytes").asLong(),
                Json.text(n, "sha256"),
                Json.text(n, "md5"),
                Json.text(n, "remote"),
                LedgerResult.fromWire(n.get("result").asText()),
                Json.text(n, "remote_md5"),
                n.hasNonNull("remote_bytes") ? n.get("remote_bytes").asLong() : null,
                n.path("duration_ms").asLong(),
                Json.text(n, "error"),
                LedgerReason.fromWire(Json.text(n, "reason")));
    }
}
