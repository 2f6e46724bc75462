package io.orderbooks.report;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.time.Clock;

/**
 * {@code java -jar report/target/quarkus-app/quarkus-run.jar [options]}: a Quarkus command-mode application that
 * prints the report and exits with its code (docs/REPORT.md). Nothing but the report goes to stdout.
 */
@QuarkusMain
public class ReportMain implements QuarkusApplication {
    @Override
    public int run(String... args) {
        return ReportCommand.run(args, System.getenv(), System.out, System.err, Clock.systemUTC());
    }
}
