package io.orderbooks.shared.logging;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.records.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * One log line per change of readiness, none per probe (issue 13 "honest health"; docs/OPERATIONS.md 4.6 "Health in
 * the logs"). The services' health library logs the whole health JSON at every probe while not ready (every 15 s
 * under Docker's healthcheck); they silence that and feed each readiness change to this instead. Plain Java on the
 * health JSON ({@code {"status":…,"checks":[{"name":…,"status":…,"data":{…}}]}}), so the three services share it
 * without putting a health library into this module; each has a small observer that hands the JSON over and logs the
 * line.
 * <ul>
 *   <li>DOWN names every failing check and its data as {@code key=value}. It is INFO while the service has not yet
 *       been ready since it started (starting up is not a fault: no WARN at a clean start), WARN after that.</li>
 *   <li>UP says for how long it was DOWN.</li>
 *   <li>The same state again gives nothing (two probes at once may both report one change), and so does a first
 *       report that is UP.</li>
 * </ul>
 */
public final class ReadinessLog {
    /** What to log: a level and one line. */
    public record Line(Logger.Level level, String text) {}

    private final LongSupplier nanoClock;
    private Boolean up;
    private boolean everUp;
    private long since;

    public ReadinessLog() {
        this(System::nanoTime);
    }

    ReadinessLog(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.since = nanoClock.getAsLong();
    }

    /** The line for this readiness result, or empty when the state is the one already logged. */
    public synchronized Optional<Line> next(String healthJson) {
        JsonNode health;
        try {
            health = Json.parse(healthJson.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            return Optional.of(new Line(Logger.Level.WARN, "readiness: unreadable health report: " + e.getMessage()));
        }
        boolean nowUp = "UP".equals(health.path("status").asText());
        if (up != null && up == nowUp) {
            return Optional.empty();
        }
        if (up == null && nowUp) {
            // Ready from the first report on: nothing changed worth a line.
            up = true;
            everUp = true;
            return Optional.empty();
        }
        long now = nanoClock.getAsLong();
        long seconds = (now - since) / 1_000_000_000L;
        since = now;
        up = nowUp;
        if (nowUp) {
            boolean first = !everUp;
            everUp = true;
            String text = "readiness UP after " + seconds + "s DOWN" + (first ? " (start-up)" : "");
            return Optional.of(new Line(Logger.Level.INFO, text));
        }
        String failing = failing(health);
        return everUp
                ? Optional.of(new Line(Logger.Level.WARN, "readiness DOWN: " + failing))
                : Optional.of(new Line(Logger.Level.INFO, "readiness DOWN (starting): " + failing));
    }

    /** {@code name{key=value, …}; name{…}} of the checks that are not UP. */
    private static String failing(JsonNode health) {
        List<String> out = new ArrayList<>();
        for (JsonNode check : health.path("checks")) {
            if ("UP".equals(check.path("status").asText())) {
                continue;
            }
            List<String> data = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : check.path("data").properties()) {
                JsonNode v = e.getValue();
                data.add(e.getKey() + "=" + (v.isTextual() ? v.asText() : v.toString()));
            }
            out.add(check.path("name").asText("?") + "{" + String.join(", ", data) + "}");
        }
        return out.isEmpty() ? "no failing check named" : String.join("; ", out);
    }
}
