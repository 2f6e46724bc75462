package io.orderbooks.offload;

import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.QuarantineNote;
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
    private Quarantine() {}

    /** Returns where the data file went. */
    static Path move(DataDir dir, LocalFile f, String reason, Clock clock) throws IOException {
        Path target = QuarantineNote.freeTarget(dir, f.path());
        DataDir.ensureDir(target.getParent());
        new QuarantineNote(f.relative(), clock.instant(), reason, null).writeBeside(target);
        AtomicFiles.move(f.path(), target);
        if (Files.exists(f.manifestPath())) {
            AtomicFiles.move(f.manifestPath(), target.resolveSibling(target.getFileName() + ".manifest.json"));
        }
        AtomicFiles.fsyncDirectory(target.getParent());
        AtomicFiles.fsyncDirectory(f.path().getParent());
        return target;
    }
}
