package io.orderbooks.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads a service starts for itself (schedulers, pumps, transfer pools): daemon threads, so a stuck one never holds
 * the JVM up after Quarkus has shut down, and named, so a thread dump says whose they are.
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** Threads named {@code name-1}, {@code name-2}, …; a pool of one thread still numbers it. */
    public static ThreadFactory factory(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, name + "-" + n.incrementAndGet());
    }

    /** One daemon thread of exactly this name, not started. */
    public static Thread thread(String name, Runnable r) {
        return daemon(r, name);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
