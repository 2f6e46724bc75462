package io.orderbooks.soak.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.soak.input.Inputs;
import io.orderbooks.soak.input.LineReader;
import io.orderbooks.soak.input.RawInventory;
import io.orderbooks.soak.input.RunManifestDoc;
import io.orderbooks.soak.input.SoakDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Discovery ({@code gamma_markets}, tokens.json): Gamma pages, errors and {@code rate_limited} events, runs and lists
 * published (discovery's run manifests), and the tokens.json versions kept in history. Figures only: no criterion.
 */
public final class DiscoveryFigures {
    private DiscoveryFigures() {}

    public record Result(
            long runs,
            long published,
            long tokenVersions,
            long pages,
            Map<String, Long> errors,
            long rateLimited,
            Map<String, Long> exits,
            long tornLines) {}

    public static Result read(SoakDir dir, RawInventory inv) throws IOException {
        long[] pages = new long[1], rateLimited = new long[1];
        long torn = 0;
        Map<String, Long> errors = new TreeMap<>();
        for (RawInventory.Closed f : inv.stream("gamma_markets")) {
            torn += LineReader.gzip(f.path(), (line, len) -> {
                String head = new String(line, 0, Math.min(len, 300), StandardCharsets.UTF_8);
                if (head.contains(",\"page\":")) {
                    pages[0]++;
                } else {
                    JsonNode o = JsonFields.parse(line, len);
                    if (o.has("error")) {
                        errors.merge(String.valueOf(JsonFields.num(o, "status", 0)), 1L, Long::sum);
                    } else if ("rate_limited".equals(JsonFields.text(o, "event"))) {
                        rateLimited[0]++;
                    }
                }
            });
        }
        long runs = 0, published = 0;
        Map<String, Long> exits = new TreeMap<>();
        for (Path p : Inputs.walk(dir.data().resolve("runs/discovery-svc"))) {
            RunManifestDoc m = RunManifestDoc.read(p);
            runs += m.counter("runs");
            published += m.counter("runs_published");
            exits.merge(String.valueOf(m.exitReason()), 1L, Long::sum);
        }
        // History copies (not their manifests); retention deletes the local ones, so the remote's count too.
        Set<String> copies = new HashSet<>();
        for (Path root :
                List.of(dir.data().resolve("discovery/history"), dir.remote().resolve("discovery/history"))) {
            Inputs.walk(root).stream()
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json.gz"))
                    .forEach(copies::add);
        }
        return new Result(runs, published, copies.size(), pages[0], errors, rateLimited[0], exits, torn);
    }
}
