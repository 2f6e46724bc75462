package io.orderbooks.collector;

import java.util.List;

/** One {@code /books} answer: status, raw body, latency, and (for a 200) the books cut out of the body. */
record BooksReply(int status, byte[] body, long latencyMs, List<BooksSplitter.Item> items) {}
