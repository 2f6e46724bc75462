package io.orderbooks.soak.input;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The parts of the data-quality report's JSON ({@code orderbooks.quality-report/1}, docs/REPORT.md) the soak report
 * quotes: the summary and the integrity problems.
 */
public record QualityJson(String schema, Summary summary, Integrity integrity) {
    public record Summary(long files, long records, long integrityProblems, String verdict) {}

    public record Integrity(long filesChecked, long problemCount, List<Problem> problems) {
        public Integrity {
            problems = problems == null ? List.of() : problems;
        }
    }

    public record Problem(String kind, String file, String detail) {}

    /** The report's JSON, or null when it was not written. */
    public static QualityJson read(Path p) throws IOException {
        return Inputs.json(p, QualityJson.class);
    }

    public List<Problem> problems() {
        return integrity == null ? List.of() : integrity.problems();
    }
}
