package io.orderbooks.soak;

import io.orderbooks.soak.input.SoakDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code java -jar soak/target/soak.jar SOAK_DIR}: the last step of {@code make soak} (scripts/soak.sh,
 * docs/SOAK.md). Writes {@code SOAK_DIR/report.md} and the data-quality report's files; prints the verdict.
 * Exit code: 0 PASS, 1 FAIL, 2 the reconciliation itself failed (usage, unreadable input).
 */
public final class SoakMain {
    private SoakMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: java -jar soak/target/soak.jar <soak dir>");
            return 2;
        }
        Path root = Path.of(args[0]);
        if (!Files.isDirectory(root)) {
            System.err.println("soak: " + root + " is not a directory");
            return 2;
        }
        Reconciler.Outcome outcome;
        try {
            outcome = Reconciler.run(SoakDir.of(root), Reconciler.inProcess(), Clock.systemUTC());
        } catch (Exception | Error e) {
            e.printStackTrace();
            return 2;
        }
        System.out.println("verdict: " + (outcome.pass() ? "PASS" : "FAIL"));
        outcome.findings().failures().forEach(f -> System.out.println("  FAIL: " + f.message()));
        return outcome.pass() ? 0 : 1;
    }
}
