package io.orderbooks.sim;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Makes markets and their initial books deterministically from a seed: the same seed and index always give the same
 * market, token ids and book (timestamps and dates are relative to the start day of the clock).
 */
final class MarketFactory {
    private static final List<MarketDef.Tag> TAGS = List.of(
            new MarketDef.Tag("2", "Politics", "politics"),
            new MarketDef.Tag("1", "Sports", "sports"),
            new MarketDef.Tag("21", "Crypto", "crypto"),
            new MarketDef.Tag("100265", "Geopolitics", "geopolitics"),
            new MarketDef.Tag("120", "Finance", "finance"),
            new MarketDef.Tag("596", "Culture", "culture"),
            new MarketDef.Tag("1401", "Tech", "tech"));
    private static final int FIRST_ID = 500_000;
    private static final int NEG_RISK_EVENT_SIZE = 4;

    private final SimConfig config;
    private final Instant day;

    MarketFactory(SimConfig config) {
        this.config = config;
        this.day = config.clock().instant().truncatedTo(ChronoUnit.DAYS);
    }

    /** The market with this index (ids increase with the index, so Gamma's id order is creation order). */
    MarketDef market(int index, boolean closed) {
        Random r = new Random(mix(config.seed(), index));
        String id = Integer.toString(FIRST_ID + index);
        boolean negRisk = r.nextDouble() < config.negRiskShare();
        boolean noYes = r.nextDouble() < config.noYesOrderShare();
        boolean orderBook = r.nextDouble() >= config.noOrderBookShare();
        int eventIndex = negRisk ? index / NEG_RISK_EVENT_SIZE : index;
        String eventId = Integer.toString(90_000 + eventIndex) + (negRisk ? "" : "1");
        String eventSlug = negRisk ? "sim-group-" + eventIndex : "sim-event-" + index;
        List<String> outcomes = outcomes(noYes);
        List<String> tokenIds = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            tokenIds.add(tokenId(r));
        }
        int yesCents = 3 + r.nextInt(95);
        List<String> prices = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            int cents = outcomes.size() == 2 ? (i == 0 ? yesCents : 100 - yesCents) : 100 / outcomes.size();
            prices.add(Decimals.price(cents * Decimals.CENT));
        }
        String tick = r.nextDouble() < 0.15 ? "0.001" : "0.01";
        Instant created = day.minus(Duration.ofHours(config.markets() - index + 24L));
        Instant end = closed ? day.minus(Duration.ofDays(1 + r.nextInt(60)))
                : day.plus(Duration.ofDays(1 + r.nextInt(180)));
        double liquidity = Math.round(Math.exp(r.nextDouble() * 14) * 100) / 100.0;
        double volume24 = Math.round(Math.exp(r.nextDouble() * 13) * 100) / 100.0;
        double volume = Math.round((volume24 * (5 + r.nextInt(200))) * 100) / 100.0;
        List<MarketDef.Tag> tags = new ArrayList<>();
        tags.add(TAGS.get(r.nextInt(TAGS.size())));
        MarketDef.Tag second = TAGS.get(r.nextInt(TAGS.size()));
        if (!tags.contains(second)) {
            tags.add(second);
        }
        return new MarketDef(id, "Will simulated event " + id + " happen?", hex32(r), hex32(r),
                "sim-market-" + id, eventId, eventSlug, "Simulated event " + eventSlug, outcomes, tokenIds, prices,
                negRisk, negRisk ? "0x" + HexFormat.of().formatHex(longBytes(mix(config.seed(), eventIndex))) + "00" : "",
                orderBook, tick, r.nextDouble() < 0.8 ? 5 : 15, created, created.plus(Duration.ofMinutes(10)), end,
                liquidity, volume, volume24, tags);
    }

    /** A fresh book for one token of a market, deterministic per token. */
    OrderBook book(MarketDef m, int outcomeIndex) {
        Random r = new Random(mix(config.seed() ^ 0x5eedL, m.tokenIds().get(outcomeIndex).hashCode()));
        int midCents = Math.max(2, Math.min(98, (int) Math.round(Double.parseDouble(m.outcomePrices().get(outcomeIndex)) * 100)));
        // The book last changed a little before start (REST timestamp = last change, not response time).
        long ts = config.clock().millis() - 1_000 - r.nextInt(600_000);
        OrderBook book = new OrderBook(m.conditionId(), m.tokenIds().get(outcomeIndex), m.negRisk(),
                Integer.toString(m.orderMinSize()), m.tickSize(), Decimals.price(midCents * Decimals.CENT), ts);
        int levels = Math.max(1, config.levelsPerSide());
        for (int k = 0, price = midCents - 1; k < levels && price >= 1; price--) {
            if (r.nextInt(4) != 0) {
                book.setLevel(Side.BUY, price * Decimals.CENT, randomSize(r), ts);
                k++;
            }
        }
        for (int k = 0, price = midCents + 1; k < levels && price <= 99; price++) {
            if (r.nextInt(4) != 0) {
                book.setLevel(Side.SELL, price * Decimals.CENT, randomSize(r), ts);
                k++;
            }
        }
        return book;
    }

    static long randomSize(Random r) {
        long whole = 5 + (long) Math.exp(r.nextDouble() * 11);
        long cents = r.nextInt(3) == 0 ? r.nextInt(100) : 0;
        return whole * 100 + cents;
    }

    private List<String> outcomes(boolean noYes) {
        if (config.outcomes() == 2) {
            return noYes ? List.of("No", "Yes") : List.of("Yes", "No");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < config.outcomes(); i++) {
            names.add("Outcome " + (char) ('A' + i % 26) + (i >= 26 ? Integer.toString(i / 26) : ""));
        }
        return names;
    }

    /** A uint256 as a 77–78 digit decimal string, like real CLOB token ids (never a long). */
    private static String tokenId(Random r) {
        while (true) {
            String s = new BigInteger(256, r).toString();
            if (s.length() >= 76) {
                return s;
            }
        }
    }

    private static String hex32(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return "0x" + HexFormat.of().formatHex(b);
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[31];
        Random r = new Random(v);
        r.nextBytes(b);
        return b;
    }

    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
