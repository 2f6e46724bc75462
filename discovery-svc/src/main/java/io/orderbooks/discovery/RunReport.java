package io.orderbooks.discovery;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one discovery run did: the one status line an operator reads, and what tests and health look at.
 *
 * @param outcome  {@code published}: a new tokens.json; {@code unchanged}: same list as the current one, nothing
 *                 written; {@code refused}: a list was built but not published (it failed validation or shrank too
 *                 much); {@code failed}: the walk did not complete, nothing published
 * @param reason   why it was refused or failed (null otherwise)
 * @param filtered markets dropped on purpose, by filter ({@code not_tradeable}, {@code min_liquidity}, …)
 * @param rejected tradeable markets whose data was unusable, by {@link Rejection#tag()}
 */
public record RunReport(long run, Outcome outcome, String reason, int pages, int marketsSeen, int marketsKept,
                        Map<String, Integer> filtered, Map<String, Integer> rejected, int duplicates, int tokens,
                        int added, int removed, long durationMs, String historyFile) {
    public enum Outcome {
        PUBLISHED, UNCHANGED, REFUSED, FAILED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RunReport {
        filtered = Collections.unmodifiableMap(new TreeMap<>(filtered));
        rejected = Collections.unmodifiableMap(new TreeMap<>(rejected));
    }

    public boolean succeeded() {
        return outcome == Outcome.PUBLISHED || outcome == Outcome.UNCHANGED;
    }

    public int rejectedTotal() {
        return rejected.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The status line of the run. */
    public String statusLine() {
        return String.format(Locale.ROOT, "discovery run #%d %s: pages=%d markets_seen=%d kept=%d filtered=%s rejected=%s"
                        + " duplicates=%d tokens=%d added=%d removed=%d duration=%.1fs%s%s",
                run, outcome.tag(), pages, marketsSeen, marketsKept, braces(filtered), braces(rejected), duplicates, tokens,
                added, removed, durationMs / 1000.0, historyFile == null ? "" : " history=" + historyFile,
                reason == null ? "" : " reason: " + reason);
    }

    private static String braces(Map<String, Integer> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
    }
}
