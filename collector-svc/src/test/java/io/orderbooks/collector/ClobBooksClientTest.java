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

    @Test
    void serverErrorsAndRateLimitsAreRetriedUntilTheBooksCome() throws Exception {
        SimForClobTests.sim.faults().apply("http", Map.of("status", "503", "count", "2", "scope", "clob"));
        BooksReply reply = client.books(open(4), ClobBooksClient.RateLimitLog.IGNORE);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(BooksSplitter.split(reply.body())).hasSize(4);

        SimForClobTests.sim.faults().apply("http", Map.of("status", "429", "count", "2", "scope", "clob"));
        List<Long> rateLimited = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertThat(client.books(open(2), (latencyMs, retryAfter) -> rateLimited.add(latencyMs)).status()).isEqualTo(200);
        assertThat(rateLimited).as("each 429 attempt is reported, then the retry got the books").hasSize(2)
                .allMatch(ms -> ms >= 0);
    }

    @Test
    void aPersistentServerErrorFailsWithItsStatusAfterBoundedRetries() {
        SimForClobTests.sim.faults().apply("http", Map.of("status", "500", "count", "100", "scope", "clob"));
        assertThatThrownBy(() -> client.books(open(1), ClobBooksClient.RateLimitLog.IGNORE)).isInstanceOf(HttpStatusException.class)
                .satisfies(e -> assertThat(((HttpStatusException) e).status()).isEqualTo(500));
    }

    @Test
    void aClientErrorIsAnAnswerNotRetried() {
        long before = SimForClobTests.sim.oracle().restBooksServed();
        SimForClobTests.sim.faults().apply("http", Map.of("status", "404", "count", "1", "scope", "clob"));
        BooksReply reply = client.books(open(3), ClobBooksClient.RateLimitLog.IGNORE);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(new String(reply.body())).isNotEmpty();
        assertThat(SimForClobTests.sim.oracle().restBooksServed()).isEqualTo(before);
        // The fault was used up by that one request: a retry would have got the books.
        assertThat(client.books(open(3), ClobBooksClient.RateLimitLog.IGNORE).status()).isEqualTo(200);
    }

    @Test
    void closedMarketsAreLeftOutOfTheAnswer() throws Exception {
        List<String> closed = SimForClobTests.sim.universe().closedTokenIds();
        assertThat(closed).isNotEmpty();
        List<String> ids = List.of(open(1).get(0), closed.get(0));
        List<BooksSplitter.Item> items = BooksSplitter.split(client.books(ids, ClobBooksClient.RateLimitLog.IGNORE).body());
        assertThat(items).extracting(BooksSplitter.Item::assetId).containsExactly(ids.get(0));
    }
}
