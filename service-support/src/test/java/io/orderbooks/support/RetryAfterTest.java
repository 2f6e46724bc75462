package io.orderbooks.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    static final Instant NOW = Instant.parse("2026-10-21T07:27:00Z");

    @Test
    void deltaSecondsAreAWaitOfThatManySeconds() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void anHttpDateIsTheWaitUntilThen() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2026 07:28:00 GMT", NOW)).contains(Duration.ofSeconds(60));
    }

    @Test
    void anHttpDateInThePastIsNoWait() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2026 07:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void garbageNegativeOrNothingIsNoAdvice() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999", NOW)).isEmpty();
        assertThat(RetryAfter.millis("garbage", NOW, 10_000)).isZero();
    }

    @Test
    void millisAreCapped() {
        assertThat(RetryAfter.millis("3", NOW, 10_000)).isEqualTo(3_000);
        assertThat(RetryAfter.millis("3600", NOW, 10_000)).isEqualTo(10_000);
        assertThat(RetryAfter.millis("Wed, 21 Oct 2026 07:27:02 GMT", NOW, 10_000))
                .isEqualTo(2_000);
    }
}
