package io.orderbooks.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The progress line of a long replay or export on stderr (issue 15, "made for people"): where in the range it is,
 * files opened, records, rate, time left, tokens and the hash tally. At most every 2 s, rewritten in place on a
 * terminal; a new line every 30 s otherwise (a log file or `docker compose run -T`). Time left assumes the rest of
 * the range is as dense as what was read, so it is an estimate, labelled as one.
 */
final class Progress {
    private final String label;
    private final PrintStream err;
    private final boolean on;
    private final boolean terminal = System.console() != null;
    private final long fromUs;
    private final long toUs;
    private final long started = System.nanoTime();
    private long next = System.nanoTime() + 2_000_000_000L;
    private boolean printed;

    Progress(String label, PrintStream err, boolean on, long fromUs, long toUs) {
        this.label = label;
        this.err = err;
        this.on = on;
        this.fromUs = fromUs;
        this.toUs = toUs;
    }

    void tick(long recvUs, ReplayEngine engine, RecordSource source) {
        if (!on || (engine.counts.records & 1023) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (now < next) {
            return;
        }
        next = now + (terminal ? 2_000_000_000L : 30_000_000_000L);
        err.print(
                terminal ? "\r" + line(recvUs, now, engine, source) + "   " : line(recvUs, now, engine, source) + "\n");
        err.flush();
        printed = true;
    }

    String line(long recvUs, long nowNanos, ReplayEngine engine, RecordSource source) {
        double secs = Math.max(1e-3, (nowNanos - started) / 1e9);
        double share = Math.max(0, Math.min(1, (recvUs - fromUs) / (double) Math.max(1, toUs - fromUs)));
        Tally t = engine.total();
        return String.format(
                Locale.ROOT,
                "%s: at %s (%.0f %% of the range), %,d files, %,d records, %,.0f/s, about %s left, %,d tokens,"
                        + " hashes %,d agreed %,d disagreed",
                label,
                Instant.EPOCH.plus(recvUs, ChronoUnit.MICROS).truncatedTo(ChronoUnit.SECONDS),
                share * 100,
                source.filesOpened,
                engine.counts.records,
                engine.counts.records / secs,
                left(secs, share),
                engine.books().size(),
                t.hashAgreed,
                t.hashDisagreed);
    }

    /** Seconds left at the rate so far, as 1h05m, 4m10s or 12s; "?" before anything of the range was read. */
    static String left(double elapsedSecs, double share) {
        if (share <= 0) {
            return "?";
        }
        Duration d = Duration.ofSeconds(Math.round(elapsedSecs * (1 - share) / share));
        if (d.toHours() > 0) {
            return String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart());
        }
        return d.toMinutes() > 0
                ? String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart())
                : d.toSeconds() + "s";
    }

    void done() {
        if (printed && terminal) {
            err.println();
        }
    }
}
