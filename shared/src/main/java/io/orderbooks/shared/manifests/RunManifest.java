package io.orderbooks.shared.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code runs/<service>/<run_id>.json} (docs/DATA-FORMAT.md §6): one per process run, written at start ({@code
 * "status":"running"}),
 * rewritten at checkpoints and at the end with the stop time, files closed, counters and how the run ended. A run
 * still marked running when the next run of the same service and instance starts died without a clean stop: the
 * new run marks it {@code crash-recovered}.
 */
public final class RunManifest {
    public static final String SCHEMA = "orderbooks.run-manifest/1";
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final DataDir dir;
    private final String service;
    private final InstanceId instance;
    private final String version;
    private final String runId;
    private final String runToken;
    private final Instant startedAt;
    private final Map<String, String> config;
    private final Clock clock;
    private final List<String> filesClosed = new ArrayList<>();
    private final Map<String, Long> counters = new TreeMap<>();
    private final Map<String, Map<String, Long>> histograms = new TreeMap<>();
    private final List<String> previousRunsRecovered;

    private RunManifest(
            DataDir dir,
            String service,
            InstanceId instance,
            String version,
            Map<String, String> config,
            Clock clock,
            List<String> previousRunsRecovered,
            String runToken) {
        this.dir = dir;
        this.service = service;
        this.instance = instance;
        this.version = version;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.runToken = runToken;
        this.runId = ID_TIME.format(startedAt) + "-" + instance.value() + "-" + runToken;
        this.config = new TreeMap<>(config);
        this.previousRunsRecovered = previousRunsRecovered;
    }

    /**
     * Starts a run: closes out earlier runs of this service and instance left {@code running} by a crash, then
     * writes this run's manifest. {@code config} is the effective configuration without secrets.
     */
    public static RunManifest start(
            DataDir dir, String service, InstanceId instance, String version, Map<String, String> config, Clock clock)
            throws IOException {
        List<String> crashed = markCrashedRuns(dir, service, instance, clock);
        String token = freeToken(
                usedTokens(dir, service, instance),
                () -> ThreadLocalRandom.current().nextInt(0x10000));
        RunManifest run = new RunManifest(dir, service, instance, version, config, clock, crashed, token);
        run.write("running", null, null);
        return run;
    }

    public String runId() {
        return runId;
    }

    /**
     * The run id's last part, 4 hex digits, different from that of every earlier run of this service and instance
     * whose manifest is in {@code runs/<service>/}: short enough to tag every record of the run (the collector's
     * connection ids, docs/DATA-FORMAT.md §2) and, with the instance, names the run.
     */
    public String runToken() {
        return runToken;
    }

    /** The tokens of the runs of {@code instance} in {@code runs/<service>/} (file names {@code <time>-<instance>-<token>.json}). */
    static Set<String> usedTokens(DataDir dir, String service, InstanceId instance) throws IOException {
        Set<String> used = new HashSet<>();
        Path runs = dir.runsDir(service);
        if (!Files.isDirectory(runs)) {
            return used;
        }
        Pattern own = Pattern.compile(".*-" + Pattern.quote(instance.value()) + "-([0-9a-f]{4})\\.json");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(runs, "*.json")) {
            for (Path p : files) {
                Matcher m = own.matcher(p.getFileName().toString());
                if (m.matches()) {
                    used.add(m.group(1));
                }
            }
        }
        return used;
    }

    /** A random 4-hex token not in {@code used} (after 65,536 runs of one instance, any: a start never fails on it). */
    static String freeToken(Set<String> used, IntSupplier random) {
        for (int i = 0; i < 100_000; i++) {
            String t = String.format("%04x", random.getAsInt() & 0xffff);
            if (!used.contains(t)) {
                return t;
            }
        }
        return String.format("%04x", random.getAsInt() & 0xffff);
    }

    /** Earlier runs of this service and instance that this start found still {@code running}: they crashed. */
    public List<String> crashedRuns() {
        return List.copyOf(previousRunsRecovered);
    }

    public Instant startedAt() {
        return startedAt;
    }

    public synchronized void fileClosed(String relativePath) {
        filesClosed.add(relativePath);
    }

    public synchronized void counter(String name, long value) {
        counters.put(name, value);
    }

    /**
     * A named count per label, e.g. {@code markets_by_version} → {@code {"v1":2200,"v2":750,"missing":30}}, written
     * under {@code "histograms"} (only once one is set). Replaces the earlier histogram of that name.
     */
    public synchronized void histogram(String name, Map<String, Long> counts) {
        histograms.put(name, new TreeMap<>(counts));
    }

    /** Rewrites the manifest with the current files and counters (call periodically). */
    public synchronized void checkpoint() throws IOException {
        write("running", null, null);
    }

    /** The last write: {@code exitReason} is {@code shutdown} for a clean stop. */
    public synchronized void finish(String exitReason) throws IOException {
        write("ended", exitReason, clock.instant());
    }

    private synchronized void write(String status, String exitReason, Instant stoppedAt) throws IOException {
        byte[] json = Json.writePretty(g -> {
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("service", service);
            g.writeStringField("run_id", runId);
            g.writeStringField("instance", instance.value());
            g.writeStringField("version", version);
            g.writeStringField("status", status);
            g.writeStringField("started_at", startedAt.toString());
            g.writeStringField("updated_at", clock.instant().toString());
            g.writeStringField("stopped_at", stoppedAt == null ? null : stoppedAt.toString());
            g.writeStringField("exit_reason", exitReason);
            g.writeObjectFieldStart("config");
            for (Map.Entry<String, String> e : config.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("previous_runs_crash_recovered");
            for (String r : previousRunsRecovered) {
                g.writeString(r);
            }
            g.writeEndArray();
            g.writeNumberField("files_closed_count", filesClosed.size());
            g.writeArrayFieldStart("files_closed");
            for (String f : filesClosed) {
                g.writeString(f);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("counters");
            for (Map.Entry<String, Long> e : counters.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            if (!histograms.isEmpty()) {
                g.writeObjectFieldStart("histograms");
                for (Map.Entry<String, Map<String, Long>> h : histograms.entrySet()) {
                    g.writeObjectFieldStart(h.getKey());
                    for (Map.Entry<String, Long> e : h.getValue().entrySet()) {
                        g.writeNumberField(e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        });
        AtomicFiles.replace(dir.runManifest(service, runId), json);
    }

    private static List<String> markCrashedRuns(DataDir dir, String service, InstanceId instance, Clock clock)
            throws IOException {
        Path runs = dir.runsDir(service);
        List<String> crashed = new ArrayList<>();
        if (!Files.isDirectory(runs)) {
            return crashed;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(runs, "*.json")) {
            for (Path p : files) {
                JsonNode n;
                try {
                    n = Json.parse(Files.readAllBytes(p));
                } catch (IOException e) {
                    continue; // not ours to judge; left as it is
                }
                if (n != null
                        && SCHEMA.equals(Json.text(n, "schema"))
                        && "running".equals(Json.text(n, "status"))
                        && instance.value().equals(Json.text(n, "instance"))) {
                    ObjectNode copy = ((ObjectNode) n).deepCopy();
                    copy.put("status", "ended");
                    copy.put("exit_reason", "crash-recovered");
                    copy.putNull("stopped_at");
                    copy.put("crash_detected_at", clock.instant().toString());
                    AtomicFiles.replace(
                            p, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(copy));
                    crashed.add(Json.text(n, "run_id"));
                }
            }
        }
        return crashed;
    }
}
