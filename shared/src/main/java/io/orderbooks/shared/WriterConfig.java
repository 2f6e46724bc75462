package io.orderbooks.shared;

import java.time.Duration;

/**
 * How a {@link RotatingJsonlWriter} writes one stream.
 *
 * @param flushInterval    upper bound on how long a written record may sit in memory: after a crash, standard
 *                         {@code zcat} reads everything up to the last flush (default 1 s)
 * @param compressionLevel deflate level 1–9 (default 6, gzip's own default)
 * @param lateGrace        how long after its hour ends a file stays open for late records (from other threads or
 *                         a queue) before it is closed (default 10 s)
 * @param opener           where bytes go; {@link FileSink#DISK} except in fault-injection tests
 */
public record WriterConfig(StreamName stream, InstanceId instance, Duration flushInterval, int compressionLevel,
                           Duration lateGrace, FileSink.Opener opener) {
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_LEVEL = 6;
    public static final Duration DEFAULT_LATE_GRACE = Duration.ofSeconds(10);

    public WriterConfig {
        if (stream == null || instance == null) {
            throw new IllegalArgumentException("writer config needs a stream and an instance");
        }
        if (flushInterval == null || flushInterval.toMillis() < 10 || flushInterval.toMinutes() > 10) {
            throw new IllegalArgumentException("flush interval must be between 10 ms and 10 min: " + flushInterval);
        }
        if (compressionLevel < 1 || compressionLevel > 9) {
            throw new IllegalArgumentException("compression level must be 1..9: " + compressionLevel);
        }
        if (lateGrace == null || lateGrace.isNegative() || lateGrace.toMinutes() >= 30) {
            throw new IllegalArgumentException("late grace must be between 0 and 30 min: " + lateGrace);
        }
        opener = opener == null ? FileSink.DISK : opener;
    }

    public static WriterConfig defaults(StreamName stream, InstanceId instance) {
        return new WriterConfig(stream, instance, DEFAULT_FLUSH_INTERVAL, DEFAULT_LEVEL, DEFAULT_LATE_GRACE, FileSink.DISK);
    }

    public WriterConfig withFlushInterval(Duration d) {
        return new WriterConfig(stream, instance, d, compressionLevel, lateGrace, opener);
    }

    public WriterConfig withCompressionLevel(int level) {
        return new WriterConfig(stream, instance, flushInterval, level, lateGrace, opener);
    }

    public WriterConfig withLateGrace(Duration d) {
        return new WriterConfig(stream, instance, flushInterval, compressionLevel, d, opener);
    }

    public WriterConfig withOpener(FileSink.Opener o) {
        return new WriterConfig(stream, instance, flushInterval, compressionLevel, lateGrace, o);
    }
}
