package io.orderbooks.offload;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.LedgerAction;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.manifests.LedgerResult;
import io.orderbooks.shared.testing.TempDataDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ledger's file format and its crash tolerance, as plain unit tests. */
class LedgerTest {
    private final TempDataDir temp = TempDataDir.create();
    private final DataDir dir = temp.dataDir();
    private final Instant now = Instant.parse("2026-11-24T12:00:00Z");

    @AfterEach
    void cleanUp() {
        temp.close();
    }

    private LedgerEntry line(String file, String result, Instant at) {
        return new LedgerEntry(
                at,
                LedgerAction.UPLOAD,
                LedgerKind.DATA,
                file,
                10,
                "s",
                "m",
                "r:" + file,
                LedgerResult.fromWire(result),
                "m",
                10L,
                5,
                null);
    }

    @Test
    void aTornLastLineIsCutAndKeptAsideAndEveryEarlierLineSurvives() throws Exception {
        Ledger ledger = Ledger.open(dir, now);
        ledger.append(line("raw/a", "verified", now));
        ledger.append(line("raw/b", "failed", now));
        // A crash in the middle of the third append: half a line, no newline.
        Files.writeString(
                dir.ledger(), "{\"time\":\"2026-11-24T12:00:01Z\",\"action\":\"upl", StandardOpenOption.APPEND);

        Ledger reopened = Ledger.open(dir, now);

        assertThat(reopened.lines()).isEqualTo(2);
        assertThat(reopened.latest("raw/a", LedgerKind.DATA).result().wire()).isEqualTo("verified");
        assertThat(reopened.latest("raw/b", LedgerKind.DATA).result().wire()).isEqualTo("failed");
        assertThat(Files.readString(dir.ledger())).endsWith("\n").doesNotContain("\"upl\n");
        try (Stream<Path> s = Files.list(dir.ledger().getParent())) {
            Path torn = s.filter(p -> p.getFileName().toString().startsWith("ledger.jsonl.torn-"))
                    .findFirst()
                    .orElseThrow();
            assertThat(Files.readString(torn)).isEqualTo("{\"time\":\"2026-11-24T12:00:01Z\",\"action\":\"upl");
        }
        // The next append starts on a line of its own, and everything parses again.
        reopened.append(line("raw/c", "verified", now));
        List<String> lines = Files.readAllLines(dir.ledger(), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(Ledger.open(dir, now).lines()).isEqualTo(3);
    }

    @Test
    void theLatestLineOfAnObjectDecidesItsStateAndDaysAreKeptForTheDailyManifest() throws Exception {
        Ledger ledger = Ledger.open(dir, now);
        ledger.append(line("raw/a", "verified", now.minusSeconds(86_400)));
        ledger.append(new LedgerEntry(
                now,
                LedgerAction.RECHECK,
                LedgerKind.DATA,
                "raw/a",
                10,
                "s",
                "m",
                "r",
                LedgerResult.MISSING,
                null,
                null,
                0,
                "gone"));

        Ledger reopened = Ledger.open(dir, now);

        assertThat(reopened.latest("raw/a", LedgerKind.DATA).verified()).isFalse();
        assertThat(reopened.entriesOf(LocalDate.parse("2026-11-23"))).hasSize(1);
        assertThat(reopened.entriesOf(LocalDate.parse("2026-11-24")))
                .extracting(e -> e.result().wire())
                .containsExactly("missing");
        assertThat(Files.readString(dir.ledger())).contains("\"action\":\"recheck\"", "\"error\":\"gone\"");
    }

    @Test
    void anUnreadableLineInTheMiddleIsSkippedNotFatal() throws Exception {
        Ledger ledger = Ledger.open(dir, now);
        ledger.append(line("raw/a", "verified", now));
        Files.writeString(dir.ledger(), "not json\n", StandardOpenOption.APPEND);
        ledger.append(line("raw/b", "verified", now));

        Ledger reopened = Ledger.open(dir, now);

        assertThat(reopened.lines()).isEqualTo(2);
        assertThat(reopened.latest("raw/b", LedgerKind.DATA).verified()).isTrue();
        assertThat(Files.readAllLines(dir.ledger())).hasSize(3); // kept in the file for a human
    }
}
