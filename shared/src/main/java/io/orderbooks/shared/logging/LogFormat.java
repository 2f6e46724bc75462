package io.orderbooks.shared.logging;

import java.util.Locale;
import java.util.Map;

/**
 * The shapes every service's log lines share (docs/OPERATIONS.md "Reading the logs", issue 13 "Quiet, consistent
 * logs"): one unit for sizes (GiB, two decimals, no space: {@code 12.34GiB}), status lines as {@code key=value}
 * pairs, and the start-up configuration as one {@code key=value} per line, so it reads at a glance.
 */
public final class LogFormat {
    private LogFormat() {}

    /** {@code 12.34GiB}; {@code unknown} for a negative (unknown) size. */
    public static String gib(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.2fGiB", bytes / (double) (1L << 30));
    }

    /**
     * The start-up configuration block: a header line, then one indented {@code key=value} per setting (the same
     * pair style as the status lines, so one grep finds a setting in both). One log record (so JSON logs keep it
     * together), several lines in {@code docker logs}.
     */
    public static String configBlock(String header, Map<String, String> settings) {
        StringBuilder b =
                new StringBuilder(header).append(" (").append(settings.size()).append(" settings):");
        settings.forEach((k, v) -> b.append("\n  ").append(k).append('=').append(v));
        return b.toString();
    }

    /**
     * The one line a service logs before it exits because it cannot write its data dir (issue 13 item 4): what, where,
     * and the usual fix, so a restart loop is visible in {@code docker compose logs} and not silent.
     */
    public static String unwritableDataDir(String service, String problem, int exitCode) {
        return String.format(
                Locale.ROOT,
                "FATAL: %s cannot start: %s; exiting with code %d. Make the data dir writable by "
                        + "the service user (compose: sudo chown -R APP_UID:APP_GID on ORDERBOOKS_DATA_DIR, docs/OPERATIONS.md)",
                service,
                problem,
                exitCode);
    }

    /** Exit code of a service that cannot write its data dir: sysexits' EX_CANTCREAT. */
    public static final int EXIT_DATA_DIR_UNWRITABLE = 73;

    /**
     * Whether the service's log file under {@code <data dir>/logs} could be opened. When it cannot (the data dir is
     * not writable), the services turn the file handler off so that the logging set-up does not print a stack trace
     * before their one FATAL line; stdout still has every line.
     */
    public static boolean logDirWritable(String dataDir) {
        // No side effect (this runs while the configuration is read, also in tests): access(2) on the logs folder, or
        // on its nearest existing parent, which is what creating it would need.
        java.nio.file.Path p = java.nio.file.Path.of(dataDir, "logs").toAbsolutePath();
        while (p != null && !java.nio.file.Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && java.nio.file.Files.isDirectory(p) && java.nio.file.Files.isWritable(p);
    }
}
