package io.orderbooks.collector;

import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterException;
import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.records.GapReason;
import io.orderbooks.shared.records.Line;
import io.orderbooks.support.DaemonThreads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Decouples receiving from the disk: producers (websocket event loops, the snapshot thread) offer lines to a bounded
 * queue and never wait; one writer thread drains it into the stream's {@link RotatingJsonlWriter}. A full queue or a
 * failed write loses lines, and that is never silent: the loss is counted and written into the stream as a
 * {@code gap} record (reason {@code queue-full} or {@code write-error}) with its bounds and the number of lines.
 */
final class StreamPump implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamPump.class);

    private final RotatingJsonlWriter writer;
    private final String src;
    private final ArrayBlockingQueue<Line> queue;
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final Loss queueLoss = new Loss(GapReason.QUEUE_FULL);
    private final Loss writeLoss = new Loss(GapReason.WRITE_ERROR);
    private final int highWater;
    private final int lowWater;
    private final ConcurrentLinkedQueue<Runnable> whenDrained = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    /** Offers between their running check and their enqueue (see {@link #offer}). */
    private final AtomicInteger offering = new AtomicInteger();

    private final Object stopLock = new Object();
    /** Set by close() once it has taken the last loss windows: later losses cannot reach the file. */
    private boolean lossesClosed;

    private final AtomicLong unrecorded = new AtomicLong();

    StreamPump(RotatingJsonlWriter writer, String src, int capacity) {
        this(writer, src, new ArrayBlockingQueue<>(capacity));
    }

    /** {@code queue} must be empty; its capacity is the pump's. A seam for tests that hold an offer mid-way. */
    StreamPump(RotatingJsonlWriter writer, String src, ArrayBlockingQueue<Line> queue) {
        this.writer = writer;
        this.src = src;
        this.queue = queue;
        int capacity = queue.remainingCapacity();
        // Wide apart, so a paused producer stays paused for a good batch of writing rather than flapping.
        this.highWater = Math.max(1, capacity / 2);
        this.lowWater = capacity / 8;
        // Lines the writer had accepted but could not flush before an I/O error made it abandon their file are
        // lost like a failed write: the same write-error gap counts them (an upper bound; salvage may keep some).
        writer.onLinesLost(l -> {
            writeLoss.add(l.fromUs(), l.toUs(), l.count());
            lost.addAndGet(l.count());
        });
        this.thread = DaemonThreads.thread("pump-" + writer.stream(), this::run);
        this.thread.start();
    }

    /**
     * Never blocks. False when the queue is full or the pump has stopped: the line is lost and recorded as a
     * {@code queue-full} gap (after {@link #close()} has written its last gap record, only counted: {@link #unrecorded()}).
     * <p>
     * {@code offering} brackets the running check and the enqueue, so that close() can wait until no offer that saw
     * the pump running is still on its way into the queue: such a line used to arrive after the writer thread had
     * left and was neither written nor counted.
     */
    boolean offer(Line line) {
        offering.incrementAndGet();
        try {
            if (running) {
                if (queue.offer(line)) {
                    return true;
                }
                queueLoss.add(line.recvUs());
                lost.incrementAndGet();
                return false;
            }
        } finally {
            offering.decrementAndGet();
        }
        refusedStopped(line);
        return false;
    }

    /** A line offered after close() began: a gap record while close() can still write one, else only counted. */
    private void refusedStopped(Line line) {
        boolean late;
        synchronized (stopLock) {
            late = lossesClosed;
            if (late) {
                unrecorded.incrementAndGet();
            } else {
                queueLoss.add(line.recvUs());
            }
        }
        lost.incrementAndGet();
        if (late) {
            LOG.errorf(
                    "%s: a line (recv_us %d) was offered after the pump closed: lost, counted in lines_lost_unrecorded",
                    writer.stream(), line.recvUs());
        }
    }

    int depth() {
        return queue.size();
    }

    /** The queue is half full: a producer that can wait (a websocket, by not reading) should, until drained. */
    boolean backlogged() {
        return queue.size() >= highWater;
    }

    /**
     * Runs {@code action} once, on the writer thread, as soon as the queue is down to an eighth of its capacity
     * (at once if it already is). It must be quick and must not offer to this pump.
     */
    void whenDrained(Runnable action) {
        whenDrained.add(action);
        if (queue.size() <= lowWater) {
            releaseWaiters();
        }
    }

    private void releaseWaiters() {
        for (Runnable r; (r = whenDrained.poll()) != null; ) {
            // Checked after taking the waiter, not before: a producer registers only after the offers that
            // backlogged it, so this read sees them. A check made before could be stale (the writer thread saw an
            // empty queue, then a burst arrived and its producer registered) and would resume it at once.
            if (queue.size() > lowWater) {
                whenDrained.add(r);
                return;
            }
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "pump for %s: a drained-callback failed", writer.stream());
            }
        }
    }

    long written() {
        return written.get();
    }

    long lost() {
        return lost.get();
    }

    /**
     * Lost lines (part of {@link #lost()}) without a gap record in the stream: offered after close() wrote its last
     * gap record, or lost while the writer closed. Normally 0; the run manifest carries it
     * ({@code lines_lost_unrecorded}).
     */
    long unrecorded() {
        return unrecorded.get();
    }

    RotatingJsonlWriter writer() {
        return writer;
    }

    /**
     * While lines keep coming the writer thread naps {@link #NAP_NANOS} between drains instead of waiting on the
     * queue: a waiting consumer costs the producer (the event loop) a futex wake-up for almost every frame, and
     * the pair of context switches costs more CPU than writing the frame. After {@link #IDLE_NAPS} empty naps in a
     * row it waits on the queue again, so an idle stream does not tick.
     */
    private void run() {
        List<Line> batch = new ArrayList<>(BATCH);
        int emptyNaps = 0;
        while (running || !queue.isEmpty()) {
            try {
                if (queue.drainTo(batch, BATCH) == 0) {
                    // Losses are recorded once the queue has drained, before waiting (as after a batch).
                    recordLoss(queueLoss);
                    recordLoss(writeLoss);
                    releaseWaiters();
                    if (emptyNaps < IDLE_NAPS) {
                        emptyNaps++;
                        LockSupport.parkNanos(NAP_NANOS);
                        continue;
                    }
                    Line first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                emptyNaps = 0;
                int ok = 0;
                for (Line l : batch) {
                    ok += write(l) ? 1 : 0;
                }
                written.addAndGet(ok);
                batch.clear();
                recordLoss(queueLoss);
                recordLoss(writeLoss);
                if (!whenDrained.isEmpty() && queue.size() <= lowWater) {
                    releaseWaiters();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                LOG.errorf(e, "pump for %s: unexpected error", writer.stream());
            }
        }
    }

    private static final int BATCH = 1024;
    /** Adds at most this much to a line's time to the writer; at 1 ms it is 1,000 drains a second under load. */
    private static final long NAP_NANOS = 1_000_000L;

    private static final int IDLE_NAPS = 100;

    private boolean write(Line line) {
        try {
            writer.append(line);
            return true;
        } catch (WriterException e) {
            writeLoss.add(line.recvUs());
            lost.incrementAndGet();
            return false;
        }
    }

    private void recordLoss(Loss loss) {
        recordLoss(loss, loss.take());
    }

    private void recordLoss(Loss loss, Loss.Window w) {
        if (w == null) {
            return;
        }
        long now = Clocks.nowMicros();
        Gap gap = new Gap(null, w.fromUs(), Math.max(w.fromUs(), w.toUs()), loss.reason);
        LOG.errorf(
                "%s: %d lines lost (%s) between %d and %d",
                writer.stream(), w.count(), loss.reason.wire(), w.fromUs(), w.toUs());
        try {
            writer.append(Line.gap(now, gap, Envelope.gap(now, src, gap, Map.of("lost_lines", w.count()))));
        } catch (WriterException e) {
            loss.restore(w); // still failing: keep the window and try again later
        }
    }

    /**
     * Writes everything queued, then the gap records of every line lost so far (lines refused while it runs
     * included), then closes the writer (every file renamed, with its manifest). The promise of
     * docs/COLLECTOR.md ("Losses are never silent"): a line offer() accepted is written, and a line it refused is in
     * a gap record, or, offered after that last record, counted in {@link #unrecorded()}.
     */
    @Override
    public void close() throws IOException {
        running = false;
        // From here on an offer sees running == false. Wait for those that saw it true: their lines are in the queue
        // (or counted in queueLoss) once offering is back to 0.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (offering.get() != 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(50_000);
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.errorf("pump for %s: the writer thread is still writing after 30 s; closing anyway", writer.stream());
        }
        // The writer thread leaves once it sees the queue empty with running false; a racing offer may have put a
        // line in after that look. Write it here (the writer is thread-safe).
        List<Line> rest = new ArrayList<>();
        queue.drainTo(rest);
        long ok = 0;
        for (Line l : rest) {
            ok += write(l) ? 1 : 0;
        }
        written.addAndGet(ok);
        Loss.Window queueLast;
        Loss.Window writeLast;
        synchronized (stopLock) {
            // Taken under the lock, so a line refused meanwhile is either in these windows or counted as unrecorded;
            // written outside it, so no event loop waits on the disk.
            lossesClosed = true;
            queueLast = queueLoss.take();
            writeLast = writeLoss.take();
        }
        recordLoss(queueLoss, queueLast);
        recordLoss(writeLoss, writeLast);
        try {
            writer.close();
        } finally {
            // A gap record the writer refused, or lines it lost while closing its files: counted, logged.
            long left = 0;
            for (Loss loss : List.of(queueLoss, writeLoss)) {
                Loss.Window w = loss.take();
                if (w != null) {
                    left += w.count();
                    LOG.errorf(
                            "%s: %d lines lost (%s) between %d and %d could not be recorded in the stream at close",
                            writer.stream(), w.count(), loss.reason.wire(), w.fromUs(), w.toUs());
                }
            }
            unrecorded.addAndGet(left);
        }
    }

    /** Lost lines since the last gap record: count and receive-time bounds. Thread-safe. */
    private static final class Loss {
        record Window(long fromUs, long toUs, long count) {}

        final GapReason reason;
        private long fromUs = Long.MAX_VALUE;
        private long toUs = Long.MIN_VALUE;
        private long count;

        Loss(GapReason reason) {
            this.reason = reason;
        }

        synchronized void add(long recvUs) {
            add(recvUs, recvUs, 1);
        }

        synchronized void add(long from, long to, long lines) {
            fromUs = Math.min(fromUs, from);
            toUs = Math.max(toUs, to);
            count += lines;
        }

        synchronized Window take() {
            if (count == 0) {
                return null;
            }
            Window w = new Window(fromUs, toUs, count);
            fromUs = Long.MAX_VALUE;
            toUs = Long.MIN_VALUE;
            count = 0;
            return w;
        }

        synchronized void restore(Window w) {
            add(w.fromUs(), w.toUs(), w.count());
        }
    }
}
