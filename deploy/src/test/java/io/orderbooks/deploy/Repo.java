package io.orderbooks.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The repository's files the manifests must agree with: compose.yaml and .env.example (the operator's settings). */
final class Repo {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The tests run with the module directory as working directory (Maven's default). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");

    private Repo() {}

    /** compose.yaml as a tree; SnakeYAML resolves its anchors and merge keys as Compose does. */
    static JsonNode compose() {
        return yaml(ROOT.resolve("compose.yaml"));
    }

    static JsonNode yaml(Path file) {
        try {
            return JSON.valueToTree(new Yaml(new LoaderOptions()).load(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** KEY=value lines of an env file (.env.example, a kustomize env file), in order; comments and blanks skipped. */
    static Map<String, String> envFile(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int eq = l.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException(file + ": not KEY=value: " + line);
                }
                out.put(l.substring(0, eq), l.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Map<String, String> envExample() {
        return envFile(ROOT.resolve(".env.example"));
    }
}
