package io.orderbooks.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The manifests render with kubectl's kustomize and every object is valid against the Kubernetes OpenAPI schemas
 * (kubernetes-models' validators) and free of fields the typed model (fabric8) does not know. Each check is also
 * shown to reject a broken object, so a validator that accepts everything cannot pass here.
 */
class ManifestSchemaTest {
    @Test
    void baseAndExampleOverlayRenderTheSameFiveObjects() {
        for (Kustomize.Rendered r : List.of(Kustomize.base(), Kustomize.example())) {
            assertThat(r.objects())
                    .extracting(o -> o.path("kind").asText())
                    .containsExactlyInAnyOrder(
                            "ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget", "NetworkPolicy");
        }
    }

    @Test
    void everyRenderedObjectIsValidAgainstTheKubernetesOpenApiSchemas() {
        for (Kustomize.Rendered r : List.of(Kustomize.base(), Kustomize.example())) {
            OpenApiValidator.Verdict v = OpenApiValidator.validate(r.objects());
            assertThat(v.valid()).as(v.output()).isTrue();
            assertThat(v.output()).contains("validated 5 objects, 0 invalid");
        }
    }

    @Test
    void theSchemaCheckRejectsAStatefulSetWithoutSelectorAndANumericContainerName() {
        ObjectNode sts = Kustomize.example().one("StatefulSet").deepCopy();
        ((ObjectNode) sts.get("spec")).remove("selector");
        ((ObjectNode) sts.at("/spec/template/spec/containers/0")).put("name", 7);
        OpenApiValidator.Verdict v = OpenApiValidator.validate(List.of(sts));
        assertThat(v.valid()).isFalse();
        assertThat(v.output())
                .contains("invalid StatefulSet/orderbooks")
                .contains("selector")
                .contains("containers/0/name must be string");
    }

    @Test
    void theSchemaCheckRejectsAKindItHasNoSchemaFor() {
        ObjectNode odd = Repo.JSON.createObjectNode();
        odd.put("apiVersion", "example.com/v1").put("kind", "Gadget");
        odd.putObject("metadata").put("name", "g");
        OpenApiValidator.Verdict v = OpenApiValidator.validate(List.of(odd));
        assertThat(v.valid()).isFalse();
        assertThat(v.output()).contains("invalid Gadget/g: no schema");
    }

    @Test
    void noRenderedObjectHasAFieldTheTypedModelDoesNotKnow() {
        List<String> unknown = new ArrayList<>();
        for (Kustomize.Rendered r : List.of(Kustomize.base(), Kustomize.example())) {
            for (JsonNode o : r.objects()) {
                unknown.addAll(StrictModel.unknownFields(o));
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void aMisspelledProbeAndAMisplacedKeyAreFoundWithTheirPath() {
        ObjectNode sts = Kustomize.example().one("StatefulSet").deepCopy();
        ObjectNode collector = (ObjectNode) sts.at("/spec/template/spec/containers/1");
        collector.set("readinesProbe", collector.get("readinessProbe"));
        ((ObjectNode) sts.at("/spec/template/spec")).put("readOnlyRootFilesystem", true);
        assertThat(StrictModel.unknownFields(sts))
                .containsExactlyInAnyOrder(
                        "apps/v1/StatefulSet orderbooks.spec.template.spec.containers[1].readinesProbe",
                        "apps/v1/StatefulSet orderbooks.spec.template.spec.readOnlyRootFilesystem");
    }
}
