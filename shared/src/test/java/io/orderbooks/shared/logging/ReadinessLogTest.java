package io.orderbooks.shared.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

class ReadinessLogTest {
    private static final String STARTING = """
            {"status":"DOWN","checks":[{"name":"data-dir","status":"UP"},
             {"name":"discovery-run","status":"DOWN","data":{"tokens":0,"error":"first discovery run in progress"}}]}""";
    private static final String NO_RUN_YET = """
            {"status":"DOWN","checks":[{"name":"discovery-run","status":"DOWN","data":{"error":"no successful discovery run yet"}}]}""";
    private static final String UP = """
            {"status":"UP","checks":[{"name":"discovery-run","status":"UP","data":{"tokens":80}}]}""";
    private static final String TWO_DOWN = """
            {"status":"DOWN","checks":[{"name":"rclone","status":"DOWN","data":{"url":"http://rclone:5572","error":"Connection refused"}},
             {"name":"remote","status":"DOWN","data":{"listable":false}}]}""";

    private final AtomicLong nanos = new AtomicLong();
    private final ReadinessLog log = new ReadinessLog(nanos::get);

    @Test
    void oneLinePerChangeNoneForTheSameStateAgain() {
        List<ReadinessLog.Line> lines = new ArrayList<>();
        for (String report : List.of(STARTING, STARTING, NO_RUN_YET, STARTING)) {
            log.next(report).ifPresent(lines::add);
        }
        nanos.set(12_400_000_000L);
        for (String report : List.of(UP, UP, UP)) {
            log.next(report).ifPresent(lines::add);
        }
        assertThat(lines)
                .containsExactly(
                        new ReadinessLog.Line(
                                Logger.Level.INFO,
                                "readiness DOWN (starting): discovery-run{tokens=0, error=first discovery run in progress}"),
                        new ReadinessLog.Line(Logger.Level.INFO, "readiness UP after 12s DOWN (start-up)"));
    }

    @Test
    void aDownAfterHavingBeenReadyIsAWarningThatNamesEveryFailingCheck() {
        log.next(UP);
        nanos.set(3_600_000_000_000L);
        Optional<ReadinessLog.Line> down = log.next(TWO_DOWN);
        assertThat(down)
                .contains(
                        new ReadinessLog.Line(
                                Logger.Level.WARN,
                                "readiness DOWN: rclone{url=http://rclone:5572, error=Connection refused}; remote{listable=false}"));
        nanos.addAndGet(65_000_000_000L);
        assertThat(log.next(UP)).contains(new ReadinessLog.Line(Logger.Level.INFO, "readiness UP after 65s DOWN"));
    }

    @Test
    void readyFromTheFirstProbeLogsNothing() {
        assertThat(log.next(UP)).isEmpty();
        assertThat(log.next(UP)).isEmpty();
    }
}
