package io.orderbooks.replay;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One side of a rebuilt {@link Book}: its levels in ascending numeric price, each with its price as a number (the
 * key: {@code "0.43"} and {@code "0.430"} are one level, as in {@code BigDecimal.compareTo}) and its bytes as hashed
 * ({@link Utf8#levelJson}, encoded once when the level is set). Sorted arrays rather than a tree: a book has tens of
 * levels, and the hash walks all of them for almost every feed entry (docs/PERFORMANCE.md §11).
 */
final class Levels {
    private BigDecimal[] prices = new BigDecimal[8];
    private BookHash.Level[] levels = new BookHash.Level[8];
    private byte[][] json = new byte[8][];
    private int n;

    int size() {
        return n;
    }

    /** The {@code i}-th level, ascending by price. */
    BookHash.Level get(int i) {
        return levels[i];
    }

    /** The hashed bytes of the {@code i}-th level. */
    byte[] json(int i) {
        return json[i];
    }

    /** Sets the level at {@code price} (a new one, or the one of the numerically equal price replaced). */
    void put(BigDecimal price, BookHash.Level level) {
        int i = find(price);
        byte[] bytes = Utf8.levelJson(level.price(), level.size());
        if (i >= 0) {
            levels[i] = level;
            json[i] = bytes;
            return;
        }
        int at = -i - 1;
        if (n == prices.length) {
            int cap = n * 2;
            prices = Arrays.copyOf(prices, cap);
            levels = Arrays.copyOf(levels, cap);
            json = Arrays.copyOf(json, cap);
        }
        System.arraycopy(prices, at, prices, at + 1, n - at);
        System.arraycopy(levels, at, levels, at + 1, n - at);
        System.arraycopy(json, at, json, at + 1, n - at);
        prices[at] = price;
        levels[at] = level;
        json[at] = bytes;
        n++;
    }

    /** Removes the level at {@code price}, if there is one. */
    void remove(BigDecimal price) {
        int i = find(price);
        if (i < 0) {
            return;
        }
        System.arraycopy(prices, i + 1, prices, i, n - i - 1);
        System.arraycopy(levels, i + 1, levels, i, n - i - 1);
        System.arraycopy(json, i + 1, json, i, n - i - 1);
        n--;
        prices[n] = null;
        levels[n] = null;
        json[n] = null;
    }

    /** Takes over the levels of {@code other} (which must not be used afterwards). */
    void replaceWith(Levels other) {
        prices = other.prices;
        levels = other.levels;
        json = other.json;
        n = other.n;
    }

    /** Ascending by price. */
    List<BookHash.Level> ascending() {
        List<BookHash.Level> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(levels[i]);
        }
        return out;
    }

    /** Descending by price. */
    List<BookHash.Level> descending() {
        List<BookHash.Level> out = new ArrayList<>(n);
        for (int i = n - 1; i >= 0; i--) {
            out.add(levels[i]);
        }
        return out;
    }

    /** Index of the numerically equal price, or {@code -(insertion point) - 1}. */
    private int find(BigDecimal price) {
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = prices[mid].compareTo(price);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }
}
