package io.orderbooks.soak.check;

import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.soak.Criterion;
import io.orderbooks.soak.Findings;
import io.orderbooks.soak.input.EventLog;
import io.orderbooks.soak.input.Inputs;
import io.orderbooks.soak.input.QuarantineNote;
import io.orderbooks.soak.input.RawInventory;
import io.orderbooks.soak.input.RunManifestDoc;
import io.orderbooks.soak.input.SoakDir;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Crashes, restarts, recovery (docs/SOAK.md "Processes"): an unexpected exit, a service that ignored SIGTERM for
 * 30 s or a start that never answered its health probe is a FAIL (from {@code events.log}). The recovered files,
 * quarantine notes and run manifests by exit reason are figures.
 */
public final class ProcessCheck {
    private ProcessCheck() {}

    public record Result(
            Map<String, Map<String, Long>> byService,
            List<String> unexpected,
            long recoveredFiles,
            long droppedLines,
            List<QuarantineNote> quarantine,
            Map<String, Long> runExits,
            long offloadCrashRuns) {}

    public static Result check(SoakDir dir, List<EventLog.Entry> events, RawInventory inv, Findings findings)
            throws IOException {
        Map<String, Map<String, Long>> byService = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        for (EventLog.Entry e : events) {
            byService.computeIfAbsent(e.service(), k -> new TreeMap<>()).merge(e.event(), 1L, Long::sum);
            switch (e.event()) {
                case EventLog.UNEXPECTED_EXIT ->
                    unexpected.add(e.utc() + " " + e.service() + " (pid " + e.pid() + "): " + e.detail());
                case EventLog.NOT_UP ->
                    findings.fail(
                            Criterion.PROCESS_NOT_UP,
                            e.service() + " did not answer its health probe after a start at " + e.utc());
                case EventLog.SIGKILL_AFTER_GRACE ->
                    findings.fail(
                            Criterion.PROCESS_IGNORED_SIGTERM,
                            e.service() + " ignored SIGTERM for 30 s and was killed at " + e.utc());
                default -> {}
            }
        }
        for (String u : unexpected) {
            findings.fail(Criterion.PROCESS_UNEXPECTED_EXIT, "unexpected exit: " + u);
        }
        long recovered = 0, dropped = 0;
        for (RawInventory.Closed f : inv.closed()) {
            FileManifest m = f.manifest();
            if (m.recovered()) {
                recovered++;
                dropped += m.recovery().droppedLines();
            }
        }
        List<QuarantineNote> notes = new ArrayList<>();
        for (Path p : Inputs.walk(dir.data().resolve("quarantine"))) {
            if (p.toString().endsWith(".note.json")) {
                notes.add(QuarantineNote.read(p));
            }
        }
        Map<String, Long> runExits = new TreeMap<>();
        long offloadCrashRuns = 0;
        Path runs = dir.data().resolve("runs");
        for (Path p : Inputs.walk(runs)) {
            RunManifestDoc m = RunManifestDoc.read(p);
            String service = runs.relativize(p).getName(0).toString();
            runExits.merge(service + ":" + m.exitReason(), 1L, Long::sum);
            if (service.equals("offload-svc") && "crash-recovered".equals(m.exitReason())) {
                offloadCrashRuns++;
            }
        }
        return new Result(byService, unexpected, recovered, dropped, notes, runExits, offloadCrashRuns);
    }
}
