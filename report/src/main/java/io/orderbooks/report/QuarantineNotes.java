package io.orderbooks.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code quarantine/}: damaged originals kept for inspection, each with a {@code .note.json} saying what it was and
 * why (DATA-FORMAT §5). Informational: the recovered replacement (if any) is the data.
 */
final class QuarantineNotes {
    private static final String NOTE = ".note.json";

    private QuarantineNotes() {
    }

    /** One entry per quarantined file; a file without a note is listed with the reason "no note". */
    static List<QualityReport.QuarantineEntry> read(DataDir dir) throws IOException {
        Path q = dir.quarantine();
        List<QualityReport.QuarantineEntry> out = new ArrayList<>();
        if (!Files.isDirectory(q)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(q)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        for (Path p : files) {
            String name = p.getFileName().toString();
            if (name.endsWith(NOTE) || (name.endsWith(".manifest.json")
                    && Files.exists(p.resolveSibling(name.substring(0, name.length() - ".manifest.json".length()))))) {
                continue; // a note, or the manifest offload moved along with its damaged file
            }
            Path note = p.resolveSibling(name + NOTE);
            String original = null;
            String reason = "no note";
            String at = null;
            String replacement = null;
            if (Files.isRegularFile(note)) {
                try {
                    JsonNode n = Json.parse(Files.readAllBytes(note));
                    original = n.hasNonNull("original") ? n.get("original").asText() : null;
                    reason = n.hasNonNull("reason") ? n.get("reason").asText() : "note without a reason";
                    at = n.hasNonNull("quarantined_at") ? n.get("quarantined_at").asText() : null;
                    replacement = n.hasNonNull("replacement") ? n.get("replacement").asText() : null;
                } catch (IOException e) {
                    reason = "unreadable note";
                }
            }
            out.add(new QualityReport.QuarantineEntry(dir.relative(p), original, reason, at, replacement));
        }
        return out;
    }
}
