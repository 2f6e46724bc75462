package io.orderbooks.soak.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.soak.input.Inputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The few tree reads of raw lines that are not on a fast path (events, errors, rounds). */
final class JsonFields {
    private JsonFields() {}

    static JsonNode parse(byte[] line, int len) {
        try {
            return Inputs.JSON.readTree(new String(line, 0, len, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "unparseable line: " + new String(line, 0, Math.min(len, 200), StandardCharsets.UTF_8), e);
        }
    }

    /** A number (or a number in a string), else {@code dflt}. */
    static long num(JsonNode n, String field, long dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (v.isNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            return Inputs.parseLong(v.asText(), dflt);
        }
        return dflt;
    }

    /** A string's text, any other value's JSON, or null when absent. */
    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? v.asText() : v.toString();
    }
}
