package io.orderbooks.offload.rclone;

/**
 * What {@code operations/stat} says about one remote object.
 *
 * @param size bytes, or -1 when the remote does not know (rclone's convention for unknown sizes)
 * @param md5  lower-case hex MD5, or null when the remote keeps no MD5 for it (rclone omits the hash then)
 */
public record RemoteObject(long size, String md5) {
    public boolean hasMd5() {
        return md5 != null && !md5.isEmpty();
    }
}
