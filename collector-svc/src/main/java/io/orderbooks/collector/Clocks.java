package io.orderbooks.collector;

import java.time.Instant;

/** Receive timestamps: wall clock in microseconds since the epoch (Linux gives the JVM microsecond resolution). */
final class Clocks {
    private Clocks() {}

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
