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
        String tick = config.tickSizes().pick(r.nextDouble());
        Instant created = day.minus(Duration.ofHours(config.markets() - index + 24L));
        Instant end =
                closed ? day.minus(Duration.ofDays(1 + r.nextInt(60))) : day.plus(Duration.ofDays(1 + r.nextInt(180)));
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
        return new MarketDef(
                id,
                "Will simulated event " + id + " happen?",
                ids.conditionId(conditionId),
                questionId,
                "sim-market-" + id,
                eventId,
                eventSlug,
                "Simulated event " + eventSlug,
                outcomes,
                ids.book(),
                ids.version(),
                ids.clob(),
                ids.position(),
                ids.positionAsString(),
                prices,
                negRisk,
                negRisk ? "0x" + HexFormat.of().formatHex(longBytes(mix(config.seed(), eventIndex))) + "00" : "",
                orderBook,
                tick,
                feeRateBps(index),
                r.nextDouble() < 0.8 ? 5 : 15,
                created,
                created.plus(Duration.ofMinutes(10)),
                end,
                liquidity,
                volume,
                volume24,
                tags);
    }

    /**
     * The protocol version and ids of a market, drawn from their own random stream so that adding versions left every
     * v1 market of a seed exactly as it was (ids, book, prices).
     *
     * @param v2Condition the 31-byte condition id of a V2 market ({@code 0x} + 62 hex), else null
     */
    private record Ids(
            MarketVersion version,
            List<String> book,
            List<String> clob,
            List<String> position,
            boolean positionAsString,
            String v2Condition) {
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
            // book: a client must reject them ("Reject missing or unsupported versions").
            return v3
                    ? new Ids(
                            MarketVersion.V3,
                            List.of(),
                            List.of(),
                            positionIds(r, n).ids(),
                            false,
                            null)
                    : new Ids(MarketVersion.ABSENT, List.of(), ctfTokenIds, List.of(), false, null);
        }
        if (x < config.unknownVersionShare() + config.v2Share()) {
            PositionIds p = positionIds(r, n);
            return new Ids(MarketVersion.V2, p.ids(), List.of(), p.ids(), asString, p.conditionId());
        }
        // A v1 row may carry positionIds too (the real GET /markets/559651 does); they are not its book ids.
        return new Ids(
                MarketVersion.V1,
                ctfTokenIds,
                ctfTokenIds,
                v1Positions ? positionIds(r, n).ids() : List.of(),
                false,
                null);
    }

    /** Own random stream, like {@link #ids}: {@code ""} without fees, else a plausible rate in basis points. */
    private String feeRateBps(int index) {
        Random r = new Random(mix(config.seed() ^ 0xfeeL, index));
        return r.nextDouble() < config.feesEnabledShare()
                ? Integer.toString(List.of(10, 25, 100, 200).get(r.nextInt(4)))
                : "";
    }

    /** True for a market whose books now and then lose a whole side (own random stream). */
    boolean oneSided(MarketDef m) {
        return new Random(mix(config.seed() ^ 0x051dL, m.id().hashCode())).nextDouble() < config.oneSidedBookShare();
    }

    private record PositionIds(String conditionId, List<String> ids) {}

    /**
     * A V2 condition (31 bytes, {@code 0x} + 62 hex: official ts-sdk ConditionIdSchema "31-byte or 32-byte hex") and
     * its position ids: the condition followed by one outcome byte, as a decimal uint256 of 75–76 digits
     * (the real sample's positionIds end …792/…793, outcome bytes 0 and 1).
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

    /**
     * A short-lived crypto up/down market (docs/SIMULATOR.md "Gamma"): slug {@code
     * {asset}-updown-5m-{windowStartUnix}},
     * outcomes Up/Down, tick 0.01, ending at the window's end. Its version and ids are drawn like any market's.
     */
    MarketDef upDown(int index, String asset, Duration window, long windowStartSec) {
        String label = windowLabel(window);
        String slug = asset + "-updown-" + label + "-" + windowStartSec;
        Random r = new Random(mix(config.seed() ^ 0x0bd0L, slug.hashCode()));
        String id = Integer.toString(FIRST_ID + index);
        Ids ids = ids(index, List.of(tokenId(r), tokenId(r)));
        Instant start = Instant.ofEpochSecond(windowStartSec);
        Instant end = start.plus(window);
        Instant created = start.minus(config.updownHorizon());
        String title = asset.toUpperCase(java.util.Locale.ROOT) + " Up or Down - " + label + " window from " + start;
        return new MarketDef(
                id,
                title,
                ids.conditionId(hex32(r)),
                hex32(r),
                slug,
                "8" + id,
                slug,
                title,
                List.of("Up", "Down"),
                ids.book(),
                ids.version(),
                ids.clob(),
                ids.position(),
                ids.positionAsString(),
                List.of("0.5", "0.5"),
                false,
                "",
                true,
                "0.01",
                feeRateBps(index),
                5,
                created,
                created,
                end,
                Math.round(Math.exp(r.nextDouble() * 9) * 100) / 100.0,
                0,
                0,
                List.of(TAGS.get(2)));
    }

    /** "5m", "15m", "1h", or seconds for short test windows ("2s"). */
    static String windowLabel(Duration window) {
        long s = window.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** A fresh book for one token of a market, deterministic per token. */
    OrderBook book(MarketDef m, int outcomeIndex) {
        Random r = new Random(
                mix(config.seed() ^ 0x5eedL, m.tokenIds().get(outcomeIndex).hashCode()));
        // Every price on the market's grid (tick 0.1 … 0.0001): mid and levels are multiples of the tick,
        // strictly between 0 and 1.
        int tick = Decimals.parsePrice(m.tickSize());
        int midUnits = (int) Math.round(Double.parseDouble(m.outcomePrices().get(outcomeIndex)) * Decimals.ONE);
        int mid = Math.max(tick, Math.min(Decimals.ONE - tick, Math.round((float) midUnits / tick) * tick));
        // Fine ticks get levels a few ticks apart, not all crowded within a cent of the mid.
        int spread = Math.max(1, Decimals.CENT / tick / 2);
        // The book last changed a little before start (REST timestamp = last change, not response time).
        long ts = config.clock().millis() - 1_000 - r.nextInt(600_000);
        OrderBook book = new OrderBook(
                m.conditionId(),
                m.tokenIds().get(outcomeIndex),
                m.negRisk(),
                Integer.toString(m.orderMinSize()),
                m.tickSize(),
                Decimals.price(mid),
                ts);
        int levels = Math.max(1, config.levelsPerSide());
        for (int k = 0, price = mid - tick; k < levels && price >= tick; price -= tick * (1 + r.nextInt(spread))) {
            if (r.nextInt(4) != 0) {
                book.setLevel(Side.BUY, price, randomSize(r), ts);
                k++;
            }
        }
        for (int k = 0, price = mid + tick;
                k < levels && price <= Decimals.ONE - tick;
                price += tick * (1 + r.nextInt(spread))) {
            if (r.nextInt(4) != 0) {
                book.setLevel(Side.SELL, price, randomSize(r), ts);
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
