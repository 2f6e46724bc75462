package io.orderbooks.shared.layout;

/** A token id, stream name, instance id or file name that does not match its pattern. */
public final class InvalidNameException extends IllegalArgumentException {
    public InvalidNameException(String message) {
        super(message);
    }
}
