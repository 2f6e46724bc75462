package io.orderbooks.shared.manifests;

import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.NamePart;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who wrote a file: service, version, instance and run, plus free attributes such as the collector's shard
 * ({@code "shard":"0/2"}). Written into every file manifest.
 */
public record WriterInfo(
        String service, String version, InstanceId instance, String runId, Map<String, String> attributes) {
    public WriterInfo {
        NamePart.require("service name", NamePart.SLUG, service);
        if (version == null || version.isBlank()) {
            version = "unknown";
        }
        if (instance == null || runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("writer info needs an instance and a run id");
        }
        attributes = attributes == null ? Map.of() : Map.copyOf(new TreeMap<>(attributes));
    }

    public WriterInfo(String service, String version, InstanceId instance, String runId) {
        this(service, version, instance, runId, Map.of());
    }
}
