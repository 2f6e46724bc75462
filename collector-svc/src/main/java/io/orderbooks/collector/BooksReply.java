package io.orderbooks.collector;

/** One {@code /books} answer: status, raw body, latency, and how many attempts it took. */
record BooksReply(int status, byte[] body, long latencyMs) {
}
