package io.orderbooks.shared.layout;

import java.util.regex.Pattern;

/** Validation of the parts that file names are built from (docs/DATA-FORMAT.md §1: nothing from the network is ever used as a path). */
public final class NamePart {
    public static final Pattern SLUG = Pattern.compile("[a-z0-9_-]{1,64}");
    public static final Pattern DECIMAL = Pattern.compile("[0-9]{1,100}");

    private NamePart() {}

    public static String require(String kind, Pattern pattern, String value) {
        if (value == null) {
            throw new InvalidNameException(kind + " is missing (null)");
        }
        if (!pattern.matcher(value).matches()) {
            throw new InvalidNameException(kind + " '" + printable(value) + "' does not match " + pattern.pattern());
        }
        return value;
    }

    /** Keeps an error message one readable line even when the rejected value holds control characters. */
    public static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 120; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : c);
        }
        return value.length() > 120 ? out + "…" : out.toString();
    }
}
