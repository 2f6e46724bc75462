package io.orderbooks.offload;

import io.orderbooks.shared.manifests.FileManifest;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A closed file with its manifest, as found on disk: the unit that offload uploads, verifies and deletes. Either a raw
 * file ({@code raw/<stream>/dt=…/hour=…/…jsonl.gz}) or a discovery history copy
 * ({@code discovery/history/YYYY-MM-DD/tokens-<ts>.json.gz}, {@link io.orderbooks.shared.manifests.TokensHistory}).
 *
 * @param hour          the UTC hour of its data (a history copy: its list's generation time, truncated to the hour)
 * @param sortKey       order within an hour: stream, instance, sequence for raw files; history copies after them
 * @param relative      the data file's path relative to the data dir (also its remote path below the remote)
 * @param manifestBytes the manifest exactly as on disk: it is uploaded as is, and verified by these bytes' MD5
 */
public record LocalFile(
        Instant hour,
        String sortKey,
        Path path,
        Path manifestPath,
        String relative,
        String manifestRelative,
        FileManifest manifest,
        byte[] manifestBytes) {

    /** When the file was closed; the age of a backlog is measured from here. */
    public Instant closedAt() {
        return manifest.closedAt() != null ? manifest.closedAt() : hourEnd();
    }

    /** The end of the data's UTC hour: retention measures a file's age from here. */
    public Instant hourEnd() {
        return hour.plusSeconds(3600);
    }
}
