package io.orderbooks.soak.check;

import io.orderbooks.soak.input.EventLog;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * When the collector crashed, from {@code events.log}: a {@code kill -9} (or a SIGKILL after the grace) explains the
 * loss of a connection's tail when the connection closed from 2 s before to 30 s after it; an unexpected exit, found
 * by the watchdog up to a sample period late, from a sample period (+5 s) before to 5 s after (docs/SOAK.md).
 */
public record CrashWindows(List<Window> windows) {
    static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    public record Window(long fromMs, long toMs, long atMs, boolean kill) {}

    public static CrashWindows of(List<EventLog.Entry> events, long sampleEverySeconds) {
        List<Window> out = new ArrayList<>();
        long sampleMs = sampleEverySeconds * 1000;
        for (EventLog.Entry e : events) {
            if (!e.service().equals("collector")) {
                continue;
            }
            long ms = e.ms();
            switch (e.event()) {
                case EventLog.STOP_KILL, EventLog.SIGKILL_AFTER_GRACE ->
                    out.add(new Window(ms - 2000, ms + 30_000, ms, true));
                case EventLog.UNEXPECTED_EXIT -> out.add(new Window(ms - sampleMs - 5000, ms + 5000, ms, false));
                default -> {}
            }
        }
        return new CrashWindows(out);
    }

    public int size() {
        return windows.size();
    }

    /** The crash that explains a connection closed at {@code closedMs}, described, or null. */
    public String crashAt(long closedMs) {
        if (closedMs == 0) {
            return null;
        }
        for (Window w : windows) {
            if (closedMs >= w.fromMs() && closedMs <= w.toMs()) {
                return (w.kill() ? "the collector kill -9 at " : "the collector's unexpected exit found at ")
                        + timeOfDay(w.atMs());
            }
        }
        return null;
    }

    /** {@code HH:mm:ss'Z'} of an epoch ms, or a dash for none. */
    public static String timeOfDay(long ms) {
        return ms <= 0 ? "—" : UTC.format(Instant.ofEpochMilli(ms)).substring(11);
    }
}
