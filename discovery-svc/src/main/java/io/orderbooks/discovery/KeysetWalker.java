package io.orderbooks.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Walks Gamma's {@code /markets/keyset} from the first page until a page comes without {@code next_cursor},
 * sending the cursor back as {@code after_cursor} and re-sending every filter on every page (docs
 * list-markets-keyset-pagination). Gamma silently ignores a wrongly named cursor parameter and answers page 1 again
 * (Polymarket/agents#227, py-clob-client#334), so a walk must not trust it to end:
 * <ul>
 * <li>a {@code next_cursor} that was already used, or a non-empty page whose markets were already seen, ends the
 * walk with an error;</li>
 * <li>more than {@code max-pages} pages end it with an error.</li>
 * </ul>
 * Requests are paced to at most {@code max-requests-per-second}. A failed walk publishes nothing.
 */
final class KeysetWalker {
    /** Fetches one page; throws when the page could not be had (after its own retries). */
    @FunctionalInterface
    interface PageSource {
        GammaPage fetch(String req, Map<String, List<String>> query);
    }

    @FunctionalInterface
    interface PageSink {
        void accept(GammaPage page);
    }

    record Settings(String cursorParam, int pageSize, int maxPages, int maxRequestsPerSecond) {
        Settings {
            if (cursorParam == null || cursorParam.isBlank()) {
                throw new IllegalArgumentException("discovery.cursor-param must not be empty");
            }
            if (pageSize < 1 || maxPages < 1 || maxRequestsPerSecond < 1) {
                throw new IllegalArgumentException(
                        "page-size, max-pages and max-requests-per-second must be at least 1");
            }
        }
    }

    /** The walk did not reach the last page. */
    static final class WalkException extends RuntimeException {
        WalkException(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final long minSpacingNanos;
    private long lastRequestNanos;

    KeysetWalker(Settings settings) {
        this.settings = settings;
        // A little above 1/rate, so the client's own @RateLimit never sees two requests inside one slot.
        this.minSpacingNanos = 1_000_000_000L / settings.maxRequestsPerSecond() + 2_000_000L;
    }

    /** @return the number of pages walked */
    int walk(Map<String, List<String>> filters, PageSource source, PageSink sink, BooleanSupplier stopping) {
        Set<String> cursors = new HashSet<>();
        Set<String> pages = new HashSet<>();
        String cursor = null;
        int count = 0;
        while (true) {
            if (stopping.getAsBoolean()) {
                throw new WalkException("stopped after " + count + " pages: the service is shutting down");
            }
            if (count >= settings.maxPages()) {
                throw new WalkException("more than discovery.max-pages=" + settings.maxPages() + " pages; either Gamma"
                        + " ignores the cursor or it really lists that many markets (then raise discovery.max-pages)");
            }
            Map<String, List<String>> query = new LinkedHashMap<>(filters);
            query.put("limit", List.of(Integer.toString(settings.pageSize())));
            if (cursor != null) {
                query.put(settings.cursorParam(), List.of(cursor));
            }
            pace();
            GammaPage page = source.fetch(request(query), query);
            count++;
            sink.accept(page);
            String fingerprint = fingerprint(page.markets());
            if (fingerprint != null && !pages.add(fingerprint)) {
                throw new WalkException("page " + count + " repeats the markets of an earlier page: Gamma is not"
                        + " following the cursor (parameter '" + settings.cursorParam() + "'); stopped the walk");
            }
            String next = page.nextCursor();
            if (next == null) {
                return count;
            }
            if (!cursors.add(next)) {
                throw new WalkException("page " + count + " gave a next_cursor that was already used: Gamma is not"
                        + " following the cursor (parameter '" + settings.cursorParam() + "'); stopped the walk");
            }
            cursor = next;
        }
    }

    private void pace() {
        long wait = lastRequestNanos + minSpacingNanos - System.nanoTime();
        if (lastRequestNanos != 0 && wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WalkException("interrupted");
            }
        }
        lastRequestNanos = System.nanoTime();
    }

    /** The request (path and query, as sent; the client may order the parameters differently), for the raw stream's {@code req}. */
    static String request(Map<String, List<String>> query) {
        StringBuilder b = new StringBuilder("GET ").append(GammaClient.PATH);
        char sep = '?';
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            for (String v : e.getValue()) {
                b.append(sep)
                        .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return b.toString();
    }

    /** SHA-256 over the page's market ids and condition ids; null for an empty page. */
    static String fingerprint(JsonNode markets) {
        if (markets == null || !markets.isArray() || markets.isEmpty()) {
            return null;
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (JsonNode m : markets) {
                md.update(m.path("id").asText("").getBytes(StandardCharsets.UTF_8));
                md.update((byte) '/');
                md.update(m.path("conditionId").asText("").getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
