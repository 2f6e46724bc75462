package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.shared.records.Json;
import org.junit.jupiter.api.Test;

class PublishedBookHashTest {
    /** The published test vector (py-clob-client tests, PR #232); expected SHA-1 reproduced. */
    @Test
    void reproducesThePublishedTestVector() throws Exception {
        String book = "{\"market\":\"0xaabbcc\",\"asset_id\":\"100\",\"bids\":[{\"price\":\"0.3\",\"size\":\"100\"},"
                + "{\"price\":\"0.4\",\"size\":\"100\"}],\"asks\":[{\"price\":\"0.6\",\"size\":\"100\"},{\"price\":\"0.7\",\"size\":\"100\"}],"
                + "\"hash\":\"\",\"timestamp\":\"123456789\",\"min_order_size\":\"100\",\"neg_risk\":false,\"tick_size\":\"0.01\","
                + "\"last_trade_price\":\"0.5\"}";
        assertThat(PublishedBookHash.of(Json.parse(book.getBytes())))
                .isEqualTo("0458ea5755c9f73d64a14636fa5c36ed460ec394");
    }
}
