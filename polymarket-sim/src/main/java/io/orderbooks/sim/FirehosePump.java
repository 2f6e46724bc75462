package io.orderbooks.sim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * The one thread that writes data frames in firehose mode. Writing from outside the event loop lets Vert.x queue a
 * whole batch and flush the socket once per batch instead of once per frame, which is what makes hundreds of
 * thousands of frames per second possible; and a single writer per connection keeps the oracle's order equal to the
 * wire order.
 * <p>
 * A connection can close under the pump at any time (the client's close frame marks the Vert.x socket closed before
 * the close handler runs on the event loop); such a session is forgotten and the others keep being served.
 */
final class FirehosePump implements Runnable {
    private static final Logger LOG = Logger.getLogger(FirehosePump.class);
    private static final int BATCH = 256;
    private final Set<WsSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    private final Thread thread;

    FirehosePump() {
        thread = new Thread(this, "sim-firehose");
        thread.setDaemon(true);
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
