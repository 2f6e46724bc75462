package io.orderbooks.report.tally;

import io.orderbooks.report.model.HourRange;
import io.orderbooks.report.model.QualityReport.InvalidMarks;
import io.orderbooks.report.model.QualityReport.Mark;
import io.orderbooks.report.model.QualityReport.MarkRef;
import io.orderbooks.report.model.QualityReport.MarkUpload;
import io.orderbooks.report.model.QualityReport.UnusableMark;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.InvalidMark;
import io.orderbooks.shared.manifests.LedgerResult;
import io.orderbooks.shared.manifests.Marks;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Section 10: the operator's invalid marks (docs/DATA-FORMAT.md §8, docs/OPERATIONS.md §6) as {@link Marks#read} gives
 * them: the active and revoked marks of the range with the closed files each takes in, the unusable mark files, and
 * whether each mark file reached the remote (the offload ledger's latest line of kind {@code mark}, docs/OFFLOAD.md §5).
 */
final class MarkTally {
    private MarkTally() {}

    static List<MarkRef> refs(List<InvalidMark> marks) {
        return marks.stream().map(m -> new MarkRef(m.id(), m.reason())).toList();
    }

    static InvalidMarks of(
            DataDir dir,
            Marks.Loaded loaded,
            HourRange range,
            List<RawEntry> entries,
            OffloadLedger ledger,
            long markedStreamHours,
            long bookHoursNotUsed)
            throws IOException {
        List<Mark> active = new ArrayList<>();
        List<Mark> revoked = new ArrayList<>();
        long outside = 0;
        List<String> markedFiles = new ArrayList<>();
        for (InvalidMark m : loaded.active()) {
            if (!overlaps(m, range)) {
                outside++;
                continue;
            }
            List<String> files = new ArrayList<>();
            for (RawEntry e : entries) {
                if (e.closed != null && range.contains(e.id.hour()) && m.covers(e.id)) {
                    files.add(e.id.relativePath());
                }
            }
            files.stream().filter(f -> !markedFiles.contains(f)).forEach(markedFiles::add);
            active.add(mark(dir, m, ledger, List.copyOf(files), null));
        }
        for (Marks.Revoked r : loaded.revoked()) {
            if (!overlaps(r.mark(), range)) {
                outside++;
                continue;
            }
            revoked.add(mark(dir, r.mark(), ledger, List.of(), mark(dir, r.revocation(), ledger, List.of(), null)));
        }
        List<UnusableMark> unusable = loaded.bad().stream()
                .map(b -> new UnusableMark(b.file(), b.reason()))
                .toList();
        return new InvalidMarks(
                List.copyOf(active),
                List.copyOf(revoked),
                unusable,
                outside,
                markedFiles.size(),
                markedStreamHours,
                bookHoursNotUsed);
    }

    private static boolean overlaps(InvalidMark m, HourRange range) {
        return !range.isEmpty() && m.from().isBefore(range.to()) && m.to().isAfter(range.from());
    }

    private static Mark mark(DataDir dir, InvalidMark m, OffloadLedger ledger, List<String> files, Mark revokedBy)
            throws IOException {
        return new Mark(
                m.id(),
                m.scope().name().toLowerCase(Locale.ROOT),
                m.describe(),
                m.reason(),
                m.by(),
                m.at(),
                m.relativePath(),
                upload(dir, m, ledger),
                files,
                revokedBy);
    }

    /** Verified only when the latest line is a verified upload of the mark file's bytes as they are now. */
    private static MarkUpload upload(DataDir dir, InvalidMark m, OffloadLedger ledger) throws IOException {
        if (!ledger.present) {
            return MarkUpload.NO_LEDGER;
        }
        OffloadLedger.Latest latest = ledger.mark(m.relativePath());
        if (latest == null) {
            return MarkUpload.PENDING;
        }
        if (latest.result() == LedgerResult.MISMATCH) {
            return MarkUpload.MISMATCH;
        }
        if (latest.verified()
                && Checksums.md5Hex(Files.readAllBytes(dir.root().resolve(m.relativePath())))
                        .equals(latest.md5())) {
            return MarkUpload.VERIFIED;
        }
        return MarkUpload.PENDING;
    }
}
