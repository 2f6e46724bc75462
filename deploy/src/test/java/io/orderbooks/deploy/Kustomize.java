package io.orderbooks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders a kustomization the way an operator's {@code kubectl apply -k} does: {@code kubectl kustomize DIR} (the
 * kustomize built into kubectl), no cluster needed. Without kubectl the tests fail with a message saying so.
 */
final class Kustomize {
    private Kustomize() {}

    record Rendered(String yaml, List<JsonNode> objects) {
        JsonNode one(String kind) {
            List<JsonNode> of = objects.stream()
                    .filter(o -> kind.equals(o.path("kind").asText()))
                    .toList();
            if (of.size() != 1) {
                throw new AssertionError("expected one " + kind + ", rendered " + of.size());
            }
            return of.getFirst();
        }
    }

    static Rendered render(Path dir) {
        Tool.Result r = Tool.run(
                List.of("kubectl", "kustomize", dir.toString()),
                "kubectl not found on PATH: the deploy tests render deploy/kubernetes with `kubectl kustomize` "
                        + "(kubectl 1.27 or later, kustomize v5; .ci/run installs it when missing)");
        if (r.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed (" + r.exitCode() + "):\n" + r.output());
        }
        List<JsonNode> objects = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(r.output())) {
            if (doc != null) {
                objects.add(Repo.JSON.valueToTree(doc));
            }
        }
        return new Rendered(r.output(), objects);
    }

    static Rendered base() {
        return render(Repo.KUBERNETES.resolve("base"));
    }

    static Rendered example() {
        return render(Repo.KUBERNETES.resolve("overlays/example"));
    }

    /** overlays/example during a drain: the example plus the drain component and its patch. */
    static Rendered exampleDrain() {
        return render(Repo.KUBERNETES.resolve("overlays/example-drain"));
    }
}
