package io.orderbooks.shared.files;

import java.io.IOException;

/** A write, flush or rotation failed (disk full, I/O error). What was flushed before stays recoverable. */
public final class WriterException extends IOException {
    public WriterException(String message, Throwable cause) {
        super(message, cause);
    }
}
