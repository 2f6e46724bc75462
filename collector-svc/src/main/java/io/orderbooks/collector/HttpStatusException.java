package io.orderbooks.collector;

/** An HTTP answer worth retrying (429, 5xx): carries the status so the final failure can be recorded with it. */
public final class HttpStatusException extends RuntimeException {
    private final int status;

    public HttpStatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
