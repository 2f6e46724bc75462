package io.orderbooks.shared.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a data dir holds, by the names of docs/DATA-FORMAT.md §1: the one walker of the contract (recovery, offload
 * and the report list files through it). It only looks at names and places; reading manifests and notes is the
 * caller's business. A file counts only where its name says it belongs: a raw file outside its
 * {@code raw/<stream>/dt=…/hour=…/} folder, or a history copy outside its day's folder, is not data and is not listed.
 * A file that disappears while the walk runs (retention, a rename) is simply not listed.
 */
public final class DataDirScan {
    /** Oldest first: stream, hour, instance, sequence. */
    public static final Comparator<RawEntry> FILE_ORDER = Comparator.<RawEntry, String>comparing(
                    e -> e.id().stream().value())
            .thenComparing(e -> e.id().hour())
            .thenComparing(e -> e.id().instance().value())
            .thenComparingInt(e -> e.id().seq());

    private static final String NOTE_SUFFIX = ".note.json";
    private static final String MANIFEST_SUFFIX = ".manifest.json";
    /** The name ending of an invalid mark (docs/DATA-FORMAT.md §8). */
    public static final String MARK_SUFFIX = ".mark.json";

    private DataDirScan() {}

    /**
     * One raw file and which of its forms exist: the closed {@code .jsonl.gz}, its {@code .manifest.json}, the
     * {@code .open} file being written (each null when absent), and hidden temp files of an interrupted atomic write
     * of one of them ({@code .<name>.<hex>.tmp}).
     */
    public record RawEntry(RawFile id, Path closed, Path manifest, Path open, List<Path> temps) {
        RawEntry with(Path p, String name) {
            if (name.endsWith(RawFile.OPEN_SUFFIX)) {
                return new RawEntry(id, closed, manifest, p, temps);
            }
            if (name.endsWith(RawFile.MANIFEST_SUFFIX)) {
                return new RawEntry(id, closed, p, open, temps);
            }
            return new RawEntry(id, p, manifest, open, temps);
        }

        RawEntry withTemp(Path p) {
            List<Path> all = new ArrayList<>(temps);
            all.add(p);
            all.sort(null);
            return new RawEntry(id, closed, manifest, open, List.copyOf(all));
        }
    }

    /**
     * A copy of an accepted token list ({@code discovery/history/…}) and its manifest (null while it has none). Its
     * name says when the list was generated and, unless it was written before names carried it, by which instance.
     */
    public record HistoryCopy(HistoryCopyName name, Path copy, Path manifest) {
        public Instant generatedAt() {
            return name.generatedAt();
        }
    }

    /** History copies by generation time, then by name (two instances' copies of the same second). */
    private static final Comparator<HistoryCopy> HISTORY_ORDER = Comparator.comparing(HistoryCopy::generatedAt)
            .thenComparing(c -> c.copy().getFileName().toString());

    /**
     * A quarantined artifact ({@code quarantine/<original relative path>[.n]}) and its {@code .note.json} (null when
     * it has none). {@code present} is false for a note whose artifact is gone (a prune interrupted between the two).
     */
    public record Quarantined(Path artifact, boolean present, Path note) {}

    /** Every raw file of every stream, in {@link #FILE_ORDER}. */
    public static List<RawEntry> raw(DataDir dir) {
        return rawUnder(dir, dir.raw(), 4);
    }

    /** Every raw file of one stream, in {@link #FILE_ORDER}. */
    public static List<RawEntry> raw(DataDir dir, StreamName stream) {
        return rawUnder(dir, dir.streamDir(stream), 3);
    }

    private static List<RawEntry> rawUnder(DataDir dir, Path root, int depth) {
        Map<String, RawEntry> byBase = new TreeMap<>();
        Map<String, List<Path>> temps = new TreeMap<>();
        for (Path p : files(root, depth)) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) {
                tempTarget(name)
                        .ifPresent(target -> temps.computeIfAbsent(target, t -> new ArrayList<>())
                                .add(p));
                continue; // the stream locks, and temp files (below)
            }
            RawFile id = rawFileOrNull(name);
            if (id == null || !p.getParent().equals(dir.dirOf(id))) {
                continue;
            }
            byBase.merge(
                    id.baseName(),
                    new RawEntry(id, null, null, null, List.of()).with(p, name),
                    (old, fresh) -> old.with(p, name));
        }
        temps.forEach((target, paths) -> {
            RawFile id = rawFileOrNull(target);
            if (id == null || !paths.getFirst().getParent().equals(dir.dirOf(id))) {
                return;
            }
            for (Path t : paths) {
                byBase.merge(
                        id.baseName(),
                        new RawEntry(id, null, null, null, List.of()).withTemp(t),
                        (old, fresh) -> old.withTemp(t));
            }
        });
        List<RawEntry> out = new ArrayList<>(byBase.values());
        out.sort(FILE_ORDER);
        return out;
    }

    /** The file an atomic write's temp file ({@code .<name>.<hex>.tmp}, {@link AtomicFiles#tempSibling}) was for. */
    private static Optional<String> tempTarget(String name) {
        if (!name.endsWith(".tmp") || name.length() < 6) {
            return Optional.empty();
        }
        int dot = name.lastIndexOf('.', name.length() - 5);
        return dot > 1 ? Optional.of(name.substring(1, dot)) : Optional.empty();
    }

    private static RawFile rawFileOrNull(String name) {
        try {
            return RawFile.parse(name);
        } catch (InvalidNameException e) {
            return null;
        }
    }

    /**
     * The generation time in a history copy's file name (with or without its instance, {@link HistoryCopyName}), or
     * empty when the name is not a copy's.
     */
    public static Optional<Instant> historyCopyTime(String fileName) {
        return HistoryCopyName.parse(fileName).map(HistoryCopyName::generatedAt);
    }

    /**
     * Every history copy exactly where {@link DataDir#historyCopy} puts one of its name, oldest first (copies of the
     * same second by name): the copies named with their instance and those written before names carried it.
     */
    public static List<HistoryCopy> history(DataDir dir) {
        List<HistoryCopy> out = new ArrayList<>();
        for (Path p : files(dir.historyDir(), 2)) {
            Optional<HistoryCopyName> name =
                    HistoryCopyName.parse(p.getFileName().toString());
            if (name.isEmpty()
                    || !dir.historyCopy(name.get()).equals(p.toAbsolutePath().normalize())) {
                continue; // manifests, temp files, anything not where discovery puts a copy
            }
            Path manifest = p.resolveSibling(p.getFileName() + MANIFEST_SUFFIX);
            out.add(new HistoryCopy(name.get(), p, Files.isRegularFile(manifest) ? manifest : null));
        }
        out.sort(HISTORY_ORDER);
        return out;
    }

    /**
     * Everything under {@code quarantine/}, by artifact, in path order. A note belongs to the artifact of its name
     * without {@code .note.json}; a {@code .manifest.json} beside its quarantined data file (offload moves them
     * together) belongs to that file and is not listed on its own.
     */
    public static List<Quarantined> quarantine(DataDir dir) {
        Map<Path, Path> notes = new TreeMap<>();
        List<Path> artifacts = new ArrayList<>();
        for (Path p : files(dir.quarantine(), Integer.MAX_VALUE)) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            if (name.endsWith(NOTE_SUFFIX)) {
                notes.put(p.resolveSibling(name.substring(0, name.length() - NOTE_SUFFIX.length())), p);
            } else if (!(name.endsWith(MANIFEST_SUFFIX)
                    && Files.exists(p.resolveSibling(name.substring(0, name.length() - MANIFEST_SUFFIX.length()))))) {
                artifacts.add(p);
            }
        }
        Map<Path, Quarantined> out = new TreeMap<>();
        for (Path a : artifacts) {
            out.put(a, new Quarantined(a, true, notes.get(a)));
        }
        notes.forEach((a, note) -> out.putIfAbsent(a, new Quarantined(a, false, note)));
        return List.copyOf(out.values());
    }

    /**
     * Every invalid mark file under {@code marks/} ({@code *.mark.json}, not hidden), in path order. Where a mark
     * belongs and whether it reads is {@code io.orderbooks.shared.manifests.Marks}' business.
     */
    public static List<Path> marks(DataDir dir) {
        return files(dir.marks(), Integer.MAX_VALUE).stream()
                .filter(p -> {
                    String n = p.getFileName().toString();
                    return n.endsWith(MARK_SUFFIX) && !n.startsWith(".");
                })
                .toList();
    }

    /** Every run manifest ({@code runs/<service>/<name>.json}, not hidden), in path order. */
    public static List<Path> runManifests(DataDir dir) {
        return files(dir.runs(), 2).stream()
                .filter(p -> p.getNameCount() - dir.runs().getNameCount() == 2)
                .filter(p -> {
                    String n = p.getFileName().toString();
                    return n.endsWith(".json") && !n.startsWith(".");
                })
                .toList();
    }

    /** Regular files under {@code root} down to {@code depth}, sorted; none when {@code root} does not exist. */
    private static List<Path> files(Path root, int depth) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root, depth)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.file.NoSuchFileException) {
                return files(root, depth); // a folder removed during the walk (retention): walk again
            }
            throw e;
        }
    }
}
