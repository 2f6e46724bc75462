package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderbooks.shared.Protocol;
import io.orderbooks.shared.TokenEntry;
import io.orderbooks.shared.TokensFile;
import io.orderbooks.shared.TokensJson;
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
            tokens.add(new TokenEntry(id, "Yes", 0, "0x" + "a".repeat(63) + id.charAt(id.length() - 1), "1", "s", "q", "e",
                    false, null, "0.01", "5", Protocol.V1));
        }
        return TokensFile.of(Instant.now(), "r", "test", null, tokens);
    }

    @Test
    void followsValidListsAndKeepsTheCurrentSetOnAMissingPartialOrInvalidFile() throws Exception {
        try (TempDataDir temp = TempDataDir.create()) {
            List<Set<String>> changes = new ArrayList<>();
            TokensWatcher w = new TokensWatcher(temp.dataDir().tokensFile(), new Shard(0, 1), changes::add);
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
            TokensWatcher a = new TokensWatcher(temp.dataDir().tokensFile(), new Shard(0, 2), s -> { });
            TokensWatcher b = new TokensWatcher(temp.dataDir().tokensFile(), new Shard(1, 2), s -> { });
            a.poll();
            b.poll();
            assertThat(a.current()).doesNotContainAnyElementsOf(b.current());
            assertThat(a.current().size() + b.current().size()).isEqualTo(9);
        }
    }
}
