package io.orderbooks.soak.check;

import io.orderbooks.soak.Criterion;
import io.orderbooks.soak.Findings;
import io.orderbooks.soak.input.FaultLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The faults fired ({@code faults.log}) by kind, and what each caused in the data. A fault the simulator (or the
 * script) refused to apply is a FAIL: the run would not have tested what it claims (docs/SOAK.md "Processes").
 */
public final class FaultCheck {
    /** Every kind of the schedule (docs/SOAK.md "The fault schedule"), in the order of the report's table. */
    public static final List<String> KINDS = List.of(
            "silence",
            "http 429 clob",
            "http 503 clob",
            "slow",
            "malformed ws",
            "malformed rest",
            "http 503 gamma",
            "discovery-sigterm-restart",
            "http 429 gamma",
            "kill-collector",
            "kill-offload",
            "offload-restart",
            "unknown-field on",
            "unknown-field off",
            "disappear",
            "close",
            "new-market",
            "drop",
            "refuse",
            "rclone-kill",
            "rclone-restart");

    private FaultCheck() {}

    /** {@code fired}: count per kind (every kind listed); {@code effects}: what each kind caused, by kind. */
    public record Result(long cycles, Map<String, Long> fired, Map<String, String> effects) {}

    /** The kind of a logged fault name: {@code http status=429 count=3 scope=clob} is {@code http 429 clob}. */
    static String kindOf(String name) {
        if (name.startsWith("http ")) {
            return "http " + name.replaceAll(".*status=(\\d+).*", "$1") + " "
                    + name.replaceAll(".*scope=(\\w+).*", "$1");
        } else if (name.startsWith("malformed")) {
            return "malformed " + name.replaceAll(".*target=(\\w+).*", "$1");
        } else if (name.startsWith("unknown-field")) {
            return name.contains("true") ? "unknown-field on" : "unknown-field off";
        } else if (name.contains(" ")) {
            return name.substring(0, name.indexOf(' '));
        }
        return name;
    }

    public static Result check(
            List<FaultLog.Entry> faults,
            boolean faultsOn,
            WebsocketCheck.Result ws,
            RestCheck.Result rest,
            DiscoveryFigures.Result discovery,
            OffloadCheck.Result offload,
            ProcessCheck.Result processes,
            Findings findings) {
        Map<String, Long> fired = new LinkedHashMap<>();
        KINDS.forEach(k -> fired.put(k, 0L));
        long midUpload = 0;
        for (FaultLog.Entry f : faults) {
            fired.merge(kindOf(f.fault()), 1L, Long::sum);
            if (f.fault().equals("kill-offload") && f.detail().contains("mid-upload")) {
                midUpload++;
            }
        }
        for (FaultLog.Entry f : faults) {
            if (f.refused()) {
                findings.fail(
                        Criterion.FAULT_NOT_APPLIED,
                        "a fault could not be applied: " + f.utc() + " " + f.fault() + ": " + f.detail());
            }
        }
        long cycles = faults.stream().mapToLong(FaultLog.Entry::cycle).max().orElse(0);
        WsRecording wr = ws.recording();
        RestCheck.Recording rr = rest.rec();
        Map<String, String> effect = new LinkedHashMap<>();
        effect.put(
                "silence",
                "`stale` events: " + wr.events.getOrDefault("stale", 0L) + "; stale gaps: " + wr.gapCount("stale"));
        effect.put("http 429 clob", "`rate_limited` events in rest_books: " + rr.rateLimited);
        effect.put(
                "http 503 clob",
                "REST error lines by status " + rr.errors + ", failed requests " + rr.failedRequests
                        + " (5xx are retried first)");
        effect.put("slow", "slowest REST answer " + rr.maxLatency + " ms");
        effect.put("malformed ws", "ws frames kept as `frame_text`: " + wr.unparsed);
        effect.put(
                "malformed rest",
                "the simulator corrupted " + rest.corrupted()
                        + " response bodies (whichever REST or Gamma answer came next); "
                        + "REST error lines with status 0 (unreadable body, or no answer): "
                        + rr.errors.getOrDefault("0", 0L)
                        + "; Gamma error lines with status 200 (unreadable page): "
                        + discovery.errors().getOrDefault("200", 0L));
        effect.put("unknown-field on", "frames / books carrying it: " + wr.unknownField + " / " + rr.unknownField);
        effect.put("disappear", "REST tokens reported missing in rounds: " + rr.missing);
        effect.put("http 503 gamma", "Gamma error lines by status " + discovery.errors());
        effect.put("http 429 gamma", "`rate_limited` events in gamma_markets: " + discovery.rateLimited());
        effect.put("drop", "disconnects: " + wr.disconnectReasons);
        effect.put("refuse", "`connect_failed` events: " + wr.events.getOrDefault("connect_failed", 0L));
        effect.put("kill-collector", "recovered files: " + processes.recoveredFiles());
        effect.put(
                "kill-offload",
                midUpload + " of the kills hit an upload in flight; offload runs that ended in a crash (run manifests "
                        + "`crash-recovered`): " + processes.offloadCrashRuns()
                        + "; the files being uploaded are verified on the remote afterwards (Offload section)");
        effect.put(
                "rclone-kill",
                "offload runs that found rclone unreachable: " + offload.unreachableRuns()
                        + "; failed uploads in the ledger: " + offload.ledgerFailed());
        effect.put("discovery-sigterm-restart", "discovery process runs by exit reason " + discovery.exits());
        effect.put(
                "new-market",
                "`new_market` websocket events: " + wr.kinds.getOrDefault("new_market", 0L) + "; tokens.json versions: "
                        + discovery.tokenVersions());
        effect.put(
                "close",
                "closed and vanished markets leave tokens.json at the next discovery run (see the REST `missing` count)");
        List<String> never = fired.entrySet().stream()
                .filter(e -> e.getValue() == 0)
                .map(Map.Entry::getKey)
                .toList();
        if (!never.isEmpty() && faultsOn) {
            findings.note("fault kinds that never fired (the run was shorter than one cycle): " + never);
        }
        return new Result(cycles, fired, effect);
    }
}
