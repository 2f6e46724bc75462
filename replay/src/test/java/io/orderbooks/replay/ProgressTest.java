package io.orderbooks.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
    @TempDir
    Path dir;

    @Test
    void timeLeftIsTheRestOfTheRangeAtTheRateSoFar() {
        assertThat(Progress.left(10, 0.5)).isEqualTo("10s");
        assertThat(Progress.left(60, 0.25)).isEqualTo("3m00s");
        assertThat(Progress.left(3600, 0.5)).isEqualTo("1h00m");
        assertThat(Progress.left(100, 1.0)).isEqualTo("0s");
        // nothing of the range read yet: no estimate rather than infinity or a division by zero
        assertThat(Progress.left(5, 0)).isEqualTo("?");
    }

    @Test
    void theLineSaysWhereItIsFilesRecordsRateAndTimeLeft() {
        ReplayEngine engine = new ReplayEngine(t -> true, u -> {});
        RecordSource source = new RecordSource(dir, 0, 3_600_000_000L, w -> {});
        source.filesOpened = 3;
        Progress p = new Progress("export", new PrintStream(new ByteArrayOutputStream()), true, 0, 3_600_000_000L);

        String line = p.line(900_000_000L, System.nanoTime(), engine, source);

        assertThat(line)
                .startsWith("export: at 1970-01-01T00:15:00Z (25 % of the range), 3 files, 0 records, ")
                .contains(" left, 0 tokens, hashes 0 agreed 0 disagreed");
    }

    @Test
    void offPrintsNothing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ReplayEngine engine = new ReplayEngine(t -> true, u -> {});
        Progress p = new Progress("replay", new PrintStream(err), false, 0, 1);
        p.tick(0, engine, new RecordSource(dir, 0, 1, w -> {}));
        p.done();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
