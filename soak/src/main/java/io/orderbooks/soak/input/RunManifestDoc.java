package io.orderbooks.soak.input;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The fields of a run manifest ({@code runs/<service>/<run_id>.json}, docs/DATA-FORMAT.md §6) the reconciliation uses. */
public record RunManifestDoc(String service, String exitReason, Map<String, Long> counters) {
    public RunManifestDoc {
        counters = counters == null ? Map.of() : counters;
    }

    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    public static RunManifestDoc read(Path p) throws IOException {
        RunManifestDoc d = Inputs.json(p, RunManifestDoc.class);
        return d == null ? new RunManifestDoc(null, null, Map.of()) : d;
    }
}
