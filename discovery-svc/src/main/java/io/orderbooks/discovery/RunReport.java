package io.orderbooks.discovery;

import io.orderbooks.shared.manifests.Protocol;
import java.util.Collections;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one discovery run did: the one status line an operator reads, and what tests and health look at.
 *
 * @param outcome          {@code published}: a new tokens.json; {@code unchanged}: same list as the current one,
 *                         nothing written; {@code refused}: a list was built but not published (it failed validation
 *                         or shrank too much); {@code failed}: the walk did not complete, nothing published
 * @param reason           why it was refused or failed (null otherwise)
 * @param marketsByVersion markets seen, by Gamma {@code version}: {@code v1}, {@code v2}, {@code missing}, and each
 *                         unsupported value (see {@link MarketVersion#label()}; {@code other} past
 *                         {@link RunTally#MAX_VERSION_LABELS} distinct labels)
 * @param filtered         markets dropped on purpose, by filter ({@code not_tradeable}, {@code min_liquidity}, …)
 * @param rejected         tradeable markets whose data was unusable, by {@link Rejection#tag()}
 * @param tokensByProtocol tokens of the list this run built, by protocol ({@code v1}, {@code v2}); empty when no
 *                         list was built
 */
public record RunReport(
        long run,
        Outcome outcome,
        String reason,
        int pages,
        int marketsSeen,
        Map<String, Integer> marketsByVersion,
        int marketsKept,
        Map<String, Integer> filtered,
        Map<String, Integer> rejected,
        int duplicates,
        int tokens,
        Map<String, Integer> tokensByProtocol,
        int added,
        int removed,
        long durationMs,
        String historyFile) {
    /** {@code v1}, {@code v2}, {@code missing}, then unsupported labels alphabetically, {@code other} last. */
    static final Comparator<String> VERSION_ORDER =
            Comparator.comparingInt(RunReport::versionRank).thenComparing(Comparator.naturalOrder());

    public enum Outcome {
        PUBLISHED,
        UNCHANGED,
        REFUSED,
        FAILED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RunReport {
        TreeMap<String, Integer> versions = new TreeMap<>(VERSION_ORDER);
        versions.putAll(marketsByVersion);
        marketsByVersion = Collections.unmodifiableMap(versions);
        filtered = Collections.unmodifiableMap(new TreeMap<>(filtered));
        rejected = Collections.unmodifiableMap(new TreeMap<>(rejected));
        tokensByProtocol = Collections.unmodifiableMap(new TreeMap<>(tokensByProtocol));
    }

    public boolean succeeded() {
        return outcome == Outcome.PUBLISHED || outcome == Outcome.UNCHANGED;
    }

    /** The walk reached the last page, so the counts describe all of the listing (not true of a failed run). */
    public boolean walkCompleted() {
        return outcome != Outcome.FAILED;
    }

    /** Markets seen whose version is neither v1 nor v2 (missing included). */
    public int unsupportedVersionMarkets() {
        return marketsByVersion.entrySet().stream()
                .filter(e -> Protocol.fromWire(e.getKey()).isEmpty())
                .mapToInt(Map.Entry::getValue)
                .sum();
    }

    /** The status line of the run. */
    public String statusLine() {
        return String.format(
                Locale.ROOT,
                "discovery run #%d %s: pages=%d markets_seen=%d markets_by_version=%s"
                        + " v2_share=%s kept=%d filtered=%s rejected=%s duplicates=%d tokens=%d tokens_by_protocol=%s"
                        + " added=%d removed=%d duration=%.1fs%s%s",
                run,
                outcome.tag(),
                pages,
                marketsSeen,
                braces(marketsByVersion),
                v2Share(),
                marketsKept,
                braces(filtered),
                braces(rejected),
                duplicates,
                tokens,
                braces(tokensByProtocol),
                added,
                removed,
                durationMs / 1000.0,
                historyFile == null ? "" : " history=" + historyFile,
                reason == null ? "" : " reason: " + reason);
    }

    /** V2 markets as a share of the markets seen, e.g. {@code 24.7%}; {@code n/a} when none were seen. */
    String v2Share() {
        if (marketsSeen == 0) {
            return "n/a";
        }
        return String.format(
                Locale.ROOT, "%.1f%%", 100.0 * marketsByVersion.getOrDefault(Protocol.V2.wire(), 0) / marketsSeen);
    }

    private static int versionRank(String label) {
        return switch (label) {
            case "v1" -> 0;
            case "v2" -> 1;
            case MarketVersion.MISSING -> 2;
            case RunTally.OTHER -> 4;
            default -> 3;
        };
    }

    private static String braces(Map<String, Integer> m) {
        return m.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }
}
