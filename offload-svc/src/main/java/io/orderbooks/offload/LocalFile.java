package io.orderbooks.offload;

import io.orderbooks.shared.FileManifest;
import io.orderbooks.shared.RawFile;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A closed raw file with its manifest, as found on disk: the unit that offload uploads, verifies and deletes.
 *
 * @param relative      the data file's path relative to the data dir (also its remote path below the remote)
 * @param manifestBytes the manifest exactly as on disk: it is uploaded as is, and verified by these bytes' MD5
 */
public record LocalFile(RawFile raw, Path path, Path manifestPath, String relative, String manifestRelative,
                        FileManifest manifest, byte[] manifestBytes) {

    /** When the file was closed; the age of a backlog is measured from here. */
    public Instant closedAt() {
        return manifest.closedAt() != null ? manifest.closedAt() : raw.hour().plusSeconds(3600);
    }

    /** The end of the data's UTC hour: retention measures a file's age from here. */
    public Instant hourEnd() {
        return raw.hour().plusSeconds(3600);
    }
}
