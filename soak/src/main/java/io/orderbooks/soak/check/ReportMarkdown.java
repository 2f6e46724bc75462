package io.orderbooks.soak.check;

import io.orderbooks.soak.Findings;
import io.orderbooks.soak.input.QualityJson;
import io.orderbooks.soak.input.QuarantineNote;
import io.orderbooks.soak.input.SoakEnv;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.md}: the verdict, the run's settings, then one section per family, in the order docs/SOAK.md
 * describes them, then the notes. Only rendering: every figure comes from the checks' results.
 */
public final class ReportMarkdown {
    private ReportMarkdown() {}

    /** Everything the report shows. {@code quality} is empty when the report could not run at all. */
    public record Results(
            SoakEnv env,
            long startMs,
            long endMs,
            double hours,
            WebsocketCheck.Result ws,
            RestCheck.Result rest,
            DiscoveryFigures.Result discovery,
            OffloadCheck.Result offload,
            ProcessCheck.Result processes,
            ResourceCheck.Result resources,
            FaultCheck.Result faults,
            List<QualityCheck.Judged> quality) {}

    public static String render(Results r, Findings findings) {
        StringBuilder md = new StringBuilder();
        SoakEnv env = r.env();
        boolean pass = findings.pass();
        md.append("# Soak report — simulated run against polymarket-sim\n\n");
        md.append("**Verdict: ").append(pass ? "PASS" : "FAIL").append("**");
        md.append(pass ? " (every check below held)\n\n" : "\n\n");
        for (Findings.Failure f : findings.failures()) {
            md.append("- FAIL: ").append(f.message()).append('\n');
        }
        if (!pass) {
            md.append('\n');
        }
        md.append("| | |\n|---|---|\n");
        md.append("| started | ")
                .append(CrashWindows.UTC.format(Instant.ofEpochMilli(r.startMs())))
                .append(" |\n");
        md.append("| ended | ")
                .append(CrashWindows.UTC.format(Instant.ofEpochMilli(r.endMs())))
                .append(" (")
                .append(env.get("stop_reason", "unknown"))
                .append(") |\n");
        md.append("| ran | ")
                .append(String.format(Locale.ROOT, "%.2f h", r.hours()))
                .append(" of the planned ")
                .append(String.format(Locale.ROOT, "%.2f h", env.number("duration_s", 0) / 3600.0))
                .append(" |\n");
        md.append("| settings | ")
                .append(env.get("sim_markets"))
                .append(" markets, churn every ")
                .append(env.get("sim_churn_s"))
                .append(" s; a fault every ")
                .append(env.get("fault_every_s"))
                .append(" s (")
                .append(env.get("faults"))
                .append("); discovery every ")
                .append(env.get("discovery_interval_s"))
                .append(" s; REST snapshots every ")
                .append(env.get("snapshot_interval_s"))
                .append(" s; stale after ")
                .append(env.get("stale_after_s"))
                .append(" s; offload every ")
                .append(env.get("offload_interval_s"))
                .append(" s, keep-days ")
                .append(env.get("offload_keep_days"))
                .append("; oracle sidecar ")
                .append(env.get("oracle_frames"))
                .append(" |\n");
        md.append("| build | git ")
                .append(env.get("git"))
                .append("; ")
                .append(env.get("java"))
                .append("; ")
                .append(env.get("rclone"))
                .append(" |\n");
        md.append("| host | ").append(env.get("host")).append(" |\n\n");
        md.append("This is a **simulated** soak: polymarket-sim stands in for Polymarket and a local folder behind ")
                .append(
                        "`rclone rcd` for Google Drive. It is evidence about the services' behaviour under the injected ")
                .append("faults, not about the real endpoints.\n\n");
        ws(md, r.ws());
        rest(md, r.rest());
        discovery(md, r.discovery());
        offload(md, r.offload());
        processes(md, r.processes());
        resources(md, r.resources());
        faults(md, r.faults(), env);
        quality(md, r.quality());
        if (!findings.notes().isEmpty()) {
            md.append("## Notes\n\n");
            findings.notes().forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
        return md.toString();
    }

    static void ws(StringBuilder s, WebsocketCheck.Result r) {
        s.append("## Websocket: recorded frames against the simulator's oracle\n\n");
        if (!r.oracleSaved()) {
            s.append("No final oracle was saved, so nothing can be reconciled.\n\n");
            return;
        }
        WsRecording w = r.recording();
        s.append("| | |\n|---|---|\n");
        s.append("| oracle connections | ")
                .append(r.oracleConnections())
                .append(" (")
                .append(r.exact())
                .append(" matched exactly: same frame count and SHA-256) |\n");
        s.append("| collector connections recorded | ")
                .append(w.conns.size())
                .append(" in ")
                .append(w.files)
                .append(" ws_market files |\n");
        s.append("| frames sent | ").append(r.sent()).append(" |\n");
        s.append("| frames recorded | ").append(r.recorded()).append(" |\n");
        s.append("| missing, explained | ")
                .append(r.missingExplained())
                .append(" (the tail of a connection that a collector crash ended, or queue-full gaps) |\n");
        s.append("| **missing, unexplained** | **")
                .append(r.missingUnexplained())
                .append("** (must be 0) |\n");
        s.append("| recorded but not sent / altered | ")
                .append(r.extra())
                .append(" frames / ")
                .append(r.corrupt())
                .append(" connections (must be 0) |\n");
        s.append("| truncated connections checked frame by frame | ")
                .append(r.prefixVerified())
                .append(" verified against the sidecar, ")
                .append(r.prefixUnverifiable())
                .append(" not checkable |\n");
        s.append("| unparsed frames kept as `frame_text` | ").append(w.unparsed).append(" |\n");
        s.append("| frames with the injected unknown field | ")
                .append(w.unknownField)
                .append(" |\n");
        s.append("| queue-full lost lines | ").append(w.queueFullLost).append(" |\n\n");
        s.append(
                        "How to read this: the oracle counts only frames that went onto the wire, so frames are never \"sent\" while the ")
                .append(
                        "collector is disconnected; a disconnection, stall or refusal is a **gap in time** (below), not missing frames. ")
                .append(
                        "Frames can go missing only on a live connection: when the collector process is killed (`kill -9`: the last ")
                .append(
                        "≤ 50 ms not yet handed to the file, and whatever the server wrote before it noticed) or when its write queue ")
                .append(
                        "overflows (a `queue-full` gap). Each oracle connection is matched to the collector's recording by frame count ")
                .append("and SHA-256, or, when the tail is missing, by connect time; ")
                .append(
                        "a tail is explained only if the connection closed within 2 s before to 30 s after a collector crash.\n\n");
        if (!r.rows().isEmpty()) {
            s.append("Connections that are not an exact match:\n\n");
            s.append(
                    "| oracle | collector (match) | opened | closed | sent | recorded | explanation |\n|---|---|---|---|---|---|---|\n");
            for (WebsocketCheck.Row row : r.rows()) {
                s.append("| ")
                        .append(row.oracleId())
                        .append(" | ")
                        .append(row.collector())
                        .append(" | ")
                        .append(CrashWindows.timeOfDay(row.openedMs()))
                        .append(" | ")
                        .append(row.closedMs() == 0 ? "open" : CrashWindows.timeOfDay(row.closedMs()))
                        .append(" | ")
                        .append(row.sent())
                        .append(" | ")
                        .append(row.recorded())
                        .append(" | ")
                        .append(row.explanation())
                        .append(" |\n");
            }
            s.append('\n');
        }
        s.append(
                "Gaps (from the file manifests) and connection events:\n\n| gap reason | count | total | longest |\n|---|---|---|---|\n");
        if (w.gaps.isEmpty()) {
            s.append("| (none) | 0 | | |\n");
        }
        w.gaps.forEach((k, v) -> s.append("| ")
                .append(k)
                .append(" | ")
                .append(v[0])
                .append(" | ")
                .append(String.format(Locale.ROOT, "%.1f s", v[1] / 1e6))
                .append(" | ")
                .append(String.format(Locale.ROOT, "%.1f s", v[2] / 1e6))
                .append(" |\n"));
        s.append("\nRecords by kind: ")
                .append(w.kinds)
                .append(".\n\nEvents: ")
                .append(w.events.isEmpty() ? "none" : w.events.toString())
                .append(". Disconnect reasons: ")
                .append(w.disconnectReasons.isEmpty() ? "none" : w.disconnectReasons.toString())
                .append(".\n\n");
    }

    static void rest(StringBuilder s, RestCheck.Result r) {
        RestCheck.Recording rec = r.rec();
        s.append("## REST snapshots (`rest_books`)\n\n");
        s.append("| | |\n|---|---|\n");
        s.append("| snapshot rounds | ")
                .append(rec.rounds.values().stream().mapToLong(Long::longValue).sum())
                .append(" ")
                .append(rec.rounds)
                .append(", ")
                .append(rec.late)
                .append(" late |\n");
        s.append("| books planned / received / missing | ")
                .append(rec.planned)
                .append(" / ")
                .append(rec.received)
                .append(" / ")
                .append(rec.missing)
                .append(" (missing = tokens whose book did not come: closed or vanished markets, failed requests) |\n");
        s.append("| books stored | ")
                .append(rec.books)
                .append(" (simulator served ")
                .append(r.servedTotal())
                .append(" in intact responses; ")
                .append(r.corrupted())
                .append(" responses corrupted on purpose) |\n");
        s.append("| per token, stored = served (count and SHA-256) | ")
                .append(r.equal())
                .append(" of ")
                .append(r.tokensServed())
                .append(" tokens |\n");
        s.append("| per token, stored < served | ")
                .append(r.shortAssets())
                .append(" tokens, ")
                .append(r.shortBy())
                .append(" books (responses in flight when the collector was killed: ")
                .append(r.kills())
                .append(" kills) |\n");
        s.append("| per token, stored > served or different | ")
                .append(r.extraAssets())
                .append(" / ")
                .append(r.mismatch())
                .append(" (must be 0) |\n");
        s.append("| failed requests (rounds' `failed_requests`) | ")
                .append(rec.failedRequests)
                .append(" |\n");
        s.append("| error lines by status | ")
                .append(rec.errors.isEmpty() ? "none" : rec.errors.toString())
                .append(" |\n");
        s.append("| `rate_limited` events (429) | ").append(rec.rateLimited).append(" |\n");
        s.append("| slowest answer | ").append(rec.maxLatency).append(" ms |\n");
        s.append("| books with the injected unknown field | ")
                .append(rec.unknownField)
                .append(" |\n\n");
    }

    static void discovery(StringBuilder s, DiscoveryFigures.Result r) {
        s.append("## Discovery (`gamma_markets`, tokens.json)\n\n| | |\n|---|---|\n");
        s.append("| discovery runs / lists published | ")
                .append(r.runs())
                .append(" / ")
                .append(r.published())
                .append(" (")
                .append(r.tokenVersions())
                .append(" tokens.json versions in history) |\n");
        s.append("| Gamma pages recorded | ").append(r.pages()).append(" |\n");
        s.append("| error lines by status | ")
                .append(r.errors().isEmpty() ? "none" : r.errors().toString())
                .append(" |\n");
        s.append("| `rate_limited` events (429) | ").append(r.rateLimited()).append(" |\n");
        s.append("| process runs by exit reason | ").append(r.exits()).append(" |\n\n");
    }

    static void offload(StringBuilder s, OffloadCheck.Result r) {
        s.append("## Offload (remote copies, ledger, retention)\n\n");
        s.append("| | |\n|---|---|\n");
        s.append("| local closed files on the remote with the manifest's MD5 (data and manifest) | ")
                .append(r.ok())
                .append(" of ")
                .append(r.localClosed())
                .append(" |\n");
        s.append("| deleted by retention (keep-days 0: hours that had ended) | ")
                .append(r.retentionDeleted())
                .append(", of which ")
                .append(r.deletedOk())
                .append(" verified before deletion and still on the remote with that MD5 |\n");
        s.append("| data files on the remote | ")
                .append(r.remoteFiles())
                .append(" (+ ")
                .append(r.dailyManifests())
                .append(" daily upload manifests) |\n");
        s.append("| ledger lines by action:result | ").append(r.results()).append(" |\n");
        s.append("| files uploaded more than once (after a failure, a kill or an outage) | ")
                .append(r.reuploads())
                .append(" |\n");
        s.append("| `.open` / data without manifest left locally | ")
                .append(r.openFiles())
                .append(" / ")
                .append(r.noManifest())
                .append(" |\n");
        s.append("| final flush emptied the backlog | ").append(r.finalFlush()).append(" |\n\n");
        r.bad().stream()
                .limit(10)
                .forEach(b -> s.append("- not on the remote: ").append(b).append('\n'));
        r.badDeletes().stream()
                .limit(10)
                .forEach(b ->
                        s.append("- deleted before verification: ").append(b).append('\n'));
        if (!r.bad().isEmpty() || !r.badDeletes().isEmpty()) {
            s.append('\n');
        }
    }

    static void processes(StringBuilder s, ProcessCheck.Result r) {
        s.append("## Crashes, restarts, recovery\n\n");
        s.append("| service | process events |\n|---|---|\n");
        r.byService()
                .forEach((k, v) ->
                        s.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        s.append("\n| | |\n|---|---|\n");
        s.append("| unexpected exits (watchdog restarts) | ")
                .append(r.unexpected().size())
                .append(" (must be 0) |\n");
        s.append("| recovered files (`\"recovered\": true`) | ")
                .append(r.recoveredFiles())
                .append(", ")
                .append(r.droppedLines())
                .append(" torn lines dropped |\n");
        s.append("| quarantine entries | ").append(r.quarantine().size()).append(" |\n");
        s.append("| run manifests by exit reason | ").append(r.runExits()).append(" |\n\n");
        for (QuarantineNote n : r.quarantine().stream().limit(20).toList()) {
            s.append("- quarantined `")
                    .append(n.original())
                    .append("`: ")
                    .append(n.reason())
                    .append('\n');
        }
        if (!r.quarantine().isEmpty()) {
            s.append('\n');
        }
    }

    static void resources(StringBuilder s, ResourceCheck.Result r) {
        s.append("## Resources (samples.csv)\n\n");
        if (!r.sampled()) {
            s.append("No samples.\n\n");
            return;
        }
        s.append(
                "| service | RSS start / max / end (MB) | growth (MB/h, per process ≥ 30 min, after 10 min warm-up) | CPU s/h (% of a core) | fds start / max / end | threads start / max / end | processes | probe failures (longest run) |\n");
        s.append("|---|---|---|---|---|---|---|---|\n");
        for (ResourceCheck.ServiceRow v : r.services()) {
            if (!v.sampled()) {
                s.append("| ").append(v.service()).append(" | no samples | | | | | | |\n");
                continue;
            }
            s.append(String.format(
                    Locale.ROOT,
                    "| %s | %.0f / %.0f / %.0f | %s | %.0f (%.1f %%) | %.0f / %.0f / %.0f | %.0f / %.0f / %.0f | %d | %d (%d) |\n",
                    v.service(),
                    v.rssFirst(),
                    v.rssMax(),
                    v.rssLast(),
                    v.growth().isEmpty() ? "no process lived long enough" : String.join("; ", v.growth()),
                    v.cpuS() / r.hours(),
                    v.cpuS() / r.hours() / 36.0,
                    v.fdsFirst(),
                    v.fdsMax(),
                    v.fdsLast(),
                    v.threadsFirst(),
                    v.threadsMax(),
                    v.threadsLast(),
                    v.processes(),
                    v.probeDown(),
                    v.probeLongest()));
        }
        s.append("\n| | first sample | last sample | max |\n|---|---|---|---|\n");
        for (ResourceCheck.Total t : r.totals()) {
            s.append("| ")
                    .append(t.column())
                    .append(" | ")
                    .append(human(t.column(), t.first()))
                    .append(" | ")
                    .append(human(t.column(), t.last()))
                    .append(" | ")
                    .append(human(t.column(), String.valueOf(t.max())))
                    .append(" |\n");
        }
        s.append("\nCPU is user + system time over the run's ")
                .append(String.format(Locale.ROOT, "%.2f", r.hours()))
                .append(
                        " h (all processes of the service summed). Heap caps: collector 268 MB, discovery 192 MB, offload 153 MB, ")
                .append(
                        "sim 512 MB (compose's memory limits × MaxRAMPercentage 60 %, as scripts/soak.sh starts them); RSS growth is ")
                .append(
                        "judged per process, because the faults restart the collector, offload, discovery and rclone once per cycle. Limit: ")
                .append(String.format(Locale.ROOT, "%.0f MB/h.", r.limit()))
                .append("\n\n");
    }

    static String human(String col, String v) {
        if (v == null || v.isEmpty()) {
            return "—";
        }
        if (col.endsWith("_bytes")) {
            double b = io.orderbooks.soak.input.Inputs.parseDouble(v);
            return b >= 1e9
                    ? String.format(Locale.ROOT, "%.2f GB", b / 1e9)
                    : String.format(Locale.ROOT, "%.1f MB", b / 1e6);
        }
        return v;
    }

    static void faults(StringBuilder s, FaultCheck.Result r, SoakEnv env) {
        s.append("## Faults fired (faults.log) and what they caused\n\n");
        s.append("Cycles started: ")
                .append(r.cycles())
                .append(". Each cycle fires every fault once, in this order, one slot every ")
                .append(env.get("fault_every_s"))
                .append(" s (the silence, the offload kill and the rclone outage hold the later slots ")
                .append("back as needed).\n\n| fault | fired | observed effect |\n|---|---|---|\n");
        r.fired()
                .forEach((k, v) -> s.append("| ")
                        .append(k)
                        .append(" | ")
                        .append(v)
                        .append(" | ")
                        .append(r.effects().getOrDefault(k, ""))
                        .append(" |\n"));
        s.append('\n');
    }

    static void quality(StringBuilder s, List<QualityCheck.Judged> runs) {
        s.append("## Data-quality report (report/ module)\n\n");
        for (QualityCheck.Judged j : runs) {
            QualityRun.Outcome o = j.outcome();
            boolean data = j.what().equals("the data dir");
            s.append("### Over ")
                    .append(j.what())
                    .append("\n\n")
                    .append(
                            data
                                    ? "The report, run in process (as `make report --data-dir <soak>/data --json <soak>/quality.json` would)"
                                    : "The same report over the whole archive (`--json <soak>/quality-archive.json`)")
                    .append(", exited ")
                    .append(o.code())
                    .append(
                            o.code() == 0
                                    ? " (no integrity problem)"
                                    : o.code() == 1 ? " (integrity problems)" : " (the tool failed)")
                    .append(". ")
                    .append(
                            data
                                    ? "It reads the local data dir: the hours that retention has already deleted (verified on the remote) are not in it."
                                    : "The data dir plus, hard-linked from the remote, the closed files that retention deleted (their MD5 was verified "
                                            + "above): every hour of the run. Its offload section lists those files as pending, because the ledger's "
                                            + "last word on them is `delete`; that is an artefact of this view, not a backlog.")
                    .append("\n\n```\n")
                    .append(o.text().stripTrailing())
                    .append("\n```\n\n");
            List<QualityJson.Problem> problems =
                    o.json() == null ? List.of() : o.json().problems();
            if (!problems.isEmpty()) {
                s.append("Integrity problems (from `").append(o.base()).append(".json`):\n\n");
                problems.stream()
                        .limit(20)
                        .forEach(p -> s.append("- ")
                                .append(p.kind())
                                .append(" `")
                                .append(p.file())
                                .append("`: ")
                                .append(p.detail())
                                .append('\n'));
                s.append('\n');
            }
        }
    }
}
