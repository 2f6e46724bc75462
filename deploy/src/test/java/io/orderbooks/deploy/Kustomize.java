package io.orderbooks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        ProcessBuilder pb = new ProcessBuilder("kubectl", "kustomize", dir.toString());
        pb.redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError(
                    "kubectl not found on PATH: the deploy tests render deploy/kubernetes with `kubectl kustomize` "
                            + "(kubectl 1.27 or later, kustomize v5; .ci/run installs it when missing)",
                    e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed (" + p.exitValue() + "):\n" + out);
            }
            List<JsonNode> objects = new ArrayList<>();
            for (Object doc : new Yaml(new LoaderOptions()).loadAll(out)) {
                if (doc != null) {
                    objects.add(Repo.JSON.valueToTree(doc));
                }
            }
            return new Rendered(out, objects);
        } catch (IOException e) {
            throw new AssertionError("reading kubectl's output", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Rendered base() {
        return render(Repo.KUBERNETES.resolve("base"));
    }

    static Rendered example() {
        return render(Repo.KUBERNETES.resolve("overlays/example"));
    }
}
