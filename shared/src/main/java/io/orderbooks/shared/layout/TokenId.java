package io.orderbooks.shared.layout;

/**
 * A CLOB outcome token id: the id books and the websocket use. CTF token ids (Gamma {@code clobTokenIds}, v1
 * markets) are uint256 values written as 76–78 digit decimal strings, Protocol V2 position ids ({@code positionIds})
 * 75–76 digits, so they are kept as strings and never as {@code long}.
 */
public record TokenId(String value) implements Comparable<TokenId> {
    public TokenId {
        NamePart.require("token id", NamePart.DECIMAL, value);
    }

    public static TokenId of(String value) {
        return new TokenId(value);
    }

    public static boolean isValid(String value) {
        return value != null && NamePart.DECIMAL.matcher(value).matches();
    }

    /** Numeric order without parsing: shorter decimal strings are smaller (no leading zeros in real ids). */
    @Override
    public int compareTo(TokenId o) {
        int byLength = Integer.compare(value.length(), o.value.length());
        return byLength != 0 ? byLength : value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
