package io.orderbooks.support;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A {@code Retry-After} header, in both forms RFC 9110 §10.2.3 allows: delta-seconds ({@code 120}) or an HTTP-date
 * ({@code Wed, 21 Oct 2026 07:28:00 GMT}). Cloudflare in front of Polymarket sends the first; a proxy may send the
 * second. A date in the past is a wait of zero; anything else (negative, garbage) is no advice at all.
 */
public final class RetryAfter {
    private RetryAfter() {}

    /** The wait the header asks for, or empty when there is no header or it cannot be read. */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String h = header.trim();
        if (h.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(h)));
            } catch (NumberFormatException | ArithmeticException tooLarge) {
                return Optional.empty();
            }
        }
        try {
            Instant at =
                    ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    /** The wait in milliseconds, capped at {@code maxMs}; 0 when there is no usable header. */
    public static long millis(String header, Instant now, long maxMs) {
        return parse(header, now).map(d -> Math.min(maxMs, d.toMillis())).orElse(0L);
    }
}
