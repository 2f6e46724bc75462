package io.orderbooks.offload;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.manifests.Marks;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a drained volume still holds that belongs upstream (docs/OFFLOAD.md "Draining a volume"), each list by
 * data-dir-relative path. Quarantine is counted apart: a damaged original is never uploaded as good data (section 1),
 * so it never keeps a drain from ending, but the verdict names it for the operator to look at before the volume goes.
 *
 * @param unverified             closed files with a manifest that the ledger does not show verified
 * @param open                   {@code .open} files (recovery could not salvage them)
 * @param withoutManifest        closed raw files without a manifest (recovery could not rebuild it)
 * @param historyWithoutManifest discovery history copies without a manifest (discovery stopped between the two)
 * @param marksNotVerified       usable invalid marks not verified upstream
 * @param unusableMarks          mark files the reader cannot use (never uploaded: their place upstream is unknown)
 * @param unpublishedDays        days whose daily upload manifest is not verified upstream
 * @param quarantined            artifacts under {@code quarantine/}, kept on the volume by design
 */
record DrainLeftovers(
        List<String> unverified,
        List<String> open,
        List<String> withoutManifest,
        List<String> historyWithoutManifest,
        List<String> marksNotVerified,
        List<String> unusableMarks,
        List<LocalDate> unpublishedDays,
        int quarantined) {

    DrainLeftovers {
        unverified = List.copyOf(unverified);
        open = List.copyOf(open);
        withoutManifest = List.copyOf(withoutManifest);
        historyWithoutManifest = List.copyOf(historyWithoutManifest);
        marksNotVerified = List.copyOf(marksNotVerified);
        unusableMarks = List.copyOf(unusableMarks);
        unpublishedDays = unpublishedDays.stream().sorted().toList();
    }

    static DrainLeftovers scan(DataDir dir, Offloader offloader) {
        List<String> open = new ArrayList<>();
        List<String> withoutManifest = new ArrayList<>();
        for (DataDirScan.RawEntry e : DataDirScan.raw(dir)) {
            if (e.open() != null) {
                open.add(dir.relative(e.open()));
            }
            if (e.closed() != null && e.manifest() == null) {
                withoutManifest.add(dir.relative(e.closed()));
            }
        }
        List<String> history = DataDirScan.history(dir).stream()
                .filter(c -> c.manifest() == null)
                .map(c -> dir.relative(c.copy()))
                .toList();
        int quarantined = (int) DataDirScan.quarantine(dir).stream()
                .filter(DataDirScan.Quarantined::present)
                .count();
        return new DrainLeftovers(
                offloader.unverified().stream().map(LocalFile::relative).toList(),
                open,
                withoutManifest,
                history,
                MarkUploads.notVerified(dir, offloader.ledger()),
                Marks.read(dir).bad().stream().map(b -> b.file()).toList(),
                List.copyOf(offloader.unpublishedDays()),
                quarantined);
    }

    /** Everything that belongs upstream is there: the volume may go (after a look at quarantine, if any). */
    boolean nothingLeft() {
        return count() == 0;
    }

    /**
     * Something is left, but nothing another run could upload: files recovery could not repair, mark files that
     * cannot be read. Only an operator can fix those (or decide to leave them), so the drain ends at once.
     */
    boolean onlyAnOperatorCanFix() {
        return !nothingLeft() && unverified.isEmpty() && marksNotVerified.isEmpty() && unpublishedDays.isEmpty();
    }

    /**
     * One kind of leftover: its field in the verdict file, what the log calls it, and its paths (or days).
     *
     * @param field the JSON field under {@code left} (docs/OFFLOAD.md §5, "Drain verdict")
     * @param what  the log's words for it
     */
    record Kind(String field, String what, List<String> items) {}

    /** Every kind, in the order the log and the verdict file list them; the one enumeration of the record's lists. */
    List<Kind> kinds() {
        return List.of(
                new Kind("unverified", "not verified upstream", unverified),
                new Kind("open", ".open file(s) recovery could not salvage", open),
                new Kind("without_manifest", "closed file(s) without a manifest", withoutManifest),
                new Kind(
                        "history_without_manifest",
                        "discovery history copies without a manifest",
                        historyWithoutManifest),
                new Kind("marks_not_verified", "invalid mark(s) not verified upstream", marksNotVerified),
                new Kind(
                        "unusable_marks",
                        "mark file(s) that cannot be read (fix or remove them, docs/OPERATIONS.md §6)",
                        unusableMarks),
                new Kind(
                        "unpublished_days",
                        "day(s) whose upload manifest is not verified upstream",
                        unpublishedDays.stream().map(Object::toString).toList()));
    }

    /** How many things are left (quarantine not counted). */
    int count() {
        return kinds().stream().mapToInt(k -> k.items().size()).sum();
    }
}
