package io.orderbooks.shared;

import java.util.Locale;
import java.util.Map;

/**
 * The shapes every service's log lines share (docs/OPERATIONS.md "Reading the logs", issue 13 "Quiet, consistent
 * logs"): one unit for sizes (GiB, two decimals, no space: {@code 12.34GiB}), status lines as {@code key=value}
 * pairs, and the start-up configuration as one {@code key=value} per line, aligned, so it reads at a glance.
 */
public final class LogFormat {
    private LogFormat() {
    }

    /** {@code 12.34GiB}; {@code unknown} for a negative (unknown) size. */
    public static String gib(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.2fGiB", bytes / (double) (1L << 30));
    }

    /**
     * The start-up configuration block: a header line, then {@code   key = value} per setting with the keys padded to
     * one column. One log record (so JSON logs keep it together), several lines in {@code docker logs}.
     */
    public static String configBlock(String header, Map<String, String> settings) {
        int width = settings.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder b = new StringBuilder(header).append(" (").append(settings.size()).append(" settings):");
        settings.forEach((k, v) -> b.append("\n  ").append(k).append(" ".repeat(width - k.length())).append(" = ").append(v));
        return b.toString();
    }

    /**
     * The one line a service logs before it exits because it cannot write its data dir (issue 13 item 4): what, where,
     * and the usual fix, so a restart loop is visible in {@code docker compose logs} and not silent.
     */
    public static String unwritableDataDir(String service, String problem, int exitCode) {
        return String.format(Locale.ROOT, "FATAL: %s cannot start: %s; exiting with code %d. Make the data dir writable by "
                + "the service user (compose: sudo chown -R APP_UID:APP_GID on ORDERBOOKS_DATA_DIR, docs/OPERATIONS.md)",
                service, problem, exitCode);
    }

    /** Exit code of a service that cannot write its data dir: sysexits' EX_CANTCREAT. */
    public static final int EXIT_DATA_DIR_UNWRITABLE = 73;
}
