package io.orderbooks.collector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Event;
import io.orderbooks.shared.records.Line;
import io.orderbooks.shared.records.RecordKinds;
import io.orderbooks.support.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Full REST snapshots: every interval, every tracked token through {@code POST /books} in batches of at most 500,
 * spread evenly over the interval rather than in a burst, never faster than the configured request rate. Rounds
 * never overlap; a round that overruns its interval says so in its {@code snapshot_round} event. Urgent snapshots
 * (after a websocket stall) jump the queue between batches.
 */
final class SnapshotRounds implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SnapshotRounds.class);

    private final ClobBooksClient client;
    private final StreamPump pump;
    private final Supplier<Set<String>> tokens;
    private final CollectorConfig.Snapshot config;
    private final MeterRegistry registry;
    private final Timer roundTimer;
    private final LinkedBlockingQueue<Set<String>> urgent = new LinkedBlockingQueue<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong books = new AtomicLong();
    private final AtomicReference<String> lastRound = new AtomicReference<>("none yet");
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastBookNanos = System.nanoTime();
    private long roundNo;

    SnapshotRounds(
            ClobBooksClient client,
            StreamPump pump,
            Supplier<Set<String>> tokens,
            CollectorConfig.Snapshot config,
            MeterRegistry registry) {
        this.client = client;
        this.pump = pump;
        this.tokens = tokens;
        this.config = config;
        this.registry = registry;
        this.roundTimer = Timer.builder("collector.snapshot.round.duration").register(registry);
        this.thread = DaemonThreads.thread("snapshot-rounds", this::loop);
        this.thread.start();
    }

    /** Snapshot these tokens as soon as possible (between batches of the current round). */
    void urgent(Set<String> ids) {
        if (!ids.isEmpty()) {
            urgent.add(Set.copyOf(ids));
        }
    }

    String lastRound() {
        return lastRound.get();
    }

    long lastBookNanos() {
        return lastBookNanos;
    }

    long books() {
        return books.get();
    }

    private void loop() {
        long intervalNanos = config.interval().toNanos();
        long next = System.nanoTime();
        while (running) {
            try {
                long wait = next - System.nanoTime();
                if (wait > 0 && !drainUrgent(wait)) {
                    continue;
                }
                long started = System.nanoTime();
                List<String> ids = new ArrayList<>(new TreeSet<>(tokens.get()));
                if (ids.isEmpty()) {
                    // No token list yet (the watcher reads tokens.json a moment after start): the first round starts
                    // as soon as there is one, not a whole interval later. Otherwise every restart left its first
                    // minute without a REST book (found by compose-test, whose restarts come less than a minute apart).
                    next = started + Math.min(intervalNanos, 1_000_000_000L);
                    continue;
                }
                round(ids, "scheduled", intervalNanos);
                next = Math.max(started + intervalNanos, System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "snapshot round failed");
                next = System.nanoTime() + intervalNanos;
            }
        }
    }

    /** Waits up to {@code nanos}, serving urgent requests meanwhile; true when the wait is over. */
    private boolean drainUrgent(long nanos) throws InterruptedException {
        Set<String> ids = urgent.poll(nanos, TimeUnit.NANOSECONDS);
        if (ids == null) {
            return true;
        }
        round(new ArrayList<>(new TreeSet<>(ids)), "after-stall", 0);
        return false;
    }

    private void round(List<String> ids, String why, long budgetNanos) throws InterruptedException {
        if (ids.isEmpty()) {
            return;
        }
        long no = ++roundNo;
        long start = System.nanoTime();
        int batchSize = Math.max(1, Math.min(500, config.batchSize()));
        int batches = (ids.size() + batchSize - 1) / batchSize;
        long minSpacing = (long) (1_000_000_000L / Math.max(0.01, config.maxRequestsPerSecond()));
        // Spread over 80 % of the interval so the round ends before the next one is due.
        long spacing = Math.max(minSpacing, budgetNanos <= 0 ? 0 : budgetNanos * 8 / 10 / batches);
        Set<String> received = new HashSet<>();
        int failed = 0;
        for (int b = 0; b < batches && running; b++) {
            long batchStart = System.nanoTime();
            List<String> batch = ids.subList(b * batchSize, Math.min(ids.size(), (b + 1) * batchSize));
            if (!fetch(no, b, batch, received)) {
                failed++;
            }
            Set<String> now;
            while ((now = urgent.poll()) != null) {
                round(new ArrayList<>(new TreeSet<>(now)), "after-stall", 0);
            }
            long sleep = spacing - (System.nanoTime() - batchStart);
            if (sleep > 0 && b < batches - 1) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        long tookNanos = System.nanoTime() - start;
        roundTimer.record(Duration.ofNanos(tookNanos));
        List<String> missing = ids.stream().filter(id -> !received.contains(id)).toList();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("round", no);
        fields.put("why", why);
        fields.put("planned", ids.size());
        fields.put("received", received.size());
        fields.put("missing", missing.size());
        fields.put("missing_sample", missing.subList(0, Math.min(20, missing.size())));
        fields.put("requests", batches);
        fields.put("failed_requests", failed);
        fields.put("duration_ms", tookNanos / 1_000_000);
        fields.put("late", budgetNanos > 0 && tookNanos > budgetNanos);
        long nowUs = Clocks.nowMicros();
        pump.offer(Line.event(nowUs, Envelope.event(nowUs, "rest", null, Event.SNAPSHOT_ROUND, fields)));
        lastRound.set(String.format(
                "#%d %s %d/%d books in %d ms%s",
                no,
                why,
                received.size(),
                ids.size(),
                tookNanos / 1_000_000,
                Boolean.TRUE.equals(fields.get("late")) ? " LATE" : ""));
        if (!missing.isEmpty()) {
            LOG.debugf("snapshot round %d: %d tokens had no book", no, missing.size());
        }
    }

    /**
     * A 429 from {@code /books} (each attempt, retried or not): an in-band {@code rate_limited} event, so a reader sees
     * why books are late or missing without reading logs. The request's final outcome is recorded as usual.
     */
    private void rateLimited(String req, int tokens, long latencyMs, String retryAfter) {
        registry.counter("collector.rest.rate_limited").increment();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tokens", tokens);
        if (retryAfter != null) {
            fields.put("retry_after", retryAfter);
        }
        long nowUs = Clocks.nowMicros();
        pump.offer(Line.event(nowUs, Envelope.rateLimited(nowUs, "rest", req, ENDPOINT, latencyMs, fields)));
        LOG.warnf("snapshot %s: rate limited (429)%s", req, retryAfter == null ? "" : ", Retry-After " + retryAfter);
    }

    /**
     * Any other failed attempt (a 5xx, an unreadable 200, an I/O error, a timeout), retried or not: an in-band
     * {@code request_failed} event, so a failure that a retry got past still leaves a trace. The request's final
     * outcome is recorded as usual.
     */
    private void requestFailed(String req, int tokens, int attempt, int status, long latencyMs, String reason) {
        registry.counter("collector.rest.request_failed", "status", String.valueOf(status))
                .increment();
        long nowUs = Clocks.nowMicros();
        pump.offer(Line.event(
                nowUs,
                Envelope.requestFailed(
                        nowUs, "rest", req, ENDPOINT, status, attempt, latencyMs, reason, Map.of("tokens", tokens))));
        LOG.warnf("snapshot %s: attempt %d failed: %s", req, attempt, reason);
    }

    private static final String ENDPOINT = "POST /books";

    /** One request; every outcome becomes lines. Returns false for a failed request. */
    private boolean fetch(long round, int batch, List<String> ids, Set<String> received) {
        String req = "books#" + round + "." + batch;
        long start = System.nanoTime();
        requests.incrementAndGet();
        ClobBooksClient.Attempts attempts = new ClobBooksClient.Attempts() {
            @Override
            protected void rateLimited(int attempt, long latencyMs, String retryAfter) {
                SnapshotRounds.this.rateLimited(req, ids.size(), latencyMs, retryAfter);
            }

            @Override
            protected void failed(int attempt, int status, long latencyMs, String reason) {
                requestFailed(req, ids.size(), attempt, status, latencyMs, reason);
            }
        };
        try {
            BooksReply reply = client.books(ids, attempts);
            registry.counter("collector.rest.requests", "status", String.valueOf(reply.status()))
                    .increment();
            long recvUs = Clocks.nowMicros();
            if (reply.status() != 200) {
                // A 404 says none of these tokens has a book (docs get-book); recorded once, not retried in a loop.
                pump.offer(Line.of(
                        recvUs,
                        RecordKinds.ERROR,
                        List.of(),
                        Envelope.restError(
                                recvUs,
                                req,
                                reply.status(),
                                reply.latencyMs(),
                                "HTTP " + reply.status() + ": "
                                        + new String(
                                                reply.body(),
                                                0,
                                                Math.min(200, reply.body().length),
                                                java.nio.charset.StandardCharsets.UTF_8))));
                return reply.status() == 404;
            }
            for (BooksSplitter.Item item : reply.items()) {
                List<String> assets = item.assetId() == null ? List.of() : List.of(item.assetId());
                pump.offer(Line.of(
                        recvUs,
                        RecordKinds.BOOK,
                        assets,
                        Envelope.rest(recvUs, req, reply.status(), reply.latencyMs(), item.bytes())));
                received.addAll(assets);
                books.incrementAndGet();
                lastBookNanos = System.nanoTime();
            }
            return true;
        } catch (RuntimeException e) {
            if (e instanceof TimeoutException) {
                attempts.timedOut(); // the interrupted attempt could not record itself
            }
            // A 200 that stayed unreadable through the retries keeps its status (200) here, with the reason.
            int status = e instanceof HttpStatusException h ? h.status() : 0;
            registry.counter(
                            "collector.rest.requests",
                            "status",
                            status == 0 ? "error" : status == 200 ? "unreadable" : String.valueOf(status))
                    .increment();
            long recvUs = Clocks.nowMicros();
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            pump.offer(Line.of(
                    recvUs,
                    RecordKinds.ERROR,
                    List.of(),
                    Envelope.restError(recvUs, req, status, (System.nanoTime() - start) / 1_000_000, error)));
            LOG.warnf("snapshot %s failed: %s", req, error);
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
