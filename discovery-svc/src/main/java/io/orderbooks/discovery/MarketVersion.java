package io.orderbooks.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.manifests.Protocol;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Gamma market's {@code version} as discovery counts it. {@code "v1"} and {@code "v2"} name a {@link Protocol};
 * anything else is unsupported and never guessed (docs.polymarket.com/migrate/polymarket-v2/api-integrations:
 * "Reject missing or unsupported versions"; docs/DISCOVERY.md).
 *
 * @param label    how the version is counted and logged: {@code v1}, {@code v2}, {@code missing} (absent or null),
 *                 {@code empty} (an empty string), another string as given (characters outside
 *                 {@code [A-Za-z0-9._-]} as {@code _}, at most {@link #MAX_LABEL} characters; {@code string:} before
 *                 one that would read as a label of its own, e.g. {@code string:missing}), or the JSON type of a
 *                 non-string ({@code number:2}, {@code boolean:true}, {@code object}, {@code array}). Only the exact
 *                 strings {@code "v1"} and {@code "v2"} get the labels {@code v1} and {@code v2}
 * @param protocol the protocol it names, or null when unsupported
 */
record MarketVersion(String label, Protocol protocol) {
    static final String MISSING = "missing";
    static final int MAX_LABEL = 24;
    private static final Set<String> RESERVED = Set.of("v1", "v2", MISSING, "empty", RunTally.OTHER);
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    static MarketVersion of(JsonNode market) {
        JsonNode v = market == null || !market.isObject() ? null : market.get("version");
        if (v == null || v.isNull() || v.isMissingNode()) {
            return new MarketVersion(MISSING, null);
        }
        if (v.isTextual()) {
            Optional<Protocol> p = Protocol.fromWire(v.asText());
            if (p.isPresent()) {
                return new MarketVersion(p.get().wire(), p.get());
            }
            if (v.asText().isEmpty()) {
                return new MarketVersion("empty", null);
            }
            String s = safe(v.asText());
            return new MarketVersion(RESERVED.contains(s) ? "string:" + s : s, null);
        }
        String type = v.getNodeType().name().toLowerCase(Locale.ROOT);
        return new MarketVersion(v.isValueNode() ? type + ":" + safe(v.asText()) : type, null);
    }

    boolean supported() {
        return protocol != null;
    }

    private static String safe(String raw) {
        String s = UNSAFE.matcher(raw).replaceAll("_");
        return s.length() <= MAX_LABEL ? s : s.substring(0, MAX_LABEL);
    }
}
