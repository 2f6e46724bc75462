package io.orderbooks.soak.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * offload's ledger in write order (docs/OFFLOAD.md §5): the lines ledger compaction moved to
 * {@code offload/ledger-archive/ledger-<ts>.jsonl.gz} (oldest first by name), then {@code offload/ledger.jsonl}.
 */
public record Ledger(List<Line> lines, List<String> unreadable) {
    /** The fields of a ledger line the reconciliation uses. */
    public record Line(String action, String kind, String file, String result, String md5) {}

    public static Ledger read(Path dataDir) throws IOException {
        List<String> text = new ArrayList<>();
        for (Path archive : Inputs.walk(dataDir.resolve("offload/ledger-archive")).stream()
                .filter(p -> p.getFileName().toString().matches("ledger-.+\\.jsonl\\.gz"))
                .sorted()
                .toList()) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
                text.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .lines()
                        .toList());
            }
        }
        text.addAll(Inputs.lines(dataDir.resolve("offload/ledger.jsonl")));
        List<Line> lines = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String l : text) {
            if (l.isBlank()) {
                continue;
            }
            try {
                lines.add(Inputs.JSON.readValue(l, Line.class));
            } catch (IOException e) {
                unreadable.add(l);
            }
        }
        return new Ledger(lines, unreadable);
    }
}
