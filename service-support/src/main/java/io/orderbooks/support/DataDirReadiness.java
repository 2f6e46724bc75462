package io.orderbooks.support;

import io.orderbooks.shared.layout.DataDir;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The {@code data-dir} readiness check every service reports, built alike: the data dir takes a write, and it has at
 * least the service's minimum free space ({@code <service>.disk-min-free}; 0 turns the threshold off). Each service's
 * {@code health/DataDirReadinessCheck} bean answers with this (docs/OPERATIONS.md 4.6).
 */
public final class DataDirReadiness {
    public static final String NAME = "data-dir";

    private DataDirReadiness() {}

    /**
     * @param dir          the data dir, or null while the service is starting
     * @param minFreeBytes below this many free bytes the service is not ready; 0 for no threshold
     * @param minFreeKey   the key that sets it, named in the error
     */
    public static HealthCheckResponse check(DataDir dir, long minFreeBytes, String minFreeKey) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME);
        if (dir == null) {
            return b.down().withData("error", "starting").build();
        }
        long free = dir.usableBytes();
        b.withData("path", dir.root().toString()).withData("free_bytes", free).withData("min_free_bytes", minFreeBytes);
        Optional<String> problem = dir.checkWritable();
        if (problem.isPresent()) {
            return b.down().withData("error", problem.get()).build();
        }
        if (belowMinFree(free, minFreeBytes)) {
            return b.down().withData("error", "free space below " + minFreeKey).build();
        }
        return b.up().build();
    }

    /** Whether {@code free} (-1 when unknown) is below the threshold; an unknown free space never is. */
    public static boolean belowMinFree(long free, long minFreeBytes) {
        return free >= 0 && free < minFreeBytes;
    }
}
