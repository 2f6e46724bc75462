package io.orderbooks.support;

import io.orderbooks.shared.layout.InstanceId;
import java.util.Optional;

/**
 * The one rule for a service's instance id ({@code <service>.instance}, compose sets the same {@code INSTANCE_ID} for
 * all three): a configured value must be a valid id as it stands (it names the service's files and decides which
 * {@code .open} files recovery may touch, so a typo fails the start rather than being quietly rewritten); unset or
 * blank means the host name, sanitised (docs/OPERATIONS.md §4.2).
 */
public final class InstanceIds {
    private InstanceIds() {}

    public static InstanceId resolve(Optional<String> configured) {
        return configured
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(InstanceId::of)
                .orElseGet(InstanceId::fromHostname);
    }
}
