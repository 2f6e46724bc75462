package io.orderbooks.shared.files;

import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import java.time.Duration;

/**
 * How a {@link RotatingJsonlWriter} writes one stream.
 *
 * @param flushInterval    upper bound on how long a written record may wait for fsync: after a crash of the
 *                         machine, standard {@code zcat} reads everything up to the last fsync (default 1 s)
 * @param readableWithin   upper bound on how long a written record may sit in the process: the gzip stream is
 *                         SYNC_FLUSHed into the file at least this often, so readers of the {@code .open} file see
 *                         it and a crash of the process (kill -9, OOM) loses at most this much (default 50 ms; never
 *                         more than {@code flushInterval}, which caps it)
 * @param compressionLevel deflate level 1–9 (default 6, gzip's own default)
 * @param lateGrace        how long after its hour ends a file stays open for late records (from other threads or
 *                         a queue) before it is closed (default 10 s)
 * @param opener           where bytes go; {@link FileSink#DISK} except in fault-injection tests
 */
public record WriterConfig(
        StreamName stream,
        InstanceId instance,
        Duration flushInterval,
        Duration readableWithin,
        int compressionLevel,
        Duration lateGrace,
        FileSink.Opener opener) {
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    /**
     * Measured in docs/PERFORMANCE.md: receive-to-readable p99 28 ms at 5,000 frames/s (64 ms when SYNC_FLUSH waited
     * for the 1 s fsync); files +0.1 % at that rate, up to +28 % for a stream of 20 lines/s or less (one line per
     * SYNC_FLUSH), where the files are small anyway.
     */
    public static final Duration DEFAULT_READABLE_WITHIN = Duration.ofMillis(50);

    public static final int DEFAULT_LEVEL = 6;
    public static final Duration DEFAULT_LATE_GRACE = Duration.ofSeconds(10);

    public WriterConfig {
        if (stream == null || instance == null) {
            throw new IllegalArgumentException("writer config needs a stream and an instance");
        }
        if (flushInterval == null || flushInterval.toMillis() < 10 || flushInterval.toMinutes() > 10) {
            throw new IllegalArgumentException("flush interval must be between 10 ms and 10 min: " + flushInterval);
        }
        if (readableWithin == null || readableWithin.toMillis() < 10) {
            throw new IllegalArgumentException("readable-within must be at least 10 ms: " + readableWithin);
        }
        // Readable can never lag durable: a longer setting simply means "at each fsync".
        readableWithin = readableWithin.compareTo(flushInterval) > 0 ? flushInterval : readableWithin;
        if (compressionLevel < 1 || compressionLevel > 9) {
            throw new IllegalArgumentException("compression level must be 1..9: " + compressionLevel);
        }
        if (lateGrace == null || lateGrace.isNegative() || lateGrace.toMinutes() >= 30) {
            throw new IllegalArgumentException("late grace must be between 0 and 30 min: " + lateGrace);
        }
        opener = opener == null ? FileSink.DISK : opener;
    }

    public static WriterConfig defaults(StreamName stream, InstanceId instance) {
        return new WriterConfig(
                stream,
                instance,
                DEFAULT_FLUSH_INTERVAL,
                DEFAULT_READABLE_WITHIN,
                DEFAULT_LEVEL,
                DEFAULT_LATE_GRACE,
                FileSink.DISK);
    }

    /** Sets the fsync interval; readable-within stays as set (and is capped by the new interval). */
    public WriterConfig withFlushInterval(Duration d) {
        return new WriterConfig(stream, instance, d, readableWithin, compressionLevel, lateGrace, opener);
    }

    public WriterConfig withReadableWithin(Duration d) {
        return new WriterConfig(stream, instance, flushInterval, d, compressionLevel, lateGrace, opener);
    }

    public WriterConfig withCompressionLevel(int level) {
        return new WriterConfig(stream, instance, flushInterval, readableWithin, level, lateGrace, opener);
    }

    public WriterConfig withOpener(FileSink.Opener o) {
        return new WriterConfig(stream, instance, flushInterval, readableWithin, compressionLevel, lateGrace, o);
    }
}
