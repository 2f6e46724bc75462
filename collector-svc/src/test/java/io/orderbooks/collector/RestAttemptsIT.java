package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.Eventually;
import io.orderbooks.sim.PolymarketSim;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every failed {@code /books} attempt leaves one in-band line in {@code rest_books}, whether or not a retry got
 * past it: a 503, a timeout and an unreadable 200 are each one {@code request_failed} event with their status,
 * followed by the retry's books (or, for a timeout, which is not retried, by the request's {@code error} line); a 200
 * that stays unreadable through every retry ends as an {@code error} line with status 200. The packaged jar against
 * the simulator's REST faults, like the 429 case of {@link CollectorProcessIT}.
 */
@Tag("process")
class RestAttemptsIT {
    private static final int TOKENS = 10;
    private SimCollector fx;
    private PolymarketSim sim;
    private DataDir dir;
    private CollectorProcess collector;

    @BeforeEach
    void startSim() {
        fx = SimCollector.start(14, 10);
        sim = fx.sim;
        dir = fx.dir;
    }

    @AfterEach
    void stopAll() {
        fx.close();
    }

    private void publishTokens() throws Exception {
        fx.publishTokens(TOKENS);
    }

    private static void await(String what, Duration max, BooleanSupplier ok) {
        Eventually.until(what, max, ok::getAsBoolean);
    }

    private int faultLeft(String key) {
        return ((Number) sim.faults().state().get(key)).intValue();
    }

    /** Waits until the fault is used up and then until {@code books} more books were served after that. */
    private void afterFault(String what, String remainingKey, long books) throws InterruptedException {
        await(what + " used up", Duration.ofSeconds(60), () -> faultLeft(remainingKey) == 0);
        long served = sim.oracle().restBooksServed();
        await(
                what + ": " + books + " more books served",
                Duration.ofSeconds(60),
                () -> sim.oracle().restBooksServed() >= served + books);
    }

    @Test
    void everyFailedAttemptIsOneRequestFailedLineWithItsStatus() throws Exception {
        publishTokens();
        var env = fx.env("rest1", "0/1");
        env.put("COLLECTOR_SNAPSHOT_INTERVAL", "2s");
        // The /books client's fault tolerance, shortened: an attempt times out after 1.5 s, retries come fast.
        env.put("IO_ORDERBOOKS_COLLECTOR_CLOBBOOKSCLIENT_BOOKS_TIMEOUT_VALUE", "1500");
        env.put("IO_ORDERBOOKS_COLLECTOR_CLOBBOOKSCLIENT_BOOKS_RETRY_DELAY", "50");
        env.put("IO_ORDERBOOKS_COLLECTOR_CLOBBOOKSCLIENT_BOOKS_RETRY_JITTER", "10");
        env.put("IO_ORDERBOOKS_COLLECTOR_CLOBBOOKSCLIENT_BOOKS_EXPONENTIALBACKOFF_MAXDELAY", "200");
        collector = fx.start(env, "rest1");
        await(
                "a first snapshot round",
                Duration.ofSeconds(60),
                () -> sim.oracle().restBooksServed() >= TOKENS);

        // A 503 that the retry gets past.
        sim.faults().apply("http", Map.of("status", "503", "count", "1", "scope", "clob"));
        afterFault("503", "http_remaining", 2 * TOKENS);
        // An answer slower than the attempt's timeout (the late answer is still served, hence three batches).
        sim.faults().apply("slow", Map.of("ms", "2500", "count", "1", "scope", "clob"));
        afterFault("slow", "slow_remaining", 3 * TOKENS);
        // A 200 whose body is garbage, then a good retry.
        sim.faults().apply("malformed", Map.of("count", "1", "kind", "garbage", "target", "rest"));
        afterFault("one unreadable 200", "rest_malformed_remaining", 2 * TOKENS);
        // A 200 that stays unreadable through the first attempt and all 3 retries.
        sim.faults().apply("malformed", Map.of("count", "4", "kind", "truncated", "target", "rest"));
        afterFault("four unreadable 200s", "rest_malformed_remaining", TOKENS);

        assertThat(collector.terminate()).isIn(0, 143);
        List<JsonNode> rest = new DataDirReader(dir).records(StreamName.REST_BOOKS);
        List<JsonNode> failed = rest.stream()
                .filter(r -> "request_failed".equals(r.path("event").asText()))
                .toList();
        for (JsonNode f : failed) {
            assertThat(f.get("src").asText()).isEqualTo("rest");
            assertThat(f.get("endpoint").asText()).isEqualTo("POST /books");
            assertThat(f.get("req").asText()).startsWith("books#");
            assertThat(f.get("tokens").asInt()).isEqualTo(TOKENS);
            assertThat(f.get("latency_ms").asLong()).isNotNegative();
        }

        // The 503: one line, then the retry's books for the same request and no error line.
        JsonNode e503 = single(failed, f -> f.get("status").asInt() == 503, "503");
        assertThat(e503.get("attempt").asInt()).isEqualTo(1);
        assertThat(e503.get("reason").asText()).startsWith("HTTP 503: ");
        assertThat(books(rest, e503)).hasSize(TOKENS);
        assertThat(errors(rest, e503)).isEmpty();

        // The timeout: one line with a timeout reason; a timeout is not retried, so the request ends in an error.
        JsonNode timeout = single(failed, f -> f.get("reason").asText().startsWith("timeout"), "timeout");
        assertThat(timeout.get("status").asInt()).isZero();
        assertThat(timeout.get("attempt").asInt()).isEqualTo(1);
        assertThat(timeout.get("latency_ms").asLong()).isBetween(1400L, 2400L);
        assertThat(books(rest, timeout)).isEmpty();
        assertThat(errors(rest, timeout))
                .singleElement()
                .satisfies(e -> assertThat(e.get("status").asInt()).isZero());

        // The unreadable 200s: status 200 and a reason; retried like a 5xx.
        List<JsonNode> unreadable =
                failed.stream().filter(f -> f.get("status").asInt() == 200).toList();
        assertThat(unreadable)
                .hasSize(5)
                .allSatisfy(f -> assertThat(f.get("reason").asText()).startsWith("unreadable body"));
        JsonNode once = unreadable.get(0);
        assertThat(unreadable.stream().filter(f -> f.get("req").equals(once.get("req"))))
                .hasSize(1);
        assertThat(books(rest, once)).as("the retry got the books").hasSize(TOKENS);
        assertThat(errors(rest, once)).isEmpty();
        List<JsonNode> persistent = unreadable.subList(1, 5);
        assertThat(persistent)
                .extracting(f -> f.get("req").asText())
                .containsOnly(persistent.get(0).get("req").asText());
        assertThat(persistent).extracting(f -> f.get("attempt").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(books(rest, persistent.get(0))).isEmpty();
        assertThat(errors(rest, persistent.get(0)))
                .as("the final failure keeps the real status and says why")
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.get("status").asInt()).isEqualTo(200);
                    assertThat(e.get("error").asText()).contains("unreadable body");
                });

        assertThat(failed).as("nothing else failed").hasSize(1 + 1 + 5);
        assertThat(rest)
                .as("no rate limit in this run")
                .noneMatch(r -> "rate_limited".equals(r.path("event").asText()));
    }

    private static JsonNode single(List<JsonNode> lines, Predicate<JsonNode> which, String what) {
        List<JsonNode> found = lines.stream().filter(which).toList();
        assertThat(found).as("request_failed lines for the " + what).hasSize(1);
        return found.get(0);
    }

    /** The book lines of the same request, after the failure line. */
    private static List<JsonNode> books(List<JsonNode> rest, JsonNode failure) {
        return after(rest, failure).stream().filter(r -> r.has("item")).toList();
    }

    private static List<JsonNode> errors(List<JsonNode> rest, JsonNode failure) {
        return after(rest, failure).stream().filter(r -> r.has("error")).toList();
    }

    private static List<JsonNode> after(List<JsonNode> rest, JsonNode failure) {
        int at = rest.indexOf(failure);
        String req = failure.get("req").asText();
        return rest.subList(at + 1, rest.size()).stream()
                .filter(r -> !r.has("event") && req.equals(r.path("req").asText()))
                .toList();
    }
}
