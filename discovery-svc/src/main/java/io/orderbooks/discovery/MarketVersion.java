package io.orderbooks.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.Protocol;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Gamma market's {@code version} as discovery counts it. {@code "v1"} and {@code "v2"} name a {@link Protocol};
 * anything else is unsupported and never guessed (docs.polymarket.com/migrate/polymarket-v2/api-integrations:
 * "Reject missing or unsupported versions"; docs/DISCOVERY.md).
 *
 * @param label    how the version is counted and logged: {@code v1}, {@code v2}, {@code missing} (absent or null),
 *                 {@code empty} (a blank string), another string as given (only {@code [A-Za-z0-9._:-]} kept, at most
 *                 {@link #MAX_LABEL} characters), or the JSON type of a non-string ({@code number:2},
 *                 {@code boolean:true}, {@code object}, {@code array})
 * @param protocol the protocol it names, or null when unsupported
 */
record MarketVersion(String label, Protocol protocol) {
    static final String MISSING = "missing";
    static final int MAX_LABEL = 24;
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._:-]");

    static MarketVersion of(JsonNode market) {
        JsonNode v = market == null || !market.isObject() ? null : market.get("version");
        if (v == null || v.isNull() || v.isMissingNode()) {
            return new MarketVersion(MISSING, null);
        }
        if (v.isTextual()) {
            Optional<Protocol> p = Protocol.fromWire(v.asText());
            return p.map(protocol -> new MarketVersion(protocol.wire(), protocol))
                    .orElseGet(() -> new MarketVersion(safe(v.asText(), "empty"), null));
        }
        String type = v.getNodeType().name().toLowerCase(Locale.ROOT);
        return new MarketVersion(v.isValueNode() ? safe(type + ":" + v.asText(), type) : type, null);
    }

    boolean supported() {
        return protocol != null;
    }

    private static String safe(String raw, String ifBlank) {
        String s = UNSAFE.matcher(raw.strip()).replaceAll("_");
        if (s.isEmpty()) {
            return ifBlank;
        }
        return s.length() <= MAX_LABEL ? s : s.substring(0, MAX_LABEL);
    }
}
