package io.orderbooks.discovery;

/**
 * Why a tradeable market was rejected: its data cannot give a trustworthy token list. Reasons are the
 * {@code reason} tag of {@code discovery.rejected}, so they stay few and fixed (docs/DISCOVERY.md).
 * "The id field" is the one the market's {@code version} selects: {@code clobTokenIds} for {@code v1},
 * {@code positionIds} for {@code v2}.
 */
public enum Rejection {
    /** {@code version} is missing or names no supported protocol: which id field to use would be a guess. */
    UNKNOWN_VERSION("unknown_version"),
    /** The id field is missing or null. */
    MISSING_IDS("missing_ids"),
    /** The id field is neither an array of strings nor a string encoding one (e.g. a number, an object, bad JSON). */
    BAD_IDS("bad_ids"),
    /** A required field other than the ids ({@code id}, {@code conditionId}, {@code outcomes}, a flag) is missing. */
    MISSING_FIELD("missing_field"),
    /** A required field other than the ids has another JSON type than documented (e.g. a flag sent as a string). */
    WRONG_TYPE("wrong_type"),
    /** {@code outcomes} is a string that is not a JSON array of strings. */
    BAD_ENCODED_LIST("bad_encoded_list"),
    /** {@code outcomes} and the id field are empty. */
    EMPTY("empty"),
    /** {@code outcomes} and the id field differ in length: pairing them would be a guess. */
    LENGTHS_DIFFER("lengths_differ"),
    /** A token id is not a decimal string. */
    BAD_TOKEN_ID("bad_token_id"),
    /** An outcome name is empty. */
    BLANK_OUTCOME("blank_outcome"),
    /** {@code conditionId} is not {@code 0x} + 62 or 64 hex digits. */
    BAD_CONDITION_ID("bad_condition_id"),
    /** A token id repeats inside the market or already belongs to another market of this run. */
    DUPLICATE_TOKEN("duplicate_token");

    private final String tag;

    Rejection(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
