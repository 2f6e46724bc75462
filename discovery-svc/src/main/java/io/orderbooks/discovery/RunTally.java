package io.orderbooks.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one discovery run counts, market by market: markets seen by {@code version}, markets filtered and rejected by
 * reason, tokens of the built list by protocol (docs/DISCOVERY.md "Counting"). It counts and never logs; one run, one
 * thread. Each market is read on its own, so a bad market costs that market and not the rest of its page.
 */
final class RunTally {
    /**
     * Distinct version labels counted in one run: the labels come from upstream data, so a flood of odd values is
     * folded into {@value #OTHER} rather than growing the status line, the manifest and the metrics without bound.
     */
    static final int MAX_VERSION_LABELS = 16;

    static final String OTHER = "other";
    private static final Set<String> ALWAYS_COUNTED =
            Set.of(Protocol.V1.wire(), Protocol.V2.wire(), MarketVersion.MISSING);

    /** Tradeable markets rejected for one unsupported version: how many, and the first one's Gamma id. */
    record UnsupportedVersion(int markets, String firstMarketId) {}

    int pages;
    int seen;
    int kept;
    int tokens;
    int duplicates;
    int added;
    int removed;
    int rejectionsLogged;
    int rejectionsNotLogged;
    final Map<String, Integer> filtered = new HashMap<>();
    final Map<String, Integer> rejected = new HashMap<>();
    final Map<String, Integer> marketsByVersion = new HashMap<>();
    final Map<String, Integer> tokensByProtocol = new HashMap<>();
    final Map<String, UnsupportedVersion> unsupportedVersions = new TreeMap<>();

    RunTally() {
        // v1, v2 and missing are always in the counts, so "v2=0" is said rather than left out
        ALWAYS_COUNTED.forEach(label -> marketsByVersion.put(label, 0));
    }

    /** Counts one market object of a page and returns what the parser made of it. */
    MarketParser.Result read(JsonNode market) {
        seen++;
        String version = versionLabel(MarketVersion.of(market));
        marketsByVersion.merge(version, 1, Integer::sum);
        MarketParser.Result result = MarketParser.parse(market);
        switch (result) {
            case MarketParser.NotTradeable n -> filtered("not_tradeable", 1);
            case MarketParser.Rejected r -> {
                reject(r.reason());
                if (r.reason() == Rejection.UNKNOWN_VERSION) {
                    unsupportedVersions.merge(
                            version,
                            new UnsupportedVersion(1, r.marketId()),
                            (a, b) -> new UnsupportedVersion(a.markets() + 1, a.firstMarketId()));
                }
            }
            case MarketParser.Parsed p -> {}
        }
        return result;
    }

    void reject(Rejection reason) {
        rejected.merge(reason.tag(), 1, Integer::sum);
    }

    void filtered(String reason, int markets) {
        filtered.merge(reason, markets, Integer::sum);
    }

    /** The list this run built (published or not). */
    void built(int markets, List<TokenEntry> list) {
        kept = markets;
        tokens = list.size();
        tokensByProtocol.clear();
        for (Protocol p : Protocol.values()) {
            tokensByProtocol.put(p.wire(), 0);
        }
        list.forEach(t -> tokensByProtocol.merge(t.protocol().wire(), 1, Integer::sum));
    }

    /**
     * One WARN line per unsupported version this run met (not one per market, nor per page): how many tradeable
     * markets carry it and the first one's Gamma id.
     */
    List<String> unsupportedVersionWarnings(long run) {
        return unsupportedVersions.entrySet().stream()
                .map(e -> String.format(
                        Locale.ROOT,
                        "run #%d: %d tradeable %s version %s, which is not supported (v1, v2): rejected, ids not guessed"
                                + " (first: market %s; docs/DISCOVERY.md)",
                        run,
                        e.getValue().markets(),
                        e.getValue().markets() == 1 ? "market has" : "markets have",
                        e.getKey(),
                        e.getValue().firstMarketId()))
                .toList();
    }

    RunReport report(long run, RunReport.Outcome outcome, String reason, long t0, String history) {
        return new RunReport(
                run,
                outcome,
                reason,
                pages,
                seen,
                marketsByVersion,
                kept,
                filtered,
                rejected,
                duplicates,
                tokens,
                tokensByProtocol,
                added,
                removed,
                (System.nanoTime() - t0) / 1_000_000,
                history);
    }

    private String versionLabel(MarketVersion v) {
        String label = v.label();
        if (ALWAYS_COUNTED.contains(label) || marketsByVersion.containsKey(label)) {
            return label;
        }
        // one place is kept for OTHER itself
        long unsupported = marketsByVersion.keySet().stream()
                .filter(l -> !ALWAYS_COUNTED.contains(l) && !l.equals(OTHER))
                .count();
        return unsupported < MAX_VERSION_LABELS - ALWAYS_COUNTED.size() - 1 ? label : OTHER;
    }
}
