package io.orderbooks.sim;

/** Tiny helpers for hand-written compact JSON; the key order of books is part of the hash, so we write it ourselves. */
final class Json {
    private Json() {}

    /** Appends {@code s} as a JSON string literal. */
    static StringBuilder str(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    static String quote(String s) {
        return str(new StringBuilder(s.length() + 2), s).toString();
    }

    /** {@code ,"key":"value"} */
    static StringBuilder field(StringBuilder out, String key, String value) {
        out.append(',');
        str(out, key).append(':');
        return str(out, value);
    }
}
