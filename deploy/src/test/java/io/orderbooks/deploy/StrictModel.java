package io.orderbooks.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * fabric8's typed Kubernetes model (generated from the same OpenAPI spec) as a strict parser: a wrong type fails the
 * parse, and a field the model does not know, which fabric8 keeps in {@code additionalProperties} instead of
 * failing, is reported with its path. That catches a misspelled or misplaced key (e.g. {@code readinesProbe}), which
 * the API server would silently drop on a non-strict apply.
 */
final class StrictModel {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "batch/v1/Job", io.fabric8.kubernetes.api.model.batch.v1.Job.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    private StrictModel() {}

    static <T extends HasMetadata> T parse(JsonNode object, Class<T> type) {
        try {
            return MAPPER.treeToValue(object, type);
        } catch (Exception e) {
            throw new AssertionError("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Every field the typed model does not know, as paths; empty for a clean object. Unknown kinds are one entry. */
    static List<String> unknownFields(JsonNode object) {
        String key =
                object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        Class<? extends HasMetadata> type = TYPES.get(key);
        if (type == null) {
            return List.of("no typed model for " + key + " (add it to StrictModel.TYPES)");
        }
        List<String> out = new ArrayList<>();
        walk(
                parse(object, type),
                key + " " + object.path("metadata").path("name").asText(),
                out);
        return out;
    }

    private static void walk(Object value, String path, List<String> out) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object v : c) {
                walk(v, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "[" + k + "]", out));
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return; // strings, numbers, booleans
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class
                    || !getter.getName().startsWith("get")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("reading " + path + "." + getter.getName(), e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> out.add(path + "." + k));
                }
                continue;
            }
            String name = getter.getName().substring(3);
            walk(child, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), out);
        }
    }
}
