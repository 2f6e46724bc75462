package io.orderbooks.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The walk against scripted servers: a normal one, and the ways a server can fail to follow the cursor. */
class KeysetWalkerTest {
    private static final KeysetWalker.Settings SETTINGS = new KeysetWalker.Settings("after_cursor", 100, 50, 1000);
    private final List<Map<String, List<String>>> sent = new ArrayList<>();

    @Test
    void followsNextCursorWithAfterCursorAndResendsTheFilters() {
        int pages = new KeysetWalker(SETTINGS)
                .walk(
                        Map.of("closed", List.of("false")),
                        (req, q) -> {
                            sent.add(q);
                            String after = q.containsKey("after_cursor")
                                    ? q.get("after_cursor").getFirst()
                                    : "0";
                            int n = Integer.parseInt(after);
                            return page(req, n * 10, 10, n < 3 ? Integer.toString(n + 1) : null);
                        },
                        p -> {},
                        () -> false);
        assertThat(pages).isEqualTo(4);
        assertThat(sent)
                .allSatisfy(q ->
                        assertThat(q).containsEntry("closed", List.of("false")).containsEntry("limit", List.of("100")));
        assertThat(sent.get(0)).doesNotContainKey("after_cursor");
        assertThat(sent.get(3)).containsEntry("after_cursor", List.of("3"));
    }

    @Test
    void aServerAnsweringPageOneForeverIsDetected() {
        // Page 1 again and again, with the same next_cursor (what Gamma does when the cursor parameter is ignored).
        assertThatThrownBy(() -> new KeysetWalker(SETTINGS)
                        .walk(Map.of(), (req, q) -> page(req, 0, 100, "c1"), p -> {}, () -> false))
                .isInstanceOf(KeysetWalker.WalkException.class)
                .hasMessageContaining("page 2 repeats the markets");
    }

    @Test
    void aFreshCursorWithTheSameMarketsIsDetectedByThePage() {
        int[] n = {0};
        assertThatThrownBy(() -> new KeysetWalker(SETTINGS)
                        .walk(Map.of(), (req, q) -> page(req, 0, 5, "c" + n[0]++), p -> {}, () -> false))
                .isInstanceOf(KeysetWalker.WalkException.class)
                .hasMessageContaining("repeats the markets of an earlier page");
    }

    @Test
    void aRepeatedCursorWithNewMarketsIsDetected() {
        int[] n = {0};
        assertThatThrownBy(() -> new KeysetWalker(SETTINGS)
                        .walk(Map.of(), (req, q) -> page(req, 10 * n[0]++, 5, "same"), p -> {}, () -> false))
                .isInstanceOf(KeysetWalker.WalkException.class)
                .hasMessageContaining("next_cursor that was already used");
    }

    @Test
    void endlessDistinctPagesStopAtMaxPages() {
        int[] n = {0};
        KeysetWalker.Settings small = new KeysetWalker.Settings("after_cursor", 100, 7, 1000);
        List<GammaPage> seen = new ArrayList<>();
        assertThatThrownBy(() -> new KeysetWalker(small)
                        .walk(Map.of(), (req, q) -> page(req, 10 * n[0], 5, "c" + n[0]++), seen::add, () -> false))
                .isInstanceOf(KeysetWalker.WalkException.class)
                .hasMessageContaining("max-pages=7");
        assertThat(seen).hasSize(7);
    }

    @Test
    void emptyPagesWithACursorDoNotLoopEither() {
        int[] n = {0};
        KeysetWalker.Settings small = new KeysetWalker.Settings("after_cursor", 100, 7, 1000);
        assertThatThrownBy(() -> new KeysetWalker(small)
                        .walk(Map.of(), (req, q) -> page(req, 0, 0, "c" + n[0]++), p -> {}, () -> false))
                .isInstanceOf(KeysetWalker.WalkException.class)
                .hasMessageContaining("max-pages");
    }

    @Test
    void anEmptyOrNullNextCursorEndsTheWalk() {
        assertThat(new KeysetWalker(SETTINGS).walk(Map.of(), (req, q) -> page(req, 0, 3, ""), p -> {}, () -> false))
                .isEqualTo(1);
    }

    @Test
    void theRequestLineShowsTheQueryAsSent() {
        assertThat(KeysetWalker.request(new java.util.LinkedHashMap<>(Map.of("tag_id", List.of("1", "2")))))
                .isEqualTo("GET /markets/keyset?tag_id=1&tag_id=2");
    }

    private static GammaPage page(String req, int firstId, int count, String next) {
        ObjectNode root = GammaJson.MAPPER.createObjectNode();
        ArrayNode markets = root.putArray("markets");
        for (int i = 0; i < count; i++) {
            markets.addObject().put("id", Integer.toString(firstId + i)).put("conditionId", "0x" + (firstId + i));
        }
        if (next != null) {
            root.put("next_cursor", next);
        }
        byte[] body = root.toString().getBytes(StandardCharsets.UTF_8);
        return new GammaPage(req, 200, 1, 1, body, (JsonNode) root);
    }
}
