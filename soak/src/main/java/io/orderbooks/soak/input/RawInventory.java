package io.orderbooks.soak.input;

import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.manifests.FileManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The closed raw files of the run: the data dir's, plus the remote copies of those retention deleted locally (with
 * keep-days 0 every ended hour is deleted, docs/SOAK.md). Each with its manifest, read by shared's
 * {@link FileManifest#parse}. Also what should not be left locally: {@code .open} files, data without a manifest.
 */
public record RawInventory(
        List<Closed> closed, List<String> localClosed, List<String> openFiles, List<String> noManifest) {

    /** A closed raw file; {@code path} is where its bytes are read (local, or the remote copy when {@code !local}). */
    public record Closed(
            String rel,
            String stream,
            String dt,
            String hour,
            long seq,
            Path path,
            boolean local,
            FileManifest manifest) {}

    public List<Closed> stream(String stream) {
        return closed.stream().filter(f -> f.stream().equals(stream)).toList();
    }

    public static RawInventory read(SoakDir dir) throws IOException {
        Map<String, Closed> byRel = new TreeMap<>();
        List<String> localClosed = new ArrayList<>();
        List<String> open = new ArrayList<>();
        List<String> noManifest = new ArrayList<>();
        for (Path p : Inputs.walk(dir.data().resolve("raw"))) {
            String rel = dir.data().relativize(p).toString();
            String name = p.getFileName().toString();
            if (name.endsWith(".open")) {
                open.add(rel);
            } else if (name.endsWith(RawFile.SUFFIX)) {
                Path m = p.resolveSibling(name + ".manifest.json");
                if (!Files.exists(m)) {
                    noManifest.add(rel);
                    continue;
                }
                localClosed.add(rel);
                byRel.put(rel, closed(rel, p, true, m));
            }
        }
        for (Path p : Inputs.walk(dir.remote().resolve("raw"))) {
            String rel = dir.remote().relativize(p).toString();
            String name = p.getFileName().toString();
            if (name.endsWith(RawFile.SUFFIX) && !byRel.containsKey(rel)) {
                Path m = p.resolveSibling(name + ".manifest.json");
                if (Files.exists(m)) {
                    byRel.put(rel, closed(rel, p, false, m));
                }
            }
        }
        List<Closed> closed = new ArrayList<>(byRel.values());
        closed.sort(Comparator.comparing(Closed::stream)
                .thenComparing(Closed::dt)
                .thenComparing(Closed::hour)
                .thenComparingLong(Closed::seq)
                .thenComparing(Closed::rel));
        return new RawInventory(closed, localClosed, open, noManifest);
    }

    private static Closed closed(String rel, Path p, boolean local, Path manifest) throws IOException {
        String[] parts = rel.split("/");
        long seq;
        try {
            seq = RawFile.parse(p).seq();
        } catch (RuntimeException e) {
            seq = 0;
        }
        return new Closed(
                rel,
                parts.length > 1 ? parts[1] : "?",
                parts.length > 2 ? parts[2] : "",
                parts.length > 3 ? parts[3] : "",
                seq,
                p,
                local,
                FileManifest.parse(Files.readAllBytes(manifest)));
    }
}
