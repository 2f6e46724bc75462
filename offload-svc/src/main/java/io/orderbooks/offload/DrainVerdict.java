package io.orderbooks.offload;

import com.fasterxml.jackson.core.JsonGenerator;
import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * How a drain ended (docs/OFFLOAD.md "Draining a volume"): the exit code, the status line, and the file
 * {@code offload/drain-<YYYYMMDDTHHMMSSZ>.json} that stays on the volume as its record.
 *
 * @param recovered what start-up recovery did, one line per file ({@code action file})
 * @param left      what is still not upstream; null when the drain was refused before it looked
 */
record DrainVerdict(
        Outcome outcome,
        String detail,
        Instant startedAt,
        Instant endedAt,
        String remote,
        int runs,
        long verified,
        List<String> recovered,
        DrainLeftovers left) {

    static final String SCHEMA = "orderbooks.offload-drain/1";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** At most this many paths of one kind in the log; the file has them all. */
    private static final int LOGGED_PATHS = 20;

    /** How a drain can end, with the exit code of each. */
    enum Outcome {
        /** Everything that belongs upstream is verified there. */
        DRAINED("drained", 0),
        /** Something is left (listed); the timeout passed or the service was stopped. */
        NOT_DRAINED("not-drained", 1),
        /** A writer or another offload-svc still runs on the data dir: nothing was done (sysexits' EX_TEMPFAIL). */
        REFUSED("refused", 75),
        /** The data dir holds files of other instances only: most likely the wrong volume (sysexits' EX_CONFIG). */
        WRONG_VOLUME("wrong-volume", 78);

        private final String wire;
        private final int exitCode;

        Outcome(String wire, int exitCode) {
            this.wire = wire;
            this.exitCode = exitCode;
        }

        String wire() {
            return wire;
        }

        int exitCode() {
            return exitCode;
        }
    }

    DrainVerdict {
        recovered = List.copyOf(recovered);
    }

    static DrainVerdict wrongVolume(String detail, Instant startedAt, Instant endedAt, String remote) {
        return new DrainVerdict(Outcome.WRONG_VOLUME, detail, startedAt, endedAt, remote, 0, 0, List.of(), null);
    }

    static DrainVerdict refused(String detail, Instant startedAt, Instant endedAt, String remote) {
        return new DrainVerdict(Outcome.REFUSED, detail, startedAt, endedAt, remote, 0, 0, List.of(), null);
    }

    int exitCode() {
        return outcome.exitCode();
    }

    /** The one summary line, in the {@code key=value} style of every status line. */
    String statusLine() {
        StringBuilder b = new StringBuilder("offload drain: outcome=").append(outcome.wire());
        b.append(" runs=").append(runs).append(" verified=").append(verified);
        b.append(" recovered=").append(recovered.size());
        if (left != null) {
            b.append(" left=").append(left.count()).append(" quarantined=").append(left.quarantined());
        }
        b.append(" took=")
                .append(Duration.between(startedAt, endedAt).toSeconds())
                .append('s');
        b.append(" remote=").append(remote);
        if (detail != null) {
            b.append(" detail=\"").append(detail).append('"');
        }
        return b.toString();
    }

    /** One line per kind of leftover, naming up to 20 paths; empty when nothing is left. */
    List<String> leftoverLines() {
        List<String> out = new ArrayList<>();
        if (left == null) {
            return out;
        }
        for (DrainLeftovers.Kind k : left.kinds()) {
            add(out, k.what(), k.items());
        }
        if (left.quarantined() > 0) {
            out.add(left.quarantined() + " item(s) under quarantine/ are kept on the volume by design (damaged "
                    + "originals, never uploaded as good data): look at them before you delete the volume");
        }
        return out;
    }

    private static void add(List<String> out, String what, List<String> paths) {
        if (paths.isEmpty()) {
            return;
        }
        String shown = String.join(", ", paths.subList(0, Math.min(paths.size(), LOGGED_PATHS)));
        out.add(paths.size() + " " + what + ": " + shown
                + (paths.size() > LOGGED_PATHS ? " and " + (paths.size() - LOGGED_PATHS) + " more" : ""));
    }

    Path write(DataDir dir) throws IOException {
        Path path = dir.root().resolve("offload").resolve("drain-" + STAMP.format(endedAt) + ".json");
        DataDir.ensureDir(path.getParent());
        AtomicFiles.replace(path, Json.writePretty(this::write));
        return path;
    }

    private void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", SCHEMA);
        g.writeStringField("outcome", outcome.wire());
        g.writeNumberField("exit_code", exitCode());
        g.writeStringField("detail", detail);
        g.writeStringField("started_at", startedAt.toString());
        g.writeStringField("ended_at", endedAt.toString());
        g.writeStringField("remote", remote);
        g.writeNumberField("runs", runs);
        g.writeNumberField("files_verified", verified);
        strings(g, "recovered", recovered);
        if (left != null) {
            g.writeObjectFieldStart("left");
            g.writeNumberField("count", left.count());
            for (DrainLeftovers.Kind k : left.kinds()) {
                strings(g, k.field(), k.items());
            }
            g.writeEndObject();
            g.writeNumberField("quarantined", left.quarantined());
        }
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
