package io.orderbooks.shared.records;

/**
 * Lines a writer accepted but could not keep: appended to a file after its last SYNC_FLUSH when an I/O error made
 * the writer abandon it. Salvage keeps what reached the disk before the error, so this is an upper bound: some of
 * these lines may still be in the recovered file. A caller that records losses (the collector's {@code write-error}
 * gap) adds them to its own, so a reader can tell where lines may be missing and how many at most.
 *
 * @param count  lines, at least 1
 * @param fromUs smallest {@code recv_us} among them
 * @param toUs   largest {@code recv_us} among them
 */
public record LostLines(long count, long fromUs, long toUs) {
    public LostLines {
        if (count < 1 || toUs < fromUs) {
            throw new IllegalArgumentException(
                    "lost lines need count >= 1 and fromUs <= toUs: " + count + ", " + fromUs + ", " + toUs);
        }
    }
}
