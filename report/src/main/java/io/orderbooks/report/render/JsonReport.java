package io.orderbooks.report.render;

import com.fasterxml.jackson.core.JsonGenerator;
import io.orderbooks.report.model.QualityReport;
import io.orderbooks.report.model.QualityReport.Hole;
import io.orderbooks.report.model.QualityReport.HoleCount;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The report as JSON ({@value QualityReport#SCHEMA}): the same figures as the text, snake_case, times as ISO
 * instants, seconds as decimal numbers. Written with Jackson's generator (no reflection).
 */
public final class JsonReport {
    private JsonReport() {}

    public static byte[] render(QualityReport r) {
        return Json.writePretty(g -> write(r, g));
    }

    private static void write(QualityReport r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", QualityReport.SCHEMA);
        g.writeStringField("generated_at", r.generatedAt().toString());
        g.writeStringField("data_dir", r.dataDir());
        g.writeObjectFieldStart("range");
        instant(g, "from", r.range().isEmpty() ? null : r.range().from());
        instant(g, "to", r.range().isEmpty() ? null : r.range().to());
        g.writeNumberField("hours", r.range().hours());
        g.writeBooleanField("given", r.rangeGiven());
        g.writeEndObject();
        g.writeBooleanField("sha256_verified", r.verified());

        g.writeArrayFieldStart("streams");
        for (QualityReport.StreamHour s : r.streams()) {
            g.writeStartObject();
            g.writeStringField("stream", s.stream());
            instant(g, "hour", s.hour());
            g.writeNumberField("files", s.files());
            g.writeNumberField("records", s.records());
            g.writeNumberField("bytes", s.bytes());
            g.writeNumberField("uncompressed_bytes", s.uncompressedBytes());
            counts(g, "counts", s.counts());
            g.writeNumberField("recovered", s.recovered());
            g.writeNumberField("open_files", s.openFiles());
            strings(g, "writers", s.writers());
            g.writeNumberField("marked_files", s.markedFiles());
            markRefs(g, "invalid_marks", s.invalidMarks());
            g.writeEndObject();
        }
        g.writeEndArray();

        g.writeArrayFieldStart("gaps");
        for (QualityReport.GapHour h : r.gaps()) {
            g.writeStartObject();
            g.writeStringField("stream", h.stream());
            instant(g, "hour", h.hour());
            g.writeNumberField("gaps", h.gaps());
            g.writeNumberField("seconds", h.seconds());
            g.writeObjectFieldStart("by_reason");
            for (Map.Entry<String, QualityReport.ReasonGaps> e : h.byReason().entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeNumberField("gaps", e.getValue().gaps());
                g.writeNumberField("seconds", e.getValue().seconds());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("by_slot");
            for (Map.Entry<String, Double> e : h.bySlot().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("slots", h.slots());
            g.writeNumberField("slot_seconds", h.slotSeconds());
            g.writeNumberField("lost_lines", h.lostLines());
            g.writeEndObject();
        }
        g.writeEndArray();

        g.writeObjectFieldStart("websocket");
        g.writeArrayFieldStart("hours");
        for (QualityReport.WsHour h : r.wsHours()) {
            g.writeStartObject();
            instant(g, "hour", h.hour());
            g.writeNumberField("frames", h.frames());
            g.writeNumberField("connections", h.connections());
            g.writeNumberField("connected", h.connected());
            g.writeNumberField("disconnected", h.disconnected());
            g.writeNumberField("stale", h.stale());
            g.writeNumberField("connect_failed", h.connectFailed());
            g.writeNumberField("paused", h.paused());
            g.writeNumberField("resumed", h.resumed());
            g.writeNumberField("paused_seconds", h.pausedSeconds());
            g.writeNumberField("not_json", h.notJson());
            nullableDouble(g, "collector_down_seconds", h.collectorDownSeconds());
            g.writeEndObject();
        }
        g.writeEndArray();
        QualityReport.Continuity c = r.continuity();
        g.writeObjectFieldStart("continuity");
        g.writeNumberField("connections", c.connections());
        g.writeNumberField("frames", c.frames());
        g.writeNumberField("holes", c.holes());
        g.writeNumberField("missing_frames", c.missingFrames());
        holes(g, "explained_by_loss_gap", c.explainedByLossGap());
        holes(g, "outside_range", c.outsideRange());
        holes(g, "unexplained", c.unexplained());
        g.writeNumberField("over_claimed_frames", c.overClaimedFrames());
        holes(g, "out_of_order", c.outOfOrder());
        g.writeEndObject();
        g.writeEndObject();

        g.writeArrayFieldStart("rest");
        for (QualityReport.RestHour h : r.rest()) {
            g.writeStartObject();
            instant(g, "hour", h.hour());
            g.writeNumberField("books", h.books());
            g.writeNumberField("rounds", h.rounds());
            g.writeNumberField("planned", h.planned());
            g.writeNumberField("received", h.received());
            g.writeNumberField("missing", h.missing());
            g.writeNumberField("failed_requests", h.failedRequests());
            g.writeNumberField("late_rounds", h.lateRounds());
            g.writeNumberField("rate_limited", h.rateLimited());
            g.writeNumberField("request_failed", h.requestFailed());
            counts(g, "errors_by_status", h.errorsByStatus());
            g.writeEndObject();
        }
        g.writeEndArray();

        g.writeArrayFieldStart("gamma");
        for (QualityReport.GammaHour h : r.gamma()) {
            g.writeStartObject();
            instant(g, "hour", h.hour());
            g.writeNumberField("pages", h.pages());
            g.writeNumberField("rate_limited", h.rateLimited());
            g.writeNumberField("request_failed", h.requestFailed());
            counts(g, "errors_by_status", h.errorsByStatus());
            g.writeEndObject();
        }
        g.writeEndArray();

        QualityReport.Integrity i = r.integrity();
        g.writeObjectFieldStart("integrity");
        g.writeNumberField("files_checked", i.filesChecked());
        g.writeNumberField("problem_count", i.problemCount());
        g.writeArrayFieldStart("problems");
        for (QualityReport.Problem p : i.problems()) {
            g.writeStartObject();
            g.writeStringField("kind", p.kind());
            g.writeStringField("file", p.file());
            g.writeStringField("detail", p.detail());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("recovered");
        for (QualityReport.RecoveredFile f : i.recovered()) {
            g.writeStartObject();
            g.writeStringField("file", f.file());
            g.writeStringField("closed_reason", f.closedReason());
            g.writeNumberField("dropped_lines", f.droppedLines());
            g.writeNumberField("dropped_bytes", f.droppedBytes());
            g.writeStringField("reason", f.reason());
            g.writeStringField("writer_run_id", f.writerRunId());
            g.writeStringField("recovered_by_run_id", f.recoveredByRunId());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("quarantine");
        for (QualityReport.QuarantineEntry q : i.quarantine()) {
            g.writeStartObject();
            g.writeStringField("path", q.path());
            g.writeStringField("original", q.original());
            g.writeStringField("reason", q.reason());
            g.writeStringField("quarantined_at", q.quarantinedAt());
            g.writeStringField("replacement", q.replacement());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("open_files");
        for (QualityReport.OpenFile f : i.openFiles()) {
            g.writeStartObject();
            g.writeStringField("file", f.file());
            g.writeNumberField("bytes", f.bytes());
            instant(g, "modified_at", f.modifiedAt());
            g.writeEndObject();
        }
        g.writeEndArray();
        strings(g, "deleted_by_retention", i.deletedByRetention());
        strings(g, "vanished", i.vanished());
        g.writeEndObject();

        QualityReport.Offload o = r.offload();
        g.writeObjectFieldStart("offload");
        g.writeBooleanField("ledger", o.ledger());
        g.writeNumberField("files", o.files());
        g.writeNumberField("verified", o.verified());
        g.writeNumberField("pending", o.pending());
        g.writeNumberField("mismatch", o.mismatch());
        strings(g, "pending_files", o.pendingFiles());
        strings(g, "mismatch_files", o.mismatchFiles());
        g.writeNumberField("deleted_by_retention", o.deletedByRetention());
        g.writeEndObject();

        g.writeArrayFieldStart("runs");
        for (QualityReport.Run run : r.runs()) {
            g.writeStartObject();
            g.writeStringField("service", run.service());
            g.writeStringField("run_id", run.runId());
            g.writeStringField("instance", run.instance());
            g.writeStringField("status", run.status());
            instant(g, "started_at", run.startedAt());
            instant(g, "ended_at", run.endedAt());
            g.writeStringField("exit_reason", run.exitReason());
            g.writeEndObject();
        }
        g.writeEndArray();

        QualityReport.BookChecks b = r.bookChecks();
        g.writeObjectFieldStart("book_checks");
        g.writeBooleanField("run", b.run());
        g.writeNumberField("goal", b.goal());
        g.writeArrayFieldStart("hours");
        for (QualityReport.BookCheckHour h : b.hours()) {
            g.writeStartObject();
            instant(g, "hour", h.hour());
            check(g, "hash", h.hash());
            check(g, "rest", h.rest());
            counts(g, "data_missing", h.dataMissing());
            g.writeBooleanField("below_goal", h.belowGoal());
            g.writeBooleanField("marked_invalid", !h.marks().isEmpty());
            markRefs(g, "invalid_marks", h.marks());
            g.writeEndObject();
        }
        g.writeEndArray();
        check(g, "hash", b.hash());
        check(g, "rest", b.rest());
        g.writeNumberField("hours_below_goal", b.hoursBelowGoal());
        g.writeNumberField("hours_below_goal_without_gap", b.hoursBelowGoalWithoutGap());
        g.writeEndObject();

        QualityReport.InvalidMarks m = r.invalidMarks();
        g.writeObjectFieldStart("invalid_marks");
        g.writeArrayFieldStart("active");
        for (QualityReport.Mark a : m.active()) {
            mark(g, a);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("revoked");
        for (QualityReport.Mark x : m.revoked()) {
            mark(g, x);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("unusable");
        for (QualityReport.UnusableMark u : m.unusable()) {
            g.writeStartObject();
            g.writeStringField("file", u.file());
            g.writeStringField("reason", u.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("outside_range", m.outsideRange());
        g.writeNumberField("marked_files", m.markedFiles());
        g.writeNumberField("marked_stream_hours", m.markedStreamHours());
        g.writeNumberField("book_hours_not_used", m.bookHoursNotUsed());
        g.writeEndObject();

        QualityReport.Summary s = r.summary();
        g.writeObjectFieldStart("summary");
        g.writeNumberField("hours", s.hours());
        g.writeNumberField("files", s.files());
        g.writeNumberField("records", s.records());
        g.writeNumberField("bytes", s.bytes());
        g.writeNumberField("uncompressed_bytes", s.uncompressedBytes());
        g.writeNumberField("ws_gap_seconds", s.wsGapSeconds());
        nullableDouble(g, "ws_coverage", s.wsCoverage());
        g.writeNumberField("slot_seconds_lost", s.slotSecondsLost());
        g.writeNumberField("slot_seconds", s.slotSeconds());
        nullableDouble(g, "slot_coverage", s.slotCoverage());
        nullableDouble(g, "collector_down_seconds", s.collectorDownSeconds());
        g.writeNumberField("integrity_problems", s.integrityProblems());
        g.writeNumberField("marked_files", s.markedFiles());
        g.writeStringField("verdict", s.verdict());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void markRefs(JsonGenerator g, String name, List<QualityReport.MarkRef> refs) throws IOException {
        g.writeArrayFieldStart(name);
        for (QualityReport.MarkRef m : refs) {
            g.writeStartObject();
            g.writeStringField("id", m.id());
            g.writeStringField("reason", m.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void mark(JsonGenerator g, QualityReport.Mark m) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", m.id());
        g.writeStringField("scope", m.scope());
        g.writeStringField("what", m.what());
        g.writeStringField("reason", m.reason());
        g.writeStringField("by", m.by());
        instant(g, "at", m.at());
        g.writeStringField("mark_file", m.markFile());
        g.writeStringField("remote", m.upload().wire());
        strings(g, "files", m.files());
        if (m.revokedBy() != null) {
            g.writeFieldName("revoked_by");
            mark(g, m.revokedBy());
        }
        g.writeEndObject();
    }

    private static void holes(JsonGenerator g, String name, HoleCount h) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("holes", h.holes());
        g.writeNumberField("frames", h.frames());
        g.writeArrayFieldStart("examples");
        for (Hole e : h.examples()) {
            g.writeStartObject();
            g.writeStringField("instance", e.instance());
            g.writeStringField("conn", e.conn());
            g.writeNumberField("from_seq", e.fromSeq());
            g.writeNumberField("to_seq", e.toSeq());
            g.writeNumberField("after_recv_us", e.afterRecvUs());
            g.writeNumberField("before_recv_us", e.beforeRecvUs());
            g.writeStringField("explanation", e.explanation());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void check(JsonGenerator g, String name, QualityReport.CheckFigures f) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("checked", f.checked());
        g.writeNumberField("agreed", f.agreed());
        g.writeNumberField("disagreed", f.disagreed());
        g.writeNumberField("not_checkable", f.notCheckable());
        nullableDouble(g, "agreement", f.rate());
        g.writeEndObject();
    }

    private static void instant(JsonGenerator g, String name, Instant t) throws IOException {
        g.writeStringField(name, t == null ? null : t.toString());
    }

    private static void nullableDouble(JsonGenerator g, String name, Double v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }

    private static void counts(JsonGenerator g, String name, Map<?, Long> counts) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<?, Long> e : new java.util.TreeMap<>(counts).entrySet()) {
            g.writeNumberField(String.valueOf(e.getKey()), e.getValue());
        }
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
