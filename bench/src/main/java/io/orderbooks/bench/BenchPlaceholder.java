package io.orderbooks.bench;

/** Placeholder: the performance issue fills this module. */
final class BenchPlaceholder {
    private BenchPlaceholder() {
    }
}
