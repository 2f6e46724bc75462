package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BooksSplitterTest {
    @Test
    void eachBookIsCutOutByteForByte() throws Exception {
        String a =
                "{\"market\":\"0x1\",\"asset_id\":\"11\",\"bids\":[{\"price\":\"0.430\",\"size\":\"10\"}],\"asks\":[],\"hash\":\"h\",\"x\":{\"asset_id\":\"nested\"}}";
        String b = "{ \"asset_id\" : \"12\" , \"unicode\":\"é—ü\", \"bids\":[] }";
        String body = "[\n  " + a + " ,\n\t" + b + "\n]";
        List<BooksSplitter.Item> items = BooksSplitter.split(body.getBytes(StandardCharsets.UTF_8));
        assertThat(items).hasSize(2);
        assertThat(new String(items.get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo(a);
        assertThat(items.get(0).assetId()).isEqualTo("11");
        assertThat(new String(items.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo(b);
        assertThat(items.get(1).assetId()).isEqualTo("12");
        assertThat(BooksSplitter.split("[]".getBytes())).isEmpty();
    }

    @Test
    void anythingButAnArrayOfObjectsIsAnError() {
        assertThatThrownBy(() -> BooksSplitter.split("{\"error\":\"x\"}".getBytes()))
                .hasMessageContaining("not a JSON array");
        assertThatThrownBy(() -> BooksSplitter.split("[{\"asset_id\":\"1\"},".getBytes()))
                .isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> BooksSplitter.split("[1]".getBytes())).hasMessageContaining("non-object");
        assertThatThrownBy(() -> BooksSplitter.split("<html>".getBytes())).isInstanceOf(java.io.IOException.class);
    }
}
