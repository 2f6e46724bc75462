package io.orderbooks.discovery;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Jackson for Gamma bodies: tree API only (no data binding, so no reflection and native-image safe), and decimals
 * kept exact, so a tick size of {@code 0.001} stays {@code "0.001"} rather than going through a double.
 */
final class GammaJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private GammaJson() {}

    static JsonNode parse(byte[] bytes) throws IOException {
        return MAPPER.readTree(bytes);
    }

    static JsonNode parse(String text) throws IOException {
        return MAPPER.readTree(text);
    }
}
