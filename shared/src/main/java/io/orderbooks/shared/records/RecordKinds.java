package io.orderbooks.shared.records;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The canonical "kind" of a record line (the keys of a manifest's {@code counts}) and the assets it touches (the
 * manifest's {@code assets} count). Writers pass the kind and assets they already know; recovery derives them
 * from the line with this class, and both must agree (tested).
 * <ul>
 *   <li>{@code event} — an in-band event line ({@code "event":…});</li>
 *   <li>a websocket frame object → its {@code event_type} ({@code book}, {@code price_change}, …, or
 *       {@code unknown}); an array frame → the {@code event_type} all its elements share, {@code mixed} if they
 *       differ, {@code empty} for {@code []};</li>
 *   <li>{@code unparsed} — a frame that was not JSON ({@code frame_text});</li>
 *   <li>{@code book} — a REST book item; {@code markets_page} — a Gamma page; {@code error} — a failed request.</li>
 * </ul>
 */
public final class RecordKinds {
    public static final String EVENT = "event";
    public static final String UNPARSED = "unparsed";
    public static final String MIXED = "mixed";
    public static final String EMPTY = "empty";
    public static final String UNKNOWN = "unknown";
    public static final String BOOK = "book";
    public static final String MARKETS_PAGE = "markets_page";
    public static final String ERROR = "error";

    private RecordKinds() {}

    public static String kindOf(JsonNode line) {
        if (line.has("event")) {
            return EVENT;
        }
        JsonNode frame = line.get("frame");
        if (frame != null) {
            return frameKind(frame);
        }
        if (line.has("frame_text")) {
            return UNPARSED;
        }
        if (line.has("item")) {
            return BOOK;
        }
        if (line.has("page")) {
            return MARKETS_PAGE;
        }
        if (line.has("error")) {
            return ERROR;
        }
        return UNKNOWN;
    }

    /** The kind of a websocket frame (object or array of events). */
    public static String frameKind(JsonNode frame) {
        if (frame.isArray()) {
            if (frame.isEmpty()) {
                return EMPTY;
            }
            String shared = null;
            for (JsonNode e : frame) {
                String k = eventType(e);
                if (shared == null) {
                    shared = k;
                } else if (!shared.equals(k)) {
                    return MIXED;
                }
            }
            return shared;
        }
        return eventType(frame);
    }

    private static String eventType(JsonNode event) {
        JsonNode t = event.get("event_type");
        return t != null && t.isTextual() && !t.asText().isEmpty() ? t.asText() : UNKNOWN;
    }

    /** Asset ids a line carries data for: {@code asset_id} of events/items and of {@code price_changes[]}. */
    public static Set<String> assetsOf(JsonNode line) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode frame = line.get("frame");
        if (frame != null) {
            if (frame.isArray()) {
                frame.forEach(e -> addAssets(e, out));
            } else {
                addAssets(frame, out);
            }
        }
        JsonNode item = line.get("item");
        if (item != null) {
            addAssets(item, out);
        }
        return out;
    }

    private static void addAssets(JsonNode event, Collection<String> out) {
        JsonNode a = event.get("asset_id");
        if (a != null && a.isTextual()) {
            out.add(a.asText());
        }
        JsonNode changes = event.get("price_changes");
        if (changes != null && changes.isArray()) {
            for (JsonNode c : changes) {
                JsonNode ca = c.get("asset_id");
                if (ca != null && ca.isTextual()) {
                    out.add(ca.asText());
                }
            }
        }
    }

    /** A gap described in-band by an {@code "event":"gap"} line, or null. */
    public static Gap gapOf(JsonNode line) {
        if (Event.fromWire(Json.text(line, "event")) != Event.GAP) {
            return null;
        }
        JsonNode from = line.get("from_us");
        JsonNode to = line.get("to_us");
        if (from == null || to == null || !from.canConvertToLong() || !to.canConvertToLong()) {
            return null;
        }
        String reason = Json.text(line, "reason");
        try {
            return new Gap(
                    Json.text(line, "conn"),
                    from.asLong(),
                    to.asLong(),
                    reason == null ? GapReason.UNKNOWN.wire() : reason);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
