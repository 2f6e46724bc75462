package io.orderbooks.collector;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a {@code /books} answer (a JSON array of book objects) into the exact bytes of each book, using the parser's
 * byte offsets, so each stored item is what the server sent (its {@code hash} still verifies).
 */
final class BooksSplitter {
    private BooksSplitter() {}

    /** One book: its verbatim bytes and its {@code asset_id} (null if absent). */
    record Item(byte[] bytes, String assetId) {}

    static List<Item> split(byte[] body) throws IOException {
        List<Item> items = new ArrayList<>();
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("/books answer is not a JSON array");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw new IOException("/books answer ends inside the array");
                }
                if (t != JsonToken.START_OBJECT) {
                    throw new IOException("/books answer holds a non-object element: " + t);
                }
                int start = (int) p.currentTokenLocation().getByteOffset();
                String asset = null;
                for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
                    if (f == null) {
                        throw new IOException("/books answer ends inside a book");
                    }
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("asset_id".equals(name) && v == JsonToken.VALUE_STRING) {
                        asset = p.getText();
                    } else if (v.isStructStart()) {
                        p.skipChildren();
                    }
                }
                int end = (int) p.currentLocation().getByteOffset();
                items.add(new Item(Arrays.copyOfRange(body, start, end), asset));
            }
        }
        return items;
    }
}
