package io.orderbooks.sim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * The one thread that writes data frames in firehose mode. Writing from outside the event loop lets Vert.x queue a
 * whole batch and flush the socket once per batch instead of once per frame, which is what makes hundreds of
 * thousands of frames per second possible; and a single writer per connection keeps the oracle's order equal to the
 * wire order.
 * <p>
 * The per-connection rate cap can be changed while running ({@link #rate(int)}): every connection then paces itself
 * from the moment of the change, with no catch-up burst and no pause.
 * <p>
 * A connection can close under the pump at any time (the client's close frame marks the Vert.x socket closed before
 * the close handler runs on the event loop); such a session is forgotten and the others keep being served.
 */
final class FirehosePump implements Runnable {
    private static final Logger LOG = Logger.getLogger(FirehosePump.class);
    private static final int BATCH = 256;
    private final Set<WsSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    private volatile Rate rate;
    private final AtomicLong pumped = new AtomicLong();
    private final Thread thread;

    /**
     * A per-connection cap in frames per second (0 = as fast as each connection drains). A new instance on every
     * change, so each session notices the change by identity and restarts its pacing.
     */
    record Rate(int perConnection) {}

    FirehosePump(int framesPerSecondPerConnection) {
        rate = new Rate(check(framesPerSecondPerConnection));
        thread = new Thread(this, "sim-firehose");
        thread.setDaemon(true);
    }

    private static int check(int perConnection) {
        if (perConnection < 0) {
            throw new IllegalArgumentException(
                    "rate_per_connection must be >= 0 (0 = unlimited), got " + perConnection);
        }
        return perConnection;
    }

    void start() {
        thread.start();
    }

    void add(WsSession s) {
        sessions.add(s);
    }

    void remove(WsSession s) {
        sessions.remove(s);
    }

    /** Sessions being pumped now. */
    int sessions() {
        return sessions.size();
    }

    Rate rate() {
        return rate;
    }

    /** Changes the per-connection cap of every connection, open and future (0 = unlimited). */
    void rate(int framesPerSecondPerConnection) {
        rate = new Rate(check(framesPerSecondPerConnection));
        LockSupport.unpark(thread);
    }

    /** Precomputed firehose frames written so far, over all connections (snapshots not included). */
    long pumped() {
        return pumped.get();
    }

    void countPumped(int frames) {
        pumped.addAndGet(frames);
    }

    boolean alive() {
        return thread.isAlive();
    }

    void stop() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        while (running) {
            int written = 0;
            for (WsSession s : sessions) {
                try {
                    written += s.pumpBatch(BATCH);
                } catch (RuntimeException e) {
                    // Never let one connection stop the firehose for the others: forget it.
                    sessions.remove(s);
                    LOG.debugf("firehose: connection %s dropped from the pump: %s", s.id(), e.toString());
                }
            }
            if (written == 0) {
                LockSupport.parkNanos(500_000);
            }
        }
    }
}
