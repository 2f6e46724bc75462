package io.orderbooks.shared.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.records.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Parses a data dir back the way a data user would: closed files, their manifests and their records. */
public final class DataDirReader {
    private final DataDir dir;

    public DataDirReader(DataDir dir) {
        this.dir = dir;
    }

    /** Closed files of a stream (any instance), in name order: hour, then instance, then sequence. */
    public List<Path> closedFiles(StreamName stream) {
        return list(stream, RawFile::isClosedName);
    }

    public List<Path> openFiles(StreamName stream) {
        return list(stream, RawFile::isOpenName);
    }

    private List<Path> list(StreamName stream, java.util.function.Predicate<String> which) {
        Path root = dir.streamDir(stream);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> which.test(p.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FileManifest manifest(Path closedFile) {
        try {
            return FileManifest.parse(Files.readAllBytes(dir.manifestPath(RawFile.parse(closedFile))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of a complete gzip file, as raw strings (without the newline). */
    public static List<String> lines(Path gzFile) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzFile))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            String all = out.toString(StandardCharsets.UTF_8);
            if (all.isEmpty()) {
                return List.of();
            }
            if (!all.endsWith("\n")) {
                throw new IllegalStateException(gzFile + " does not end with a newline");
            }
            return List.of(all.substring(0, all.length() - 1).split("\n", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<JsonNode> records(Path gzFile) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines(gzFile)) {
            try {
                out.add(Json.parse(line.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("bad line in " + gzFile + ": " + line, e);
            }
        }
        return out;
    }

    /** All records of a stream across its closed files, in file order. */
    public List<JsonNode> records(StreamName stream) {
        List<JsonNode> out = new ArrayList<>();
        closedFiles(stream).forEach(p -> out.addAll(records(p)));
        return out;
    }

    /** Checks every closed file against its manifest (bytes, sha256, md5, record count); returns the problems. */
    public List<String> verify(StreamName stream) {
        List<String> problems = new ArrayList<>();
        for (Path p : closedFiles(stream)) {
            if (!Files.exists(dir.manifestPath(RawFile.parse(p)))) {
                problems.add(p + ": no manifest");
                continue;
            }
            try {
                FileManifest m = manifest(p);
                Checksums.Digests d = Checksums.of(p);
                if (d.bytes() != m.bytes()
                        || !d.sha256().equals(m.sha256())
                        || !d.md5().equals(m.md5())) {
                    problems.add(p + ": checksum mismatch");
                }
                if (lines(p).size() != m.records()) {
                    problems.add(p + ": record count mismatch");
                }
                if (!m.file().equals(dir.relative(p))) {
                    problems.add(p + ": manifest names " + m.file());
                }
            } catch (IOException | RuntimeException e) {
                problems.add(p + ": " + e);
            }
        }
        return problems;
    }
}
