package io.orderbooks.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The hash input written as bytes ({@link Utf8}, {@link Levels}, {@link Book#hashHex}, {@link Book#levelsDigest})
 * against the String path it replaced ({@link BookHash#preimage} then UTF-8 and SHA-1, a {@code TreeMap} of levels):
 * the same bytes and digests for strings that need escaping or are not ASCII, empty books, prices that are one level
 * ({@code "0.43"}, {@code "0.430"}), zero sizes and many random changes.
 */
class BookHashBytesTest {
    /** Every kind of char the escaping treats on its own, non-ASCII, a surrogate pair and a lone surrogate. */
    static final List<String> TRICKY = Arrays.asList(
            "",
            null,
            "0.43",
            "plain ascii ~!@#$%^&*()",
            "quote \" inside",
            "back\\slash",
            "line\nbreak\r\ttab\b\f",
            "ctrl \u0001\u001f",
            "del \u007f",
            "é and 中",
            "emoji \uD83D\uDE00",
            "lone \uD800 surrogate",
            "\uDC00");

    @Test
    void theBytesAreThoseOfThePreimageStringForEveryKindOfString() {
        for (String s : TRICKY) {
            List<BookHash.Level> levels = List.of(new BookHash.Level(s, s), new BookHash.Level("0.5", s));
            String pre = BookHash.preimage(s, s, s, levels, levels.reversed(), s, s, true, s);
            Utf8 out = new Utf8();
            out.head(s, s, s);
            out.levels(levels);
            out.ascii(",\"asks\":");
            out.levels(levels.reversed());
            out.tail(s, s, true, s);
            assertThat(out.toBytes()).as("%s", s).isEqualTo(pre.getBytes(StandardCharsets.UTF_8));
            assertThat(BookHash.sha1Hex(new Utf8(), s, s, s, levels, levels.reversed(), s, s, true, s))
                    .isEqualTo(BookHash.sha1Hex(pre));
            byte[] one = Utf8.levelJson(s, s);
            String oneString =
                    BookHash.preimage("", "", "", List.of(new BookHash.Level(s, s)), List.of(), "", "", false, "");
            assertThat(one)
                    .isEqualTo(oneString
                            .substring(oneString.indexOf("\"bids\":[") + 8, oneString.indexOf("],\"asks\""))
                            .getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aBookHashesAsItsPreimageWithTrickyFieldsAndAnEmptyBook() {
        for (String s : TRICKY) {
            Book b = new Book("asset " + s);
            b.market = s;
            b.timestamp = s;
            b.minOrderSize = s;
            b.tickSize = s;
            b.negRisk = s == null;
            b.lastTradePrice = s;
            assertThat(b.hashHex()).as("empty book, %s", s).isEqualTo(BookHash.sha1Hex(b.preimage()));
            b.setLevel(true, "0.43", "10");
            b.setLevel(false, "0.57", "3");
            assertThat(b.hashHex()).as("%s", s).isEqualTo(BookHash.sha1Hex(b.preimage()));
        }
    }

    @Test
    void randomChangesKeepTheLevelsAndDigestsOfTheTreeMapBook() {
        Random r = new Random(42);
        Book b = new Book("a");
        b.market = "m";
        b.timestamp = "1";
        b.minOrderSize = "5";
        b.tickSize = "0.01";
        b.negRisk = false;
        b.lastTradePrice = "0.5";
        TreeMap<BigDecimal, BookHash.Level> bids = new TreeMap<>();
        TreeMap<BigDecimal, BookHash.Level> asks = new TreeMap<>();
        for (int step = 0; step < 5_000; step++) {
            boolean bid = r.nextBoolean();
            // a few prices, written with 2 or 3 decimals ("0.43" and "0.430" are one level), sizes sometimes 0
            int cents = 30 + r.nextInt(40);
            String price = r.nextInt(4) == 0 ? String.format("0.%02d0", cents) : String.format("0.%02d", cents);
            String size = r.nextInt(5) == 0 ? (r.nextBoolean() ? "0" : "0.00") : Integer.toString(1 + r.nextInt(500));
            if (r.nextInt(200) == 0) {
                List<BookHash.Level> nb = randomLevels(r);
                List<BookHash.Level> na = randomLevels(r);
                b.replaceLevels(nb, na);
                bids = reference(nb);
                asks = reference(na);
            } else {
                b.setLevel(bid, price, size);
                TreeMap<BigDecimal, BookHash.Level> side = bid ? bids : asks;
                if (new BigDecimal(size).signum() == 0) {
                    side.remove(new BigDecimal(price));
                } else {
                    side.put(new BigDecimal(price), new BookHash.Level(price, size));
                }
            }
            List<BookHash.Level> refBids = new ArrayList<>(bids.values());
            List<BookHash.Level> refAsks = new ArrayList<>(asks.descendingMap().values());
            assertThat(b.bidsAscending()).isEqualTo(refBids);
            assertThat(b.asksDescending()).isEqualTo(refAsks);
            assertThat(b.bestBid())
                    .isEqualTo(bids.isEmpty() ? null : bids.lastEntry().getValue());
            assertThat(b.bestAsk())
                    .isEqualTo(asks.isEmpty() ? null : asks.firstEntry().getValue());
            assertThat(b.bestBids(3))
                    .isEqualTo(new ArrayList<>(bids.descendingMap().values()).subList(0, Math.min(3, bids.size())));
            assertThat(b.bestAsks(3)).isEqualTo(new ArrayList<>(asks.values()).subList(0, Math.min(3, asks.size())));
            if (step % 50 == 0) {
                assertThat(b.hashHex())
                        .isEqualTo(BookHash.sha1Hex(
                                BookHash.preimage("m", "a", "1", refBids, refAsks, "5", "0.01", false, "0.5")));
                assertThat(b.levelsDigest())
                        .isEqualTo(
                                BookHash.sha1Hex(BookHash.preimage("", "", "", refBids, refAsks, "", "", false, "")));
            }
        }
    }

    @Test
    void badLevelsAreRefusedAndLeaveTheBookAsItWas() {
        Book b = new Book("a");
        b.setLevel(true, "0.40", "10");
        String digest = b.levelsDigest();
        for (String[] bad : new String[][] {{"", "1"}, {"0.4", ""}, {"-0.1", "1"}, {"0.4", "-1"}, {"x", "1"}}) {
            assertThatThrownBy(() -> b.setLevel(true, bad[0], bad[1])).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> b.replaceLevels(List.of(new BookHash.Level(bad[0], bad[1])), List.of()))
                    .isInstanceOf(NumberFormatException.class);
        }
        assertThat(b.bidsAscending()).containsExactly(new BookHash.Level("0.40", "10"));
        assertThat(b.levelsDigest()).isEqualTo(digest);
    }

    private static List<BookHash.Level> randomLevels(Random r) {
        List<BookHash.Level> out = new ArrayList<>();
        for (int i = r.nextInt(30); i > 0; i--) {
            out.add(new BookHash.Level(
                    String.format("0.%02d", 1 + r.nextInt(98)),
                    r.nextInt(6) == 0 ? "0" : Integer.toString(r.nextInt(99))));
        }
        return out;
    }

    /** The replaced TreeMap book's full-book rule: a later level of an equal price wins, size 0 is no level. */
    private static TreeMap<BigDecimal, BookHash.Level> reference(List<BookHash.Level> levels) {
        TreeMap<BigDecimal, BookHash.Level> out = new TreeMap<>();
        for (BookHash.Level l : levels) {
            if (new BigDecimal(l.size()).signum() > 0) {
                out.put(new BigDecimal(l.price()), l);
            }
        }
        return out;
    }
}
