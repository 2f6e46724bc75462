package io.orderbooks.soak;

import io.orderbooks.sim.Oracle;
import io.orderbooks.soak.check.CrashWindows;
import io.orderbooks.soak.check.DiscoveryFigures;
import io.orderbooks.soak.check.FaultCheck;
import io.orderbooks.soak.check.OffloadCheck;
import io.orderbooks.soak.check.ProcessCheck;
import io.orderbooks.soak.check.QualityCheck;
import io.orderbooks.soak.check.QualityRun;
import io.orderbooks.soak.check.ReportMarkdown;
import io.orderbooks.soak.check.ResourceCheck;
import io.orderbooks.soak.check.RestCheck;
import io.orderbooks.soak.check.WebsocketCheck;
import io.orderbooks.soak.check.WsRecording;
import io.orderbooks.soak.input.EventLog;
import io.orderbooks.soak.input.FaultLog;
import io.orderbooks.soak.input.Ledger;
import io.orderbooks.soak.input.OracleInput;
import io.orderbooks.soak.input.RawInventory;
import io.orderbooks.soak.input.Samples;
import io.orderbooks.soak.input.SoakDir;
import io.orderbooks.soak.input.SoakEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The reconciliation of a soak directory (docs/SOAK.md "How PASS/FAIL is decided"): reads every input, runs the
 * data-quality report in process, runs each family's checks in the report's order, and writes {@code report.md}.
 */
public final class Reconciler {
    /** The verdict and the report as written. */
    public record Outcome(Findings findings, String markdown) {
        public boolean pass() {
            return findings.pass();
        }
    }

    /**
     * How the data-quality report is obtained: in process by default; a test may stand in for a tool failure.
     * {@code asOf} is the end of the run, so the report's "now" (a run still marked running lasts until then) does not
     * depend on when the reconciliation runs.
     */
    public interface Quality {
        QualityRun.Outcome overDataDir(SoakDir dir, Clock asOf) throws IOException;

        QualityRun.Outcome overArchive(SoakDir dir, Clock asOf) throws IOException;
    }

    public static Quality inProcess() {
        return new Quality() {
            @Override
            public QualityRun.Outcome overDataDir(SoakDir dir, Clock asOf) throws IOException {
                return QualityRun.overDataDir(dir, asOf);
            }

            @Override
            public QualityRun.Outcome overArchive(SoakDir dir, Clock asOf) throws IOException {
                return QualityRun.overArchive(dir, asOf);
            }
        };
    }

    private Reconciler() {}

    /** {@code clock} gives the end of a run whose soak.env has none (stopped hard). */
    public static Outcome run(SoakDir dir, Quality quality, Clock clock) throws IOException {
        SoakEnv env = SoakEnv.read(dir.soakEnv());
        List<FaultLog.Entry> faults = FaultLog.read(dir.faultsLog());
        List<EventLog.Entry> events = EventLog.read(dir.eventsLog());
        long startMs = env.startMs();
        long endMs = env.endMs(clock.millis());
        double hours = Math.max(1e-9, (endMs - startMs) / 3_600_000.0);
        Clock asOf = Clock.fixed(Instant.ofEpochMilli(endMs), ZoneOffset.UTC);
        QualityRun.Outcome qualityData = quality.overDataDir(dir, asOf);
        QualityRun.Outcome qualityArchive = quality.overArchive(dir, asOf);

        Findings findings = new Findings();
        RawInventory inv = RawInventory.read(dir);
        Oracle.Snapshot oracle = OracleInput.snapshot(dir.oracle());
        CrashWindows crashes = CrashWindows.of(events, env.sampleEverySeconds());

        WsRecording wsRec = WsRecording.read(inv);
        WebsocketCheck.Result ws = WebsocketCheck.check(wsRec, oracle, events, crashes, dir.oracleFrames(), findings);
        RestCheck.Result rest = RestCheck.check(
                RestCheck.read(inv), oracle, OracleInput.restBooks(dir.oracleRest()), crashes, findings);
        DiscoveryFigures.Result discovery = DiscoveryFigures.read(dir, inv);
        long torn = wsRec.tornLines() + rest.rec().tornLines() + discovery.tornLines();
        if (torn > 0) {
            findings.fail(Criterion.TORN_LINES, torn + " torn (unterminated) lines in closed raw files");
        }
        OffloadCheck.Result offload = OffloadCheck.check(dir, env, inv, Ledger.read(dir.data()), findings);
        ProcessCheck.Result processes = ProcessCheck.check(dir, events, inv, findings);
        ResourceCheck.Result resources =
                ResourceCheck.check(Samples.read(dir.samples()), env.rssGrowthLimitMbPerHour(), hours, findings);
        FaultCheck.Result faultResult =
                FaultCheck.check(faults, env.faultsOn(), ws, rest, discovery, offload, processes, findings);
        List<QualityCheck.Judged> judged = QualityCheck.check(qualityData, qualityArchive, findings);

        String md = ReportMarkdown.render(
                new ReportMarkdown.Results(
                        env,
                        startMs,
                        endMs,
                        hours,
                        ws,
                        rest,
                        discovery,
                        offload,
                        processes,
                        resources,
                        faultResult,
                        judged),
                findings);
        Files.writeString(dir.report(), md);
        return new Outcome(findings, md);
    }
}
