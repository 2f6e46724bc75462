package io.orderbooks.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * How event rates spread over markets and time ({@code rateProfile}). {@code UNIFORM}: every market at the configured
 * rate, always (the simulator's behaviour before 2026). {@code REALISTIC}: sized from docs/COLLECTOR.md "Feed size"
 * (the whole market channel averages "a few thousand frames/s with much higher peaks"):
 * <ul>
 *   <li>per market, a log-normal weight {@code exp(σZ − σ²/2)} with σ = {@value #SIGMA} (mean 1, median 0.32, the top
 *       1 % above ~10): few hot markets, many nearly silent;</li>
 *   <li>over time, a global burst: on average every {@value #MEAN_GAP_SECONDS} s the whole feed runs at
 *       {@value #BURST_FACTOR}× for 2–10 s; the base is scaled by 1 / (1 + f·(factor − 1)), f = the time share in
 *       bursts (6 / 66), so the long-run mean stays the configured rate.</li>
 * </ul>
 * Generator thread only.
 */
final class RateShape {
    static final double SIGMA = 1.5;
    static final double MEAN_GAP_SECONDS = 60;
    static final double BURST_FACTOR = 5;
    static final double MIN_BURST_SECONDS = 2;
    static final double MAX_BURST_SECONDS = 10;
    /** Long-run share of time in a burst: mean burst / (mean gap + mean burst). */
    static final double BURST_TIME_SHARE = (MIN_BURST_SECONDS + MAX_BURST_SECONDS)
            / 2
            / (MEAN_GAP_SECONDS + (MIN_BURST_SECONDS + MAX_BURST_SECONDS) / 2);

    static final double BASE = 1 / (1 + BURST_TIME_SHARE * (BURST_FACTOR - 1));

    private final SimConfig.RateProfile profile;
    private final long seed;
    private final Random time;
    private final Map<String, Double> weights = new HashMap<>();
    private double burstLeftSeconds;

    RateShape(SimConfig config) {
        this.profile = config.rateProfile();
        this.seed = config.seed();
        this.time = new Random(MarketFactory.mix(config.seed() ^ 0xb0b5L, 1));
    }

    /** Advances the burst clock by one generator tick; returns the feed-wide multiplier for it. */
    double advance(double seconds) {
        if (profile == SimConfig.RateProfile.UNIFORM) {
            return 1;
        }
        if (burstLeftSeconds > 0) {
            burstLeftSeconds -= seconds;
            return BASE * BURST_FACTOR;
        }
        if (time.nextDouble() < seconds / MEAN_GAP_SECONDS) {
            burstLeftSeconds = MIN_BURST_SECONDS + time.nextDouble() * (MAX_BURST_SECONDS - MIN_BURST_SECONDS);
        }
        return BASE;
    }

    /** The market's weight: 1 under UNIFORM, log-normal with mean 1 under REALISTIC, fixed per seed and market. */
    double weight(String marketId) {
        if (profile == SimConfig.RateProfile.UNIFORM) {
            return 1;
        }
        return weights.computeIfAbsent(
                marketId,
                id -> Math.exp(SIGMA * new Random(MarketFactory.mix(seed ^ 0x3a7eL, id.hashCode())).nextGaussian()
                        - SIGMA * SIGMA / 2));
    }

    void forget(String marketId) {
        weights.remove(marketId);
    }
}
