package io.orderbooks.report.tally;

import io.orderbooks.report.model.QualityReport;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.manifests.QuarantineNote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code quarantine/}: damaged originals kept for inspection, each with a {@code .note.json} saying what it was and
 * why (DATA-FORMAT §5). Informational: the recovered replacement (if any) is the data.
 */
final class QuarantineNotes {
    private QuarantineNotes() {}

    /** One entry per quarantined file; a file without a note is listed with the reason "no note". */
    static List<QualityReport.QuarantineEntry> read(DataDir dir) throws IOException {
        List<QualityReport.QuarantineEntry> out = new ArrayList<>();
        List<DataDirScan.Quarantined> all;
        try {
            all = DataDirScan.quarantine(dir);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (DataDirScan.Quarantined q : all) {
            if (!q.present()) {
                continue; // a note whose artifact was pruned: nothing left to list
            }
            String original = null;
            String reason = "no note";
            String at = null;
            String replacement = null;
            if (q.note() != null) {
                try {
                    QuarantineNote n = QuarantineNote.read(q.note());
                    original = n.original();
                    reason = n.reason() != null ? n.reason() : "note without a reason";
                    at = n.quarantinedAt() != null ? n.quarantinedAt().toString() : null;
                    replacement = n.replacement();
                } catch (IOException e) {
                    reason = "unreadable note";
                }
            }
            out.add(new QualityReport.QuarantineEntry(dir.relative(q.artifact()), original, reason, at, replacement));
        }
        return out;
    }
}
