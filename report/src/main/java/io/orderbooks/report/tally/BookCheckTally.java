package io.orderbooks.report.tally;

import io.orderbooks.replay.HourlyChecks;
import io.orderbooks.report.model.HourRange;
import io.orderbooks.report.model.QualityReport.BookCheckHour;
import io.orderbooks.report.model.QualityReport.BookChecks;
import io.orderbooks.report.model.QualityReport.CheckFigures;
import io.orderbooks.shared.manifests.Marks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Section 9: the replay's engine run over the range (every {@code rest_books} and {@code ws_market} record, books
 * rebuilt in receive order, docs/REPLAY.md), its hash and REST checks counted per hour. The engine's own reading of
 * damage (a damaged file, a seq hole, a gap) shows as the hour's {@code dataMissing}; the files themselves are judged
 * in section 6. The operator's invalid marks are honoured by the replay's own rule ({@link HourlyChecks}): a marked
 * hour is not used and its books are unknown until the next full book.
 */
final class BookCheckTally {
    private BookCheckTally() {}

    static BookChecks of(Path dataDir, HourRange range, Marks.Loaded marks) throws IOException {
        if (range.isEmpty()) {
            return new BookChecks(true, BookChecks.GOAL, List.of(), CheckFigures.NONE, CheckFigures.NONE);
        }
        List<BookCheckHour> hours = new ArrayList<>();
        CheckFigures hash = CheckFigures.NONE;
        CheckFigures rest = CheckFigures.NONE;
        // Warnings name damaged files, which section 6 lists as integrity problems already.
        for (HourlyChecks.Hour h : HourlyChecks.of(dataDir, range.from(), range.to(), marks, warning -> {})) {
            CheckFigures hh = figures(h.hash());
            CheckFigures rh = figures(h.rest());
            hours.add(new BookCheckHour(
                    h.hour(),
                    hh,
                    rh,
                    h.unknownBecause(),
                    hh.below(BookChecks.GOAL) || rh.below(BookChecks.GOAL),
                    MarkTally.refs(h.marks())));
            hash = hash.plus(hh);
            rest = rest.plus(rh);
        }
        return new BookChecks(true, BookChecks.GOAL, List.copyOf(hours), hash, rest);
    }

    private static CheckFigures figures(HourlyChecks.Figures f) {
        return new CheckFigures(f.checked(), f.agreed(), f.disagreed(), f.notCheckable());
    }
}
