package io.orderbooks.soak.check;

import io.orderbooks.report.ReportCommand;
import io.orderbooks.soak.Criterion;
import io.orderbooks.soak.Findings;
import java.util.List;

/**
 * Data quality (docs/SOAK.md): exit 1 of the report (integrity problems) over the data dir or over the archive is a
 * FAIL; so is any other non-zero exit (the tool failed).
 */
public final class QualityCheck {
    private QualityCheck() {}

    /** One judged run: what it covered and how it went. */
    public record Judged(String what, QualityRun.Outcome outcome) {}

    public static List<Judged> check(QualityRun.Outcome data, QualityRun.Outcome archive, Findings findings) {
        List<Judged> out = archive == null
                ? List.of(new Judged("the data dir", data))
                : List.of(new Judged("the data dir", data), new Judged("the whole archive", archive));
        for (Judged j : out) {
            int code = j.outcome().code();
            if (code == ReportCommand.INTEGRITY_PROBLEM) {
                findings.fail(
                        Criterion.QUALITY_PROBLEMS,
                        "the data-quality report over " + j.what() + " found integrity problems (exit 1)");
            } else if (code != ReportCommand.OK) {
                String err = j.outcome().err().strip();
                findings.fail(
                        Criterion.QUALITY_TOOL_FAILED,
                        "the data-quality report over " + j.what() + " failed to run (exit " + code + ")"
                                + (err.isEmpty() ? "" : ": " + RestCheck.abbrev(err)));
            }
        }
        return out;
    }
}
