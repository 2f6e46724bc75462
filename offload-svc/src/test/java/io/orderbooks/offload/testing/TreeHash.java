package io.orderbooks.offload.testing;

import io.orderbooks.shared.layout.Checksums;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** sha256 of every regular file below a root, by relative path: two equal maps mean two identical trees. */
public final class TreeHash {
    private TreeHash() {}

    public static Map<String, String> of(Path root, Predicate<String> include) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String rel = root.relativize(p).toString();
                if (include.test(rel)) {
                    out.put(rel, Checksums.of(p).sha256());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static Map<String, String> of(Path root) {
        return of(root, rel -> true);
    }
}
