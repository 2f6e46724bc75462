package io.orderbooks.soak.input;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code faults.log}: every fault fired, tab-separated (docs/SOAK.md): UTC time, epoch ms, cycle, fault, the answer. */
public final class FaultLog {
    private FaultLog() {}

    /** One fault: {@code detail} is the simulator's or the script's answer, {@code FAILED: …} when it was refused. */
    public record Entry(String utc, long ms, long cycle, String fault, String detail) {
        public boolean refused() {
            return detail.startsWith("FAILED");
        }
    }

    public static List<Entry> read(Path p) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : Inputs.lines(p)) {
            String[] f = line.split("\t", -1);
            if (f.length >= 4) {
                out.add(new Entry(
                        f[0], Inputs.parseLong(f[1], 0), Inputs.parseLong(f[2], 0), f[3], f.length > 4 ? f[4] : ""));
            }
        }
        return out;
    }
}
