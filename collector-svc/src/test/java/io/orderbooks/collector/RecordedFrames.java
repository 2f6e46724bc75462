package io.orderbooks.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.TempDataDir;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The websocket frames of a closed data dir, with their line size, and the events inside them (arrays flattened). */
record RecordedFrames(List<JsonNode> records, long frameLines, long lineBytes, Map<String, long[]> byEventType) {
    static RecordedFrames read(TempDataDir temp) throws java.io.IOException {
        List<JsonNode> records = new ArrayList<>();
        long frames = 0;
        long bytes = 0;
        Map<String, long[]> byType = new TreeMap<>();
        for (var f : new DataDirReader(temp.dataDir()).closedFiles(StreamName.WS_MARKET)) {
            for (String line : DataDirReader.lines(f)) {
                JsonNode n = io.orderbooks.shared.records.Json.parse(line.getBytes(StandardCharsets.UTF_8));
                records.add(n);
                if (n.has("frame") || n.has("frame_text")) {
                    frames++;
                    int size = line.getBytes(StandardCharsets.UTF_8).length + 1;
                    bytes += size;
                    JsonNode frame = n.path("frame");
                    List<JsonNode> events = new ArrayList<>();
                    if (frame.isArray()) {
                        frame.forEach(events::add);
                    } else {
                        events.add(frame);
                    }
                    for (JsonNode e : events) {
                        long[] c = byType.computeIfAbsent(e.path("event_type").asText("unparsed"), k -> new long[2]);
                        c[0]++;
                        c[1] += frame.isArray() ? e.toString().length() : size;
                    }
                }
            }
        }
        return new RecordedFrames(records, frames, bytes, byType);
    }

    /** Events of this type, arrays flattened. */
    List<JsonNode> events(String eventType) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : records) {
            JsonNode frame = r.path("frame");
            List<JsonNode> events = new ArrayList<>();
            if (frame.isArray()) {
                frame.forEach(events::add);
            } else {
                events.add(frame);
            }
            events.stream()
                    .filter(e -> eventType.equals(e.path("event_type").asText()))
                    .forEach(out::add);
        }
        return out;
    }

    long count(String eventType) {
        long[] c = byEventType.get(eventType);
        return c == null ? 0 : c[0];
    }

    long bytes(String eventType) {
        long[] c = byEventType.get(eventType);
        return c == null ? 0 : c[1];
    }
}
