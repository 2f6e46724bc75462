package io.orderbooks.discovery;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One good {@code /markets/keyset} answer: the request as sent, status, latency, receive time, the body verbatim and
 * its parsed tree ({@code markets} is an array; {@code next_cursor} may be absent).
 */
public record GammaPage(String req, int status, long latencyMs, long recvUs, byte[] body, JsonNode root) {
    public JsonNode markets() {
        return root.get("markets");
    }

    /** The cursor of the next page, or null on the last page (absent, null or empty). */
    public String nextCursor() {
        JsonNode c = root.get("next_cursor");
        return c == null || !c.isTextual() || c.asText().isBlank() ? null : c.asText();
    }
}
