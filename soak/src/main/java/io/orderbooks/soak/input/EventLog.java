package io.orderbooks.soak.input;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code events.log}: every process start, deliberate stop, unexpected exit and restart, tab-separated: UTC time,
 * epoch ms, service, event, pid, detail (docs/SOAK.md).
 */
public final class EventLog {
    public static final String UNEXPECTED_EXIT = "unexpected-exit";
    public static final String NOT_UP = "not-up";
    public static final String SIGKILL_AFTER_GRACE = "sigkill-after-grace";
    public static final String STOP_KILL = "stop-KILL";

    private EventLog() {}

    public record Entry(String utc, long ms, String service, String event, String pid, String detail) {}

    public static List<Entry> read(Path p) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : Inputs.lines(p)) {
            String[] f = line.split("\t", -1);
            if (f.length >= 5) {
                out.add(new Entry(f[0], Inputs.parseLong(f[1], 0), f[2], f[3], f[4], f.length > 5 ? f[5] : ""));
            }
        }
        return out;
    }
}
