package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensJson;
import io.orderbooks.shared.testing.TempDataDir;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensWatcherTest {
    private static TokensFile file(String... ids) {
        List<TokenEntry> tokens = new ArrayList<>();
        for (String id : ids) {
            tokens.add(new TokenEntry(
                    id,
                    "Yes",
                    0,
                    "0x" + "a".repeat(63) + id.charAt(id.length() - 1),
                    "1",
                    "s",
                    "q",
                    "e",
                    false,
                    null,
                    "0.01",
                    "5",
                    Protocol.V1));
        }
        return TokensFile.of(Instant.now(), "r", "test", null, tokens);
    }

    @Test
    void followsValidListsAndKeepsTheCurrentSetOnAMissingPartialOrInvalidFile() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            List<Set<String>> changes = new ArrayList<>();
            TokensWatcher w = new TokensWatcher(temp.dataDir().tokensFile(), new Shard(0, 1), changes::add, r -> {});
            w.poll();
            assertThat(w.problem()).contains("no token list yet");
            assertThat(changes).isEmpty();

            TokensJson.publish(temp.dataDir(), file("1", "2", "3"));
            w.poll();
            assertThat(changes).containsExactly(Set.of("1", "2", "3"));

            Files.writeString(temp.dataDir().tokensFile(), "{\"schema\":\"orderbooks.tokens/1\",\"tokens\":[{\"token_");
            w.poll();
            assertThat(w.problem()).contains("keeping the current 3 tokens");
            assertThat(w.current()).containsExactlyInAnyOrder("1", "2", "3");

            Thread.sleep(20); // a new modification time
            TokensJson.publish(temp.dataDir(), file("2", "3", "4"));
            w.poll();
            assertThat(changes).last().isEqualTo(Set.of("2", "3", "4"));
            assertThat(w.problem()).isNull();
            w.poll();
            assertThat(changes).hasSize(2);
        }
    }

    @Test
    void onlyTheShardsTokensAreKept() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            TokensJson.publish(temp.dataDir(), file("1", "2", "3", "4", "5", "6", "7", "8", "9"));
            TokensWatcher a = new TokensWatcher(temp.dataDir().tokensFile(), new Shard(0, 2), s -> {}, r -> {});
            TokensWatcher b = new TokensWatcher(temp.dataDir().tokensFile(), new Shard(1, 2), s -> {}, r -> {});
            a.poll();
            b.poll();
            assertThat(a.current()).doesNotContainAnyElementsOf(b.current());
            assertThat(a.current().size() + b.current().size()).isEqualTo(9);
        }
    }

    @Test
    void badEntriesAreSkippedAndReportedWhileTheGoodRestIsFollowed() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            List<Set<String>> changes = new ArrayList<>();
            List<io.orderbooks.shared.manifests.TokensRead> skipped = new ArrayList<>();
            TokensWatcher w =
                    new TokensWatcher(temp.dataDir().tokensFile(), new Shard(0, 1), changes::add, skipped::add);
            w.poll();
            assertThat(w.fileExists()).isFalse();
            String good = new String(TokensJson.write(file("1", "2")), java.nio.charset.StandardCharsets.UTF_8);
            Files.createDirectories(temp.dataDir().tokensFile().getParent());
            Files.writeString(
                    temp.dataDir().tokensFile(),
                    good.replace("\"tokens\" : [", "\"tokens\" : [ {\"token_id\" : \"x\"}, 5,"));
            w.poll();
            assertThat(w.fileExists()).isTrue();
            assertThat(w.problem()).isNull();
            assertThat(changes).containsExactly(Set.of("1", "2"));
            assertThat(w.skipped()).isEqualTo(2);
            assertThat(skipped)
                    .singleElement()
                    .satisfies(r -> assertThat(r.skipped())
                            .extracting(Object::toString)
                            .containsExactly(
                                    "tokens[0] (x): outcome_index is missing or not an integer",
                                    "tokens[1]: not an object"));
            w.poll();
            assertThat(skipped).as("reported once per list, not once per poll").hasSize(1);
        }
    }

    @Test
    void theListsOrderIsKeptSoAMarketsTokensAreAssignedTogether() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            TokensJson.publish(temp.dataDir(), file("9", "30", "1", "200", "5"));
            TokensWatcher w = new TokensWatcher(temp.dataDir().tokensFile(), new Shard(0, 1), s -> {}, r -> {});
            w.poll();
            assertThat(w.current()).containsExactly("9", "30", "1", "200", "5");
        }
    }

    @Test
    void withTheMarketKeyBothTokensOfAMarketGoToTheSameShard() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            // file() gives a token the condition id of its last digit: "1d" and "2d" are the two tokens of market d.
            List<String> ids = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                ids.add("1" + d);
                ids.add("2" + d);
            }
            TokensJson.publish(temp.dataDir(), file(ids.toArray(String[]::new)));
            TokensWatcher a =
                    new TokensWatcher(temp.dataDir().tokensFile(), Shard.parse("0/2", "market"), s -> {}, r -> {});
            TokensWatcher b =
                    new TokensWatcher(temp.dataDir().tokensFile(), Shard.parse("1/2", "market"), s -> {}, r -> {});
            a.poll();
            b.poll();
            assertThat(a.current()).isNotEmpty().doesNotContainAnyElementsOf(b.current());
            assertThat(a.current().size() + b.current().size()).isEqualTo(20);
            for (int d = 0; d < 10; d++) {
                assertThat(a.current().contains("1" + d))
                        .as("market " + d)
                        .isEqualTo(a.current().contains("2" + d));
            }
            assertThat(a.keyFallbacks()).isZero();
            assertThat(b.keyFallbacks()).isZero();
        }
    }

    @Test
    void aTokenWithoutAConditionIdIsPlacedByItsTokenIdAndCounted() {
        // tokens.json's reader already skips entries without a valid condition id (docs/DATA-FORMAT.md §4); the
        // selection must still not lose such a token if one reaches it.
        List<TokenEntry> entries = new ArrayList<>(file("10", "20", "11").tokens());
        entries.add(new TokenEntry("777", "Yes", 0, null, "9", "s", "q", "e", false, null, "0.01", "5", Protocol.V1));
        int placed = 0;
        for (int i = 0; i < 3; i++) {
            TokensWatcher.Selection s = TokensWatcher.select(Shard.parse(i + "/3", "market"), entries);
            assertThat(s.byTokenWithoutMarket()).isEqualTo(1);
            if (s.tokens().contains("777")) {
                placed++;
                assertThat(new Shard(i, 3).contains("777")).isTrue();
            }
        }
        assertThat(placed).as("the token is in exactly one shard").isEqualTo(1);
        assertThat(TokensWatcher.select(new Shard(0, 3), entries).byTokenWithoutMarket())
                .as("the token key needs no condition id")
                .isZero();
    }
}
