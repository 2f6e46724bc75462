package io.orderbooks.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.files.GzipJsonl;
import io.orderbooks.shared.files.Recovery;
import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterConfig;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.QuarantineNote;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Event;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.records.GapReason;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.records.Line;
import io.orderbooks.shared.testing.MutableClock;
import io.orderbooks.shared.testing.SampleLines;
import io.orderbooks.shared.testing.TempDataDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract as one round trip (issue 14): lines written with the writer come back through the contract's own
 * scanner and reader as the same records, events and gaps, with the counts and hashes their manifests state;
 * also for a file a crash left {@code .open} and recovery salvaged, and for the damaged original it quarantined.
 */
class ContractRoundTripTest {
    private static final InstanceId VPS1 = InstanceId.of("vps1");
    private final TempDataDir temp = TempDataDir.create();
    private final DataDir dir = temp.dataDir();
    private final MutableClock clock = MutableClock.at("2026-11-24T11:30:00Z");
    private final WriterInfo run1 = new WriterInfo("collector-svc", "test", VPS1, "run-1", Map.of());
    private final WriterInfo run2 = new WriterInfo("collector-svc", "test", VPS1, "run-2", Map.of());

    @AfterEach
    void cleanUp() {
        temp.close();
    }

    /** What was handed to the writer, line by line. */
    private final List<byte[]> written = new ArrayList<>();

    private void append(RotatingJsonlWriter w, Line line) throws IOException {
        w.append(line);
        written.add(line.bytes());
    }

    @Test
    void whatTheWriterWroteIsWhatTheReaderReadsAndWhatTheManifestsSay() throws Exception {
        long t0 = clock.micros();
        Gap gap = new Gap("ws-0.0", t0 + 40, t0 + 60, GapReason.DISCONNECTED);
        Gap loss = new Gap(null, t0 + 70, t0 + 80, GapReason.QUEUE_FULL);
        try (RotatingJsonlWriter w =
                RotatingJsonlWriter.open(dir, WriterConfig.defaults(StreamName.WS_MARKET, VPS1), run1, clock)) {
            append(w, Line.event(t0, Envelope.event(t0, "ws", "ws-0.0", Event.CONNECTED, Map.of("assets", 1))));
            for (int i = 0; i < 50; i++) {
                append(w, SampleLines.wsPriceChange(t0 + 1 + i, "ws-0.0", i));
            }
            append(
                    w,
                    Line.event(
                            t0 + 60,
                            Envelope.event(t0 + 60, "ws", "ws-0.0", Event.DISCONNECTED, Map.of("frames", 50))));
            append(w, Line.gap(t0 + 61, gap, Envelope.gap(t0 + 61, "ws", gap, Map.of("assets", 1))));
            append(w, Line.gap(t0 + 90, loss, Envelope.gap(t0 + 90, "ws", loss, Map.of("lost_lines", 3))));
        }

        List<DataDirScan.RawEntry> entries = DataDirScan.raw(dir, StreamName.WS_MARKET);
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.closed()).isNotNull();
            assertThat(e.manifest()).isNotNull();
            assertThat(e.open()).isNull();
        });
        DataDirScan.RawEntry entry = entries.getFirst();
        GzipJsonl.Contents read = GzipJsonl.read(entry.closed());
        FileManifest m = FileManifest.parse(Files.readAllBytes(entry.manifest()));

        assertThat(read.records()).hasSize(written.size());
        for (int i = 0; i < written.size(); i++) {
            assertThat(read.records().get(i)).isEqualTo(Json.parse(written.get(i)));
        }
        assertThat(events(read)).containsExactly(Event.CONNECTED, Event.DISCONNECTED, Event.GAP, Event.GAP);
        assertThat(read.gaps()).containsExactly(gap, loss);
        assertThat(read.gaps()).extracting(Gap::kind).containsExactly(GapReason.DISCONNECTED, GapReason.QUEUE_FULL);
        assertThat(read.differencesFrom(m, Checksums.of(entry.closed()))).isEmpty();
        assertThat(m.records()).isEqualTo(54);
        assertThat(m.counts()).containsExactlyInAnyOrderEntriesOf(Map.of("price_change", 50L, "event", 4L));
        assertThat(m.gaps()).containsExactly(gap, loss);
        assertThat(m.file()).isEqualTo(dir.relative(entry.closed()));
        assertThat(m.recovered()).isFalse();
    }

    @Test
    void aCrashedFileComesBackRecoveredAndItsOriginalQuarantinedWithANote() throws Exception {
        long t0 = clock.micros();
        Gap gap = new Gap("ws-0.0", t0, t0 + 5, GapReason.RECONNECTING);
        try (RotatingJsonlWriter w =
                RotatingJsonlWriter.open(dir, WriterConfig.defaults(StreamName.WS_MARKET, VPS1), run1, clock)) {
            append(w, Line.gap(t0 + 5, gap, Envelope.gap(t0 + 5, "ws", gap, Map.of())));
            for (int i = 0; i < 3000; i++) {
                append(w, SampleLines.wsPriceChange(t0 + 10 + i, "ws-0.1", i));
            }
        }
        // A kill -9 of run-1 before the close: the file is still .open, cut inside its compressed stream.
        DataDirScan.RawEntry closed = DataDirScan.raw(dir, StreamName.WS_MARKET).getFirst();
        byte[] bytes = Files.readAllBytes(closed.closed());
        Path open = dir.openPath(closed.id());
        Files.write(open, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        Files.delete(closed.closed());
        Files.delete(closed.manifest());
        assertThat(DataDirScan.raw(dir, StreamName.WS_MARKET))
                .singleElement()
                .satisfies(e -> assertThat(e.open()).isEqualTo(open).isNotNull());

        clock.advance(Duration.ofMinutes(1));
        Recovery.Report report = Recovery.run(dir, VPS1, List.of(StreamName.WS_MARKET), run2, clock);
        assertThat(report.actions())
                .singleElement()
                .satisfies(a -> assertThat(a.action()).isEqualTo("salvaged"));

        DataDirScan.RawEntry recovered =
                DataDirScan.raw(dir, StreamName.WS_MARKET).getFirst();
        assertThat(recovered.open()).isNull();
        GzipJsonl.Contents read = GzipJsonl.read(recovered.closed());
        FileManifest m = FileManifest.parse(Files.readAllBytes(recovered.manifest()));
        assertThat(read.differencesFrom(m, Checksums.of(recovered.closed()))).isEmpty();
        assertThat(m.recovered()).isTrue();
        assertThat(m.closedReason()).isEqualTo("recovered");
        assertThat(m.writer().runId()).isEqualTo("run-2");
        assertThat(m.recovery().writerRunId()).isEqualTo("run-1");
        // What survived is exactly the first lines written, the gap among them, nothing altered or invented.
        assertThat(read.records().size()).isBetween(100, written.size() - 1);
        for (int i = 0; i < read.records().size(); i++) {
            assertThat(read.records().get(i)).isEqualTo(Json.parse(written.get(i)));
        }
        assertThat(events(read)).containsExactly(Event.GAP);
        assertThat(read.gaps()).containsExactly(gap);
        assertThat(m.gaps()).containsExactly(gap);

        // The damaged original is in quarantine with a note that names what replaces it.
        assertThat(DataDirScan.quarantine(dir)).singleElement().satisfies(q -> {
            assertThat(q.present()).isTrue();
            assertThat(dir.relative(q.artifact())).isEqualTo(m.recovery().quarantinedAs());
            assertThat(q.note()).isEqualTo(QuarantineNote.pathFor(q.artifact()));
            QuarantineNote note = QuarantineNote.read(q.note());
            assertThat(note.original()).isEqualTo(dir.relative(open));
            assertThat(note.replacement()).isEqualTo(dir.relative(recovered.closed()));
            assertThat(note.quarantinedAt()).isEqualTo(clock.instant());
            assertThat(Files.readAllBytes(q.artifact())).isEqualTo(Arrays.copyOf(bytes, bytes.length * 2 / 3));
        });
    }

    private static List<Event> events(GzipJsonl.Contents read) {
        return read.records().stream()
                .filter(r -> r.has("event"))
                .map(r -> Event.fromWire(r.get("event").asText()))
                .toList();
    }

    @Test
    void aRecordFromANewerWriterReadsBackWithItsUnknownNamesKept() throws Exception {
        long t0 = clock.micros();
        byte[] newer = ("{\"recv_us\":" + t0 + ",\"src\":\"ws\",\"conn\":\"ws-0.0\",\"event\":\"gap\",\"from_us\":" + t0
                        + ",\"to_us\":" + (t0 + 1) + ",\"reason\":\"solar-flare\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] resubscribed = ("{\"recv_us\":" + (t0 + 2)
                        + ",\"src\":\"ws\",\"conn\":\"ws-0.0\",\"event\":\"resubscribed\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        Gap unknown = new Gap("ws-0.0", t0, t0 + 1, "solar-flare");
        try (RotatingJsonlWriter w =
                RotatingJsonlWriter.open(dir, WriterConfig.defaults(StreamName.WS_MARKET, VPS1), run1, clock)) {
            append(w, Line.gap(t0, unknown, newer));
            append(w, Line.event(t0 + 2, resubscribed));
        }
        DataDirScan.RawEntry e = DataDirScan.raw(dir).getFirst();
        GzipJsonl.Contents read = GzipJsonl.read(e.closed());
        assertThat(read.differencesFrom(FileManifest.parse(Files.readAllBytes(e.manifest())), Checksums.of(e.closed())))
                .isEmpty();
        assertThat(events(read)).containsExactly(Event.GAP, Event.UNKNOWN);
        assertThat(read.gaps()).singleElement().satisfies(g -> {
            assertThat(g.kind()).isEqualTo(GapReason.UNKNOWN);
            assertThat(g.reason()).isEqualTo("solar-flare");
        });
        JsonNode second = read.records().get(1);
        assertThat(second.get("event").asText()).isEqualTo("resubscribed");
    }
}
