package io.orderbooks.shared.testing;

import io.orderbooks.shared.layout.DataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A fresh data dir under the system temp dir, removed by {@link #close()}. */
public final class TempDataDir implements AutoCloseable {
    private final Path root;

    private TempDataDir(Path root) {
        this.root = root;
    }

    public static TempDataDir create() {
        try {
            return new TempDataDir(Files.createTempDirectory("orderbooks-data-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public DataDir dataDir() {
        return DataDir.of(root);
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
