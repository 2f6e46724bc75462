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
        String conditionId = hex32(r);
        String questionId = hex32(r);
        Ids ids = ids(index, tokenIds);
        return new MarketDef(id, "Will simulated event " + id + " happen?", ids.conditionId(conditionId), questionId,
                "sim-market-" + id, eventId, eventSlug, "Simulated event " + eventSlug, outcomes, ids.book(),
                ids.version(), ids.clob(), ids.position(), ids.positionAsString(), prices,
                negRisk, negRisk ? "0x" + HexFormat.of().formatHex(longBytes(mix(config.seed(), eventIndex))) + "00" : "",
                orderBook, tick, r.nextDouble() < 0.8 ? 5 : 15, created, created.plus(Duration.ofMinutes(10)), end,
                liquidity, volume, volume24, tags);
    }

    /**
     * The protocol version and ids of a market, drawn from their own random stream so that adding versions left every
     * v1 market of a seed exactly as it was (ids, book, prices).
     *
     * @param v2Condition the 31-byte condition id of a V2 market ({@code 0x} + 62 hex), else null
     */
    private record Ids(MarketVersion version, List<String> book, List<String> clob, List<String> position,
                       boolean positionAsString, String v2Condition) {
        String conditionId(String v1Condition) {
            return v2Condition != null ? v2Condition : v1Condition;
        }
    }

    private Ids ids(int index, List<String> ctfTokenIds) {
        Random r = new Random(mix(config.seed() ^ 0x7632L, index));
        int n = ctfTokenIds.size();
        double x = r.nextDouble();
        boolean asString = r.nextDouble() < config.v2PositionIdsAsStringShare();
        boolean v1Positions = r.nextDouble() < config.v1PositionIdsShare();
        boolean v3 = r.nextBoolean();
        if (x < config.unknownVersionShare()) {
            // Both kinds occur: "v3" rows (position ids) and rows without a version (CTF-looking ids). Neither has a
            // book: a client must reject them ("Reject missing or unsupported versions", §00 item 1).
            return v3 ? new Ids(MarketVersion.V3, List.of(), List.of(), positionIds(r, n).ids(), false, null)
                    : new Ids(MarketVersion.ABSENT, List.of(), ctfTokenIds, List.of(), false, null);
        }
        if (x < config.unknownVersionShare() + config.v2Share()) {
            PositionIds p = positionIds(r, n);
            return new Ids(MarketVersion.V2, p.ids(), List.of(), p.ids(), asString, p.conditionId());
        }
        // A v1 row may carry positionIds too (the real GET /markets/559651 does); they are not its book ids.
        return new Ids(MarketVersion.V1, ctfTokenIds, ctfTokenIds, v1Positions ? positionIds(r, n).ids() : List.of(),
                false, null);
    }

    private record PositionIds(String conditionId, List<String> ids) {
    }

    /**
     * A V2 condition (31 bytes, {@code 0x} + 62 hex: official ts-sdk ConditionIdSchema "31-byte or 32-byte hex") and
     * its position ids: the condition followed by one outcome byte, as a decimal uint256 of 75–76 digits
     * (§00 item 1; the real sample's positionIds end …792/…793, outcome bytes 0 and 1).
     */
    static PositionIds positionIds(Random r, int outcomes) {
        while (true) {
            byte[] c = new byte[31];
            r.nextBytes(c);
            c[0] = (byte) (1 + r.nextInt(21));
            BigInteger condition = new BigInteger(1, c);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < outcomes; i++) {
                ids.add(condition.shiftLeft(8).or(BigInteger.valueOf(i)).toString());
            }
            int digits = ids.getFirst().length();
            if (digits >= 75 && digits <= 76) {
                return new PositionIds("0x" + HexFormat.of().formatHex(c), ids);
            }
        }
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
