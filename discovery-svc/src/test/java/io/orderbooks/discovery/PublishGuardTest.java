package io.orderbooks.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishGuardTest {
    @Test
    void theFirstListIsPublished() {
        assertThat(PublishGuard.decide(null, list(0, 10), 0.3, false)).isEqualTo(new PublishGuard.Publish(10, 0));
    }

    @Test
    void theSameListIsNotWrittenAgain() {
        assertThat(PublishGuard.decide(list(0, 10), list(0, 10), 0.3, false))
                .isInstanceOf(PublishGuard.Unchanged.class);
    }

    @Test
    void shrinkingUpToMaxShrinkIsPublishedBeyondItRefused() {
        assertThat(PublishGuard.decide(list(0, 100), list(0, 70), 0.3, false))
                .isEqualTo(new PublishGuard.Publish(0, 30));
        assertThat(PublishGuard.decide(list(0, 100), list(0, 69), 0.3, false))
                .isInstanceOfSatisfying(
                        PublishGuard.Refuse.class,
                        r -> assertThat(r.reason()).contains("31.0 %").contains("100 -> 69"));
        assertThat(PublishGuard.decide(list(0, 100), list(0, 69), 0.3, true))
                .isEqualTo(new PublishGuard.Publish(0, 31));
    }

    @Test
    void growthAndTurnoverArePublished() {
        assertThat(PublishGuard.decide(list(0, 100), list(50, 200), 0.3, false))
                .isEqualTo(new PublishGuard.Publish(100, 50));
    }

    @Test
    void anEmptyListIsRefusedUnlessAllowed() {
        assertThat(PublishGuard.decide(null, list(0, 0), 0.3, false)).isInstanceOf(PublishGuard.Refuse.class);
        assertThat(PublishGuard.decide(list(0, 5), list(0, 0), 0.3, true)).isEqualTo(new PublishGuard.Publish(0, 5));
    }

    @Test
    void anInvalidListIsRefused() {
        TokenEntry bad = new TokenEntry(
                "12", "Yes", 0, "not-a-condition-id", "1", "s", "q", "e", false, null, "0.01", "5", Protocol.V1);
        TokensFile file =
                TokensFile.of(Instant.EPOCH, "run", "src", JsonNodeFactory.instance.objectNode(), List.of(bad));
        assertThat(PublishGuard.decide(null, file, 0.3, true))
                .isInstanceOfSatisfying(
                        PublishGuard.Refuse.class, r -> assertThat(r.reason()).contains("condition_id"));
    }

    /** Tokens with ids from {@code from} (inclusive) to {@code to} (exclusive), one market each. */
    private static TokensFile list(int from, int to) {
        List<TokenEntry> tokens = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String condition = "0x" + String.format("%064x", i);
            tokens.add(new TokenEntry(
                    Integer.toString(1000 + i),
                    "Yes",
                    0,
                    condition,
                    Integer.toString(i),
                    "s" + i,
                    "q",
                    "e",
                    false,
                    null,
                    "0.01",
                    "5",
                    Protocol.V1));
        }
        return TokensFile.of(
                Instant.EPOCH,
                "run",
                "src",
                JsonNodeFactory.instance.objectNode().put("closed", false),
                tokens);
    }
}
