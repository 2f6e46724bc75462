package io.orderbooks.shared.logging;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns the log file off when {@code <data dir>/logs} cannot be written (issue 13 item 4): otherwise the logging
 * set-up prints a stack trace before the service's own one-line FATAL refusal ({@link LogFormat#unwritableDataDir}).
 * The data dir comes from {@code DATA_DIR} or {@code -Ddata.dir}, as application.properties reads it. One class for
 * the three services, each registering it in {@code META-INF/services/org.eclipse.microprofile.config.spi.ConfigSource}.
 */
public class LogFileGuard implements ConfigSource {
    private static final String KEY = "quarkus.log.file.enabled";
    private final boolean off;

    public LogFileGuard() {
        String dir = System.getProperty("data.dir", System.getenv().getOrDefault("DATA_DIR", "./data"));
        off = !LogFormat.logDirWritable(dir);
    }

    @Override
    public Set<String> getPropertyNames() {
        return off ? Set.of(KEY) : Set.of();
    }

    @Override
    public Map<String, String> getProperties() {
        return off ? Map.of(KEY, "false") : Map.of();
    }

    @Override
    public String getValue(String name) {
        return off && KEY.equals(name) ? "false" : null;
    }

    @Override
    public String getName() {
        return "orderbooks-log-file-guard";
    }

    @Override
    public int getOrdinal() {
        return 500;
    }
}
