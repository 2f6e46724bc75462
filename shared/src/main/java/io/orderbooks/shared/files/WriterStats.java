package io.orderbooks.shared.files;

/** A snapshot of a writer's counters, for status lines, metrics and run manifests. */
public record WriterStats(
        long records,
        long uncompressedBytes,
        long filesClosed,
        long writeErrors,
        int openFiles,
        int abandonedFiles,
        String lastError) {}
