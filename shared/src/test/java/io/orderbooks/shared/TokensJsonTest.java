package io.orderbooks.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderbooks.shared.testing.TempDataDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokensJsonTest {
    private static final String COND = "0xa467" + "0".repeat(60);
    private final TempDataDir temp = TempDataDir.create();
    private final DataDir dir = temp.dataDir();

    @AfterEach
    void cleanUp() {
        temp.close();
    }

    static TokenEntry token(String id, String outcome, int index, String condition) {
        return new TokenEntry(id, outcome, index, condition, "559651", "xi-out-before-2027", "Xi out?", "xi-event", false,
                "2026-12-31T00:00:00Z", "0.001", "5");
    }

    private static TokensFile sample() {
        return TokensFile.of(Instant.parse("2026-11-24T12:00:05Z"), "run-1", "https://gamma-api.polymarket.com/markets/keyset",
                Json.MAPPER.createObjectNode().put("closed", false),
                List.of(token("323", "No", 0, COND), token("3233", "Yes", 1, COND)));
    }

    @Test
    void publishedListsReadBackIdenticallyAndAreKeptInHistory() throws Exception {
        TokensFile file = sample();
        var history = TokensJson.publish(dir, file);
        assertThat(TokensJson.read(dir.tokensFile())).isEqualTo(file);
        try (var in = new GZIPInputStream(Files.newInputStream(history))) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(dir.tokensFile()));
        }
        assertThat(file.markets()).isEqualTo(1);
        String json = Files.readString(dir.tokensFile());
        assertThat(json).contains("\"schema\" : \"orderbooks.tokens/1\"").contains("\"token_id\" : \"3233\"");
        try (var listing = Files.list(dir.discovery())) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tokens.json", "history");
        }
    }

    @Test
    void invalidListsAreRefusedWithEveryReason() {
        List<TokenEntry> bad = new ArrayList<>(sample().tokens());
        bad.add(token("3233", "Yes", 1, COND));
        bad.add(token("12ab", "", -1, "0x12"));
        TokensFile file = new TokensFile(TokensFile.SCHEMA, Instant.now(), "r", "s", null, 1, bad);
        assertThatThrownBy(() -> TokensJson.publish(dir, file)).isInstanceOf(InvalidTokensFileException.class)
                .satisfies(e -> assertThat(((InvalidTokensFileException) e).problems()).anyMatch(p -> p.contains("listed twice"))
                        .anyMatch(p -> p.contains("not a decimal string")).anyMatch(p -> p.contains("condition_id"))
                        .anyMatch(p -> p.contains("outcome is empty")).anyMatch(p -> p.contains("negative")));
        assertThat(dir.tokensFile()).doesNotExist();
    }

    @Test
    void malformedPartialOrDriftedFilesAreReportedNotGuessed() throws Exception {
        byte[] good = TokensJson.write(sample());
        assertThatThrownBy(() -> TokensJson.parse(java.util.Arrays.copyOf(good, good.length / 2), "partial"))
                .isInstanceOf(InvalidTokensFileException.class).hasMessageContaining("not valid JSON");
        String drifted = new String(good, StandardCharsets.UTF_8).replace("\"outcome_index\" : 1", "\"outcome_index\" : \"1\"");
        assertThatThrownBy(() -> TokensJson.parse(drifted.getBytes(StandardCharsets.UTF_8), "drifted"))
                .hasMessageContaining("outcome_index");
        String schema = new String(good, StandardCharsets.UTF_8).replace("orderbooks.tokens/1", "orderbooks.tokens/9");
        assertThatThrownBy(() -> TokensJson.parse(schema.getBytes(StandardCharsets.UTF_8), "schema")).hasMessageContaining("schema");
        String count = new String(good, StandardCharsets.UTF_8).replace("\"markets\" : 1", "\"markets\" : 2");
        assertThatThrownBy(() -> TokensJson.parse(count.getBytes(StandardCharsets.UTF_8), "count")).hasMessageContaining("markets says 2");
        assertThatThrownBy(() -> TokensJson.read(dir.tokensFile())).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no token list published yet");
        String unknownField = new String(good, StandardCharsets.UTF_8).replace("\"run_id\"", "\"new_field\" : 1, \"run_id\"");
        assertThat(TokensJson.parse(unknownField.getBytes(StandardCharsets.UTF_8), "extra").tokens()).hasSize(2);
    }
}
