package io.orderbooks.offload;

import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Moves a closed file whose bytes no longer match its manifest (and the manifest) to {@code quarantine/} under the
 * same relative path, with a note in the shared quarantine-note schema (DATA-FORMAT.md §5). Never deleted
 * automatically; never uploaded as good data.
 */
final class Quarantine {
    private Quarantine() {
    }

    /** Returns where the data file went. */
    static Path move(DataDir dir, LocalFile f, String reason, Clock clock) throws IOException {
        Path target = freeTarget(dir, f.path());
        DataDir.ensureDir(target.getParent());
        byte[] note = Json.writePretty(g -> {
            g.writeStartObject();
            g.writeStringField("schema", "orderbooks.quarantine-note/1");
            g.writeStringField("original", f.relative());
            g.writeStringField("quarantined_at", clock.instant().toString());
            g.writeStringField("reason", reason);
            g.writeStringField("replacement", null);
            g.writeStringField("status", "invalid: do not use as data; kept for inspection, never deleted automatically");
            g.writeEndObject();
        });
        AtomicFiles.replace(target.resolveSibling(target.getFileName() + ".note.json"), note);
        AtomicFiles.move(f.path(), target);
        if (Files.exists(f.manifestPath())) {
            AtomicFiles.move(f.manifestPath(), target.resolveSibling(target.getFileName() + ".manifest.json"));
        }
        AtomicFiles.fsyncDirectory(target.getParent());
        AtomicFiles.fsyncDirectory(f.path().getParent());
        return target;
    }

    private static Path freeTarget(DataDir dir, Path original) {
        Path base = dir.quarantinePathFor(original);
        Path candidate = base;
        for (int i = 1; Files.exists(candidate) || Files.exists(candidate.resolveSibling(candidate.getFileName() + ".note.json")); i++) {
            candidate = base.resolveSibling(base.getFileName() + "." + i);
        }
        return candidate;
    }
}
