package io.orderbooks.report;

import io.orderbooks.replay.UsageException;
import io.orderbooks.report.model.QualityReport;
import io.orderbooks.report.render.JsonReport;
import io.orderbooks.report.render.TextReport;
import io.orderbooks.report.tally.ReportBuilder;
import io.orderbooks.shared.layout.DataDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The command: options in, report on {@code out} (and the JSON file), messages on {@code err}, exit code back.
 * Kept free of Quarkus so tests run it directly; {@link ReportMain} is the packaged entry point. Public because the
 * soak module runs it in process over a soak's data dir and archive (docs/SOAK.md), with the same arguments as
 * {@code make report}.
 */
public final class ReportCommand {
    public static final int OK = 0;
    public static final int INTEGRITY_PROBLEM = 1;
    public static final int USAGE = 2;

    private ReportCommand() {}

    /** Runs the report as {@code java -jar … args} would; {@code env} stands for the process environment ({@code DATA_DIR}). */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        Options options;
        try {
            options = Options.parse(args, env);
        } catch (UsageException e) {
            err.println("report: " + e.getMessage());
            err.print(Options.USAGE);
            return USAGE;
        }
        if (options.help()) {
            out.print(Options.USAGE);
            return OK;
        }
        Path root = options.dataDir();
        if (!Files.isDirectory(root)) {
            err.println("report: data dir " + root.toAbsolutePath().normalize()
                    + " does not exist or is not a directory" + " (set --data-dir or DATA_DIR)");
            return USAGE;
        }
        QualityReport report;
        try {
            report = new ReportBuilder(
                            DataDir.of(root),
                            options.from(),
                            options.to(),
                            options.verify(),
                            options.bookChecks(),
                            clock)
                    .build();
        } catch (IOException | RuntimeException e) {
            err.println("report: cannot read the data dir " + root + ": " + e);
            return USAGE;
        }
        out.print(TextReport.render(report));
        out.flush();
        if (options.json() != null) {
            try {
                Path parent = options.json().toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.write(options.json(), JsonReport.render(report));
            } catch (IOException e) {
                err.println("report: cannot write --json " + options.json() + ": " + e);
                return USAGE;
            }
        }
        return report.summary().integrityProblems() > 0 ? INTEGRITY_PROBLEM : OK;
    }
}
