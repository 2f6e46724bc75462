package io.orderbooks.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Short-lived crypto up/down markets (docs/SIMULATOR.md "Gamma"): for every asset and window length, one market
 * per window, created {@code updownHorizon} ahead and closed (resolved) at its window's end, so the horizon stays
 * filled and the token list churns: with the defaults (4 assets, 5 and 15 minutes, 24 h) 1,536 markets exist at
 * any time and as many are created and expire per day. Only the open ones and their books are tracked here; a
 * closed one stays in the universe like any closed market.
 */
final class UpDownMarkets {
    private record Expiry(Instant end, String marketId) {}

    private final SimConfig config;
    private final Universe universe;
    private final Set<String> slugs = new HashSet<>();
    private final PriorityQueue<Expiry> expiries =
            new PriorityQueue<>((a, b) -> a.end().compareTo(b.end()));

    UpDownMarkets(SimConfig config, Universe universe) {
        this.config = config;
        this.universe = universe;
    }

    boolean enabled() {
        return !config.updownAssets().isEmpty() && !config.updownWindows().isEmpty();
    }

    /** Closes the markets whose window ended, then lists the windows that entered the horizon. One thread only. */
    synchronized void step(Instant now) {
        while (!expiries.isEmpty() && !expiries.peek().end().isAfter(now)) {
            Expiry e = expiries.poll();
            universe.close(e.marketId());
            slugs.remove(universe.market(e.marketId()).map(m -> m.def().slug()).orElse(""));
        }
        long nowSec = now.getEpochSecond();
        long until = now.plus(config.updownHorizon()).getEpochSecond();
        for (String asset : config.updownAssets()) {
            for (Duration window : config.updownWindows()) {
                long w = window.toSeconds();
                // The current window (already started, still open) and every later one that starts within the horizon.
                for (long start = Math.floorDiv(nowSec, w) * w; start < until; start += w) {
                    String slug = asset + "-updown-" + MarketFactory.windowLabel(window) + "-" + start;
                    if (slugs.add(slug)) {
                        SimMarket m = universe.addUpDown(asset, window, start);
                        expiries.add(new Expiry(m.def().endDate(), m.id()));
                    }
                }
            }
        }
    }

    /** Open up/down markets now. */
    synchronized int open() {
        return expiries.size();
    }
}
