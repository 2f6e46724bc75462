package io.orderbooks.soak.input;

import io.orderbooks.sim.Oracle;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * What polymarket-sim's oracle said at the end of the run, in the simulator's own types (docs/SIMULATOR.md):
 * {@code oracle-final.json} is {@code GET /admin/oracle} ({@link Oracle.Snapshot}), {@code oracle-rest.jsonl} one
 * {@code GET /admin/oracle/rest/<token>} per line ({@link Oracle.RestBookRecord}), {@code oracle-frames.jsonl} the
 * sidecar ({@link Oracle.SidecarFrame} lines, plus REST lines this reader skips).
 */
public final class OracleInput {
    private OracleInput() {}

    /** The final oracle, or null when none was saved. */
    public static Oracle.Snapshot snapshot(Path p) throws IOException {
        return Inputs.json(p, Oracle.Snapshot.class);
    }

    /** The REST books served per token (blank lines skipped). */
    public static List<Oracle.RestBookRecord> restBooks(Path p) throws IOException {
        List<Oracle.RestBookRecord> out = new ArrayList<>();
        for (String line : Inputs.lines(p)) {
            if (!line.isBlank()) {
                out.add(Inputs.JSON.readValue(line, Oracle.RestBookRecord.class));
            }
        }
        return out;
    }

    private static final byte[] CONN_PREFIX = "{\"conn\":\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * The sidecar's websocket frames of the connections {@code wanted} accepts, in file (= send) order. The sidecar
     * holds every frame of the run (about 2 GB per hour), so the connection id is read from the line's fixed prefix
     * and only the lines wanted are parsed.
     */
    public static void sidecarFrames(
            Path p, java.util.function.Predicate<String> wanted, BiConsumer<String, Oracle.SidecarFrame> sink)
            throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
            LineReader.lines(in, (line, len) -> {
                if (!LineReader.startsWith(line, len, 0, CONN_PREFIX)) {
                    return;
                }
                int q = CONN_PREFIX.length;
                while (q < len && line[q] != '"') {
                    q++;
                }
                String conn = new String(line, CONN_PREFIX.length, q - CONN_PREFIX.length, StandardCharsets.US_ASCII);
                if (!wanted.test(conn)) {
                    return;
                }
                try {
                    sink.accept(conn, Inputs.JSON.readValue(line, 0, len, Oracle.SidecarFrame.class));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
