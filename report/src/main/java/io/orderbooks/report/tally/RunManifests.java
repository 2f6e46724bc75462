package io.orderbooks.report.tally;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.report.model.QualityReport;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.manifests.RunManifest;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code runs/<service>/<run_id>.json} (DATA-FORMAT §6): every process run, with how it ended. */
final class RunManifests {
    private RunManifests() {}

    /**
     * Every readable run manifest, oldest first. A run's end is its {@code stopped_at}; a run that crashed has none,
     * so its last checkpoint ({@code updated_at}, at most a status interval before the crash) stands in; a run still
     * {@code running} is taken to last until {@code now}.
     */
    static List<QualityReport.Run> read(DataDir dir, Instant now) throws IOException {
        List<QualityReport.Run> out = new ArrayList<>();
        List<Path> manifests;
        try {
            manifests = DataDirScan.runManifests(dir);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path p : manifests) {
            JsonNode n;
            try {
                n = Json.parse(Files.readAllBytes(p));
            } catch (IOException e) {
                continue;
            }
            if (n == null || !RunManifest.SCHEMA.equals(n.path("schema").asText())) {
                continue;
            }
            Instant started = instant(n, "started_at");
            if (started == null) {
                continue;
            }
            String status = n.path("status").asText("unknown");
            Instant stopped = instant(n, "stopped_at");
            Instant end = stopped != null ? stopped : "running".equals(status) ? now : instant(n, "updated_at");
            out.add(new QualityReport.Run(
                    n.path("service").asText("?"),
                    n.path("run_id").asText("?"),
                    n.path("instance").asText("?"),
                    status,
                    started,
                    end == null ? started : end,
                    n.hasNonNull("exit_reason") ? n.get("exit_reason").asText() : null));
        }
        out.sort(Comparator.comparing(QualityReport.Run::startedAt).thenComparing(QualityReport.Run::service));
        return out;
    }

    private static Instant instant(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return Instant.parse(v.asText());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
