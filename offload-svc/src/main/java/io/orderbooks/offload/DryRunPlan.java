package io.orderbooks.offload;

import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a dry run would have done, written to {@code offload/dry-run-plan.json} (replaced each dry run). Its items
 * have the ledger's line shape with {@code result: "dry-run"}. It is the only file a dry run writes: the ledger,
 * the daily manifests, the data and the remote stay untouched.
 */
final class DryRunPlan {
    static final String FILE = "offload/dry-run-plan.json";

    private final List<LedgerEntry> items = new ArrayList<>();

    synchronized void add(LedgerEntry planned) {
        items.add(planned);
    }

    synchronized int size() {
        return items.size();
    }

    static Path path(DataDir dir) {
        return dir.root().resolve(FILE);
    }

    synchronized void write(DataDir dir, String remote, Instant at) throws IOException {
        List<LedgerEntry> sorted = new ArrayList<>(items);
        sorted.sort(java.util.Comparator.comparing(LedgerEntry::file).thenComparing(LedgerEntry::action));
        byte[] json = Json.writePretty(g -> {
            g.writeStartObject();
            g.writeStringField("schema", "orderbooks.offload-plan/1");
            g.writeStringField("planned_at", at.toString());
            g.writeStringField("remote", remote);
            g.writeNumberField("items", sorted.size());
            g.writeArrayFieldStart("plan");
            for (LedgerEntry e : sorted) {
                e.write(g);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        AtomicFiles.replace(path(dir), json);
    }
}
