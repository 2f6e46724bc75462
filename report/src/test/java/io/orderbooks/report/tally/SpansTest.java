package io.orderbooks.report.tally;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpansTest {
    @Test
    void overlappingAndNestedSpansCountOnce() {
        Spans s = new Spans();
        s.add(100, 200);
        s.add(150, 250); // overlaps: 100..250
        s.add(160, 170); // nested
        s.add(300, 400);
        s.add(400, 410); // adjacent: 300..410
        assertThat(s.coveredWithin(0, 1000)).isEqualTo(150 + 110);
    }

    @Test
    void spansAreClippedToTheWindow() {
        Spans s = new Spans();
        s.add(50, 150);
        s.add(180, 260);
        assertThat(s.coveredWithin(100, 200)).isEqualTo(50 + 20);
        assertThat(s.coveredWithin(200, 300)).isEqualTo(60);
        assertThat(s.coveredWithin(260, 300)).isZero();
    }

    @Test
    void emptyAndZeroLengthSpansCoverNothing() {
        Spans s = new Spans();
        assertThat(s.coveredWithin(0, 100)).isZero();
        s.add(10, 10);
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.coveredWithin(0, 100)).isZero();
    }
}
