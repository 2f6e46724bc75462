package io.orderbooks.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The HTTP edge of the services' REST clients, written once: reading an answer's body whatever its status, a short
 * printable snippet of it, and what a failed call's exception says. The clients run with the default exception mapper
 * off ({@code disable-default-mapper=true}), so they see every status and classify it themselves.
 */
public final class Http {
    private static final int SNIPPET = 200;

    private Http() {}

    /**
     * The body as bytes. With the default exception mapper off, a non-2xx answer's entity stays a stream instead of
     * becoming the declared {@code byte[]}; an unreadable one is described instead of thrown.
     */
    public static byte[] body(RestResponse<?> r) {
        Object entity = r.getEntity();
        try {
            if (entity instanceof byte[] bytes) {
                return bytes;
            }
            if (entity instanceof InputStream in) {
                try (in) {
                    return in.readAllBytes();
                }
            }
            return entity == null ? new byte[0] : r.readEntity(byte[].class);
        } catch (IOException | RuntimeException e) {
            return ("(body unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The first 200 bytes as one line of text, for a log line or a {@code request_failed} record. */
    public static String snippet(byte[] body) {
        if (body == null) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, SNIPPET), StandardCharsets.UTF_8);
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Whether a failed call was interrupted (the fault-tolerance {@code @Timeout} at work) rather than failing on its
     * own: the caller records it as a timeout, once, instead of as an I/O error. A socket timeout is an I/O error.
     */
    public static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InterruptedException
                    || c instanceof InterruptedIOException && !(c instanceof SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause as {@code SimpleName: first line of its message}. */
    public static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + firstLine(c.getMessage()));
    }

    public static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
