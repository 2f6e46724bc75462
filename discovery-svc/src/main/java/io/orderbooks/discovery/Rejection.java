package io.orderbooks.discovery;

/**
 * Why a tradeable market was rejected: its data cannot give a trustworthy token list. Reasons are the
 * {@code reason} tag of {@code discovery.rejected}, so they stay few and fixed.
 */
public enum Rejection {
    /** A required field ({@code id}, {@code conditionId}, {@code outcomes}, {@code clobTokenIds}, a flag) is missing. */
    MISSING_FIELD("missing_field"),
    /** A required field has another JSON type than documented (e.g. {@code clobTokenIds} as a real array). */
    WRONG_TYPE("wrong_type"),
    /** {@code outcomes} or {@code clobTokenIds} is a string that is not a JSON array of strings. */
    BAD_ENCODED_LIST("bad_encoded_list"),
    /** {@code outcomes} and {@code clobTokenIds} are empty. */
    EMPTY("empty"),
    /** {@code outcomes} and {@code clobTokenIds} differ in length: pairing them would be a guess. */
    LENGTHS_DIFFER("lengths_differ"),
    /** A token id is not a decimal string. */
    BAD_TOKEN_ID("bad_token_id"),
    /** An outcome name is empty. */
    BLANK_OUTCOME("blank_outcome"),
    /** {@code conditionId} is not {@code 0x} + 64 hex digits. */
    BAD_CONDITION_ID("bad_condition_id"),
    /** A token id already belongs to another market of this run. */
    DUPLICATE_TOKEN("duplicate_token");

    private final String tag;

    Rejection(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
