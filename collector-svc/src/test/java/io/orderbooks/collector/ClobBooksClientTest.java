package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fault-tolerant /books client against the simulator: what is retried, what is an answer. */
@QuarkusTest
@QuarkusTestResource(value = SimForClobTests.class, restrictToAnnotatedClass = true)
class ClobBooksClientTest {
    @Inject
    ClobBooksClient client;

    @Inject
    io.smallrye.faulttolerance.api.CircuitBreakerMaintenance breakers;

    /** Each test starts with no faults and a closed breaker: the failures of one test must not open it for the next. */
    @AfterEach
    void clearFaults() {
        SimForClobTests.sim.faults().clear();
        breakers.resetAll();
    }

    private List<String> open(int n) {
        return SimForClobTests.sim.universe().openTokenIds().subList(0, n);
    }

    /** What an attempt log was told: "rate_limited 1" or "failed 2 503 HTTP 503: …". */
    private static final class Told extends ClobBooksClient.Attempts {
        final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        protected void rateLimited(int attempt, long latencyMs, String retryAfter) {
            lines.add("rate_limited " + attempt + (latencyMs >= 0 ? "" : " negative latency"));
        }

        @Override
        protected void failed(int attempt, int status, long latencyMs, String reason) {
            lines.add("failed " + attempt + " " + status + " " + reason + (latencyMs >= 0 ? "" : " negative latency"));
        }
    }

    @Test
    void serverErrorsAndRateLimitsAreRetriedUntilTheBooksCome() throws Exception {
        SimForClobTests.sim.faults().apply("http", Map.of("status", "503", "count", "2", "scope", "clob"));
        Told told = new Told();
        BooksReply reply = client.books(open(4), told);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(BooksSplitter.split(reply.body())).hasSize(4);
        assertThat(told.lines)
                .as("each failed attempt is told, with its number and status")
                .hasSize(2)
                .satisfies(l -> assertThat(l.get(0)).startsWith("failed 1 503 HTTP 503: "))
                .satisfies(l -> assertThat(l.get(1)).startsWith("failed 2 503 HTTP 503: "));

        SimForClobTests.sim.faults().apply("http", Map.of("status", "429", "count", "2", "scope", "clob"));
        Told limited = new Told();
        assertThat(client.books(open(2), limited).status()).isEqualTo(200);
        assertThat(limited.lines)
                .as("each 429 attempt is reported, then the retry got the books")
                .containsExactly("rate_limited 1", "rate_limited 2");
    }

    @Test
    void aPersistentServerErrorFailsWithItsStatusAfterBoundedRetries() {
        SimForClobTests.sim.faults().apply("http", Map.of("status", "500", "count", "100", "scope", "clob"));
        assertThatThrownBy(() -> client.books(open(1), ClobBooksClient.Attempts.IGNORE))
                .isInstanceOf(HttpStatusException.class)
                .satisfies(e -> assertThat(((HttpStatusException) e).status()).isEqualTo(500));
    }

    @Test
    void anUnreadable200IsRetriedLikeAServerError() throws Exception {
        SimForClobTests.sim.faults().apply("malformed", Map.of("count", "1", "kind", "garbage", "target", "rest"));
        Told told = new Told();
        BooksReply reply = client.books(open(3), told);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(BooksSplitter.split(reply.body()))
                .as("the retry got readable books")
                .hasSize(3);
        assertThat(told.lines).singleElement().asString().startsWith("failed 1 200 unreadable body");
    }

    @Test
    void aPersistentlyUnreadable200FailsWithStatus200AfterBoundedRetries() {
        SimForClobTests.sim.faults().apply("malformed", Map.of("count", "100", "kind", "truncated", "target", "rest"));
        Told told = new Told();
        assertThatThrownBy(() -> client.books(open(2), told))
                .isInstanceOf(HttpStatusException.class)
                .hasMessageContaining("unreadable")
                .satisfies(e -> assertThat(((HttpStatusException) e).status()).isEqualTo(200));
        assertThat(SimForClobTests.sim.faults().state().get("rest_malformed_remaining"))
                .as("4 attempts: the first and 3 retries")
                .isEqualTo(96);
        assertThat(told.lines).hasSize(4).allMatch(l -> l.matches("failed [1-4] 200 unreadable body .*"));
    }

    @Test
    void aClientErrorIsAnAnswerNotRetried() {
        long before = SimForClobTests.sim.oracle().restBooksServed();
        SimForClobTests.sim.faults().apply("http", Map.of("status", "404", "count", "1", "scope", "clob"));
        BooksReply reply = client.books(open(3), ClobBooksClient.Attempts.IGNORE);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(new String(reply.body())).isNotEmpty();
        assertThat(SimForClobTests.sim.oracle().restBooksServed()).isEqualTo(before);
        // The fault was used up by that one request: a retry would have got the books.
        assertThat(client.books(open(3), ClobBooksClient.Attempts.IGNORE).status())
                .isEqualTo(200);
    }

    @Test
    void closedMarketsAreLeftOutOfTheAnswer() throws Exception {
        List<String> closed = SimForClobTests.sim.universe().closedTokenIds();
        assertThat(closed).isNotEmpty();
        List<String> ids = List.of(open(1).get(0), closed.get(0));
        List<BooksSplitter.Item> items = BooksSplitter.split(
                client.books(ids, ClobBooksClient.Attempts.IGNORE).body());
        assertThat(items).extracting(BooksSplitter.Item::assetId).containsExactly(ids.get(0));
    }
}
