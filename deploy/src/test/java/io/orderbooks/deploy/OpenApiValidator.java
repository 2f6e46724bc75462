package io.orderbooks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Kubernetes OpenAPI schema check, offline: target/node/validate.mjs with kubernetes-models' validators (generated
 * from the Kubernetes OpenAPI spec; installed by this module's build from src/test/node/package-lock.json). Node.js is
 * used because no Maven artifact ships the Kubernetes schemas: fabric8's model jars (8.0.0) carry the types but no
 * JSON schema, and a typed model alone does not know which fields are required.
 */
final class OpenApiValidator {
    private static final Path SCRIPT = Path.of("target/node/validate.mjs").toAbsolutePath();

    private OpenApiValidator() {}

    /** The validator's verdict: its exit code and its lines ("ok Kind/name", "invalid Kind/name: why", a summary). */
    record Verdict(int exitCode, String output) {
        boolean valid() {
            return exitCode == 0;
        }
    }

    static Verdict validate(List<JsonNode> objects) {
        if (!Files.isRegularFile(SCRIPT)) {
            throw new AssertionError(SCRIPT + " is missing: the deploy module's build (npm ci, phase "
                    + "process-test-resources) installs it; run the tests through Maven");
        }
        try {
            Path input = Files.createTempFile("manifests", ".json");
            try {
                Repo.JSON.writeValue(input.toFile(), objects);
                Tool.Result r = Tool.run(
                        List.of("node", SCRIPT.toString(), input.toString()),
                        "node not found on PATH: the Kubernetes schema check runs kubernetes-models' validators "
                                + "(Debian: apt-get install nodejs npm; .ci/run installs them)");
                return new Verdict(r.exitCode(), r.output());
            } finally {
                Files.deleteIfExists(input);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
