package io.orderbooks.replay;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checks of one token (or, summed, of all): Polymarket's hashes against the rebuilt book, REST books against
 * the rebuilt book of the same timestamp, REST books against their own hash, and the best bid/ask that every
 * {@code price_changes[]} entry carries. Keeps the first disagreement with its context.
 */
final class Tally {
    long hashChecked;
    long hashAgreed;
    long hashDisagreed;
    long hashNotCheckable;
    final Map<String, Long> notCheckableReasons = new TreeMap<>();
    long restCompared;
    long restAgreed;
    long restDisagreed;
    long restNotComparable;
    final Map<String, Long> notComparableReasons = new TreeMap<>();
    long restSelfAgreed;
    long restSelfDisagreed;
    long topAgreed;
    long topDisagreed;
    Map<String, Object> firstDisagreement;

    void notCheckable(String reason) {
        hashNotCheckable++;
        notCheckableReasons.merge(reason, 1L, Long::sum);
    }

    void notComparable(String reason) {
        restNotComparable++;
        notComparableReasons.merge(reason, 1L, Long::sum);
    }

    void firstDisagreement(Map<String, Object> context) {
        if (firstDisagreement == null) {
            firstDisagreement = context;
        }
    }

    void add(Tally t) {
        hashChecked += t.hashChecked;
        hashAgreed += t.hashAgreed;
        hashDisagreed += t.hashDisagreed;
        hashNotCheckable += t.hashNotCheckable;
        t.notCheckableReasons.forEach((k, v) -> notCheckableReasons.merge(k, v, Long::sum));
        restCompared += t.restCompared;
        restAgreed += t.restAgreed;
        restDisagreed += t.restDisagreed;
        restNotComparable += t.restNotComparable;
        t.notComparableReasons.forEach((k, v) -> notComparableReasons.merge(k, v, Long::sum));
        restSelfAgreed += t.restSelfAgreed;
        restSelfDisagreed += t.restSelfDisagreed;
        topAgreed += t.topAgreed;
        topDisagreed += t.topDisagreed;
    }

    boolean anyDisagreement() {
        return hashDisagreed > 0 || restDisagreed > 0 || restSelfDisagreed > 0 || topDisagreed > 0;
    }

    /** The counters as a JSON-ready map (field names as in docs/REPLAY.md). */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash_checked", hashChecked);
        m.put("hash_agreed", hashAgreed);
        m.put("hash_disagreed", hashDisagreed);
        m.put("hash_not_checkable", hashNotCheckable);
        m.put("hash_not_checkable_reasons", notCheckableReasons);
        m.put("rest_compared", restCompared);
        m.put("rest_agreed", restAgreed);
        m.put("rest_disagreed", restDisagreed);
        m.put("rest_not_comparable", restNotComparable);
        m.put("rest_not_comparable_reasons", notComparableReasons);
        m.put("rest_own_hash_agreed", restSelfAgreed);
        m.put("rest_own_hash_disagreed", restSelfDisagreed);
        m.put("top_agreed", topAgreed);
        m.put("top_disagreed", topDisagreed);
        if (firstDisagreement != null) {
            m.put("first_disagreement", firstDisagreement);
        }
        return m;
    }
}
