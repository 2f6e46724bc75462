package io.orderbooks.soak.check;

import io.orderbooks.report.ReportCommand;
import io.orderbooks.soak.input.Inputs;
import io.orderbooks.soak.input.QualityJson;
import io.orderbooks.soak.input.SoakDir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The data-quality report (report/ module, docs/REPORT.md) run in process, twice (docs/SOAK.md "The end of a run"):
 * over the data dir, and over the whole archive: a view of the data dir plus, hard-linked from the remote, the closed
 * files (and manifests) that retention deleted. Each run leaves {@code <base>.txt} (the text report), {@code .json},
 * {@code .err} and {@code .rc} (its exit code) in the soak dir, as {@code make report} would print and write them.
 */
public final class QualityRun {
    /** One run: its exit code, text, messages and JSON (null when it wrote none). */
    public record Outcome(String base, int code, String text, String err, QualityJson json) {}

    static final String VIEW = ".archive-view";

    private QualityRun() {}

    public static Outcome overDataDir(SoakDir dir, Clock clock) throws IOException {
        return run(dir, "quality", dir.data(), clock);
    }

    /** Over the archive view, which is built in the soak dir and removed afterwards. */
    public static Outcome overArchive(SoakDir dir, Clock clock) throws IOException {
        Path view = dir.file(VIEW);
        delete(view);
        try {
            linkTree(dir.data(), view);
            for (Path p : Inputs.walk(dir.remote().resolve("raw"))) {
                String name = p.getFileName().toString();
                if (name.endsWith(".jsonl.gz") || name.endsWith(".jsonl.gz.manifest.json")) {
                    Path target = view.resolve(dir.remote().relativize(p).toString());
                    if (!Files.exists(target)) {
                        Files.createDirectories(target.getParent());
                        link(p, target);
                    }
                }
            }
            return run(dir, "quality-archive", view, clock);
        } finally {
            delete(view);
        }
    }

    private static Outcome run(SoakDir dir, String base, Path dataDir, Clock clock) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path json = dir.file(base + ".json");
        Files.deleteIfExists(json);
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            try {
                code = ReportCommand.run(
                        new String[] {"--data-dir", dataDir.toString(), "--json", json.toString()},
                        Map.of(),
                        o,
                        e,
                        clock);
            } catch (RuntimeException
                    | Error failure) { // the tool failed: reported as such, the reconciliation goes on
                failure.printStackTrace(e);
                code = 3;
            }
        }
        String text = out.toString(StandardCharsets.UTF_8);
        String errText = err.toString(StandardCharsets.UTF_8);
        Files.writeString(dir.file(base + ".txt"), text);
        Files.writeString(dir.file(base + ".err"), errText);
        Files.writeString(dir.file(base + ".rc"), code + "\n");
        QualityJson parsed = null;
        try {
            parsed = QualityJson.read(json);
        } catch (IOException unreadable) {
            // the exit code says what happened; the JSON is only quoted
        }
        return new Outcome(base, code, text, errText, parsed);
    }

    /** {@code cp -al from/. to/}: directories created, files hard-linked. */
    private static void linkTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(p)) {
                    link(p, target);
                }
            }
        }
    }

    /** A hard link (the view costs no space), or a copy where the file system has none. */
    private static void link(Path existing, Path link) throws IOException {
        try {
            Files.createLink(link, existing);
        } catch (FileAlreadyExistsException e) {
            // already there
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(existing, link);
        }
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
