package io.orderbooks.soak.input;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Small file helpers shared by the readers, and the one Jackson mapper: snake_case, unknown fields ignored. */
public final class Inputs {
    /** Every JSON document the soak reads is snake_case; fields it does not use are ignored. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Inputs() {}

    /** The lines of a text file, or none when it does not exist. */
    public static List<String> lines(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    /** A JSON document as {@code type}, or null when the file is missing or empty. */
    public static <T> T json(Path p, Class<T> type) throws IOException {
        if (!Files.exists(p) || Files.size(p) == 0) {
            return null;
        }
        return JSON.readValue(p.toFile(), type);
    }

    /** Regular files under {@code root}, sorted by path; none when it is not a directory. */
    public static List<Path> walk(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    public static long parseLong(String s, long dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    public static double parseDouble(String s) {
        try {
            return s == null || s.isEmpty() ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
