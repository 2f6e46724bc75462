package io.orderbooks.shared.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One streaming pass over a websocket frame (the collector's hot path, once per frame): is it JSON, what kind is it, which assets does it carry. The frame is
 * not turned into objects (the bytes are stored verbatim); the kinds follow {@link RecordKinds} exactly, so a
 * manifest written live and one rebuilt by recovery agree.
 */
public final class FrameScanner {
    private FrameScanner() {}

    /** {@code error} is null for valid JSON; then {@code kind} and {@code assets} are set. */
    public record Result(String kind, List<String> assets, String error) {
        public boolean valid() {
            return error == null;
        }
    }

    public static Result scan(byte[] frame) {
        List<String> assets = new ArrayList<>(2);
        try (JsonParser p = Json.FACTORY.createParser(frame)) {
            JsonToken first = p.nextToken();
            String kind;
            if (first == JsonToken.START_OBJECT) {
                kind = event(p, assets);
            } else if (first == JsonToken.START_ARRAY) {
                kind = null;
                boolean empty = true;
                boolean mixed = false;
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t == null) {
                        throw new IOException("unexpected end of frame");
                    }
                    String k = t == JsonToken.START_OBJECT ? event(p, assets) : skipValue(p, t);
                    if (empty) {
                        kind = k;
                        empty = false;
                    } else if (!k.equals(kind)) {
                        mixed = true;
                    }
                }
                kind = empty ? RecordKinds.EMPTY : mixed ? RecordKinds.MIXED : kind;
            } else {
                return new Result(null, List.of(), "frame is not a JSON object or array");
            }
            if (p.nextToken() != null) {
                return new Result(null, List.of(), "trailing data after the JSON value");
            }
            return new Result(kind, assets, null);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            int nl = msg.indexOf('\n');
            return new Result(null, List.of(), nl > 0 ? msg.substring(0, nl) : msg);
        }
    }

    private static String skipValue(JsonParser p, JsonToken t) throws IOException {
        if (t.isStructStart()) {
            p.skipChildren();
        }
        return RecordKinds.UNKNOWN;
    }

    /**
     * At START_OBJECT of an event: reads its top-level fields; returns the event_type or unknown. A repeated key
     * counts once with its last value, as a JSON tree reader (and so recovery) sees it.
     */
    private static String event(JsonParser p, List<String> assets) throws IOException {
        String type = null;
        String asset = null;
        List<String> changeAssets = List.of();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t == null) {
                throw new IOException("unexpected end of frame");
            }
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("event_type".equals(name)) {
                type = v == JsonToken.VALUE_STRING ? p.getText() : null;
                skipValue(p, v);
            } else if ("asset_id".equals(name)) {
                asset = v == JsonToken.VALUE_STRING ? p.getText() : null;
                skipValue(p, v);
            } else if ("price_changes".equals(name)) {
                changeAssets = v == JsonToken.START_ARRAY ? priceChangeAssets(p) : List.of();
                if (v != JsonToken.START_ARRAY) {
                    skipValue(p, v);
                }
            } else if (v.isStructStart()) {
                p.skipChildren();
            }
        }
        if (asset != null) {
            addAsset(assets, asset);
        }
        changeAssets.forEach(a -> addAsset(assets, a));
        return type == null || type.isEmpty() ? RecordKinds.UNKNOWN : type;
    }

    private static List<String> priceChangeAssets(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new IOException("unexpected end of frame");
            }
            if (t != JsonToken.START_OBJECT) {
                skipValue(p, t);
                continue;
            }
            String asset = null;
            for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
                if (f == null) {
                    throw new IOException("unexpected end of frame");
                }
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("asset_id".equals(name)) {
                    asset = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    skipValue(p, v);
                } else if (v.isStructStart()) {
                    p.skipChildren();
                }
            }
            if (asset != null) {
                out.add(asset);
            }
        }
        return out;
    }

    private static void addAsset(List<String> assets, String id) {
        if (!assets.contains(id)) {
            assets.add(id);
        }
    }
}
