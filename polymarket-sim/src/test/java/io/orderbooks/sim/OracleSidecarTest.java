package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OracleSidecarTest {

    @Test
    void sidecarHoldsEveryFrameAndRestBookVerbatim(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("oracle/frames.jsonl");
        SimClient.Ws ws;
        String token;
        String restBody;
        try (PolymarketSim sim = PolymarketSim.start(SimTestConfigs.small()
                .oracleFramesFile(file)
                .eventsPerSecondPerAsset(30)
                .build())) {
            token = sim.universe().openTokenIds().get(2);
            restBody = SimClient.get(sim.clobUrl() + "/book?token_id=" + token).body();
            ws = SimClient.connect(sim.wsUrl());
            ws.sendText(MarketWebSocketTest.subscribe(List.of(token)));
            SimClient.await("frames", SimClient.TIMEOUT, () -> ws.dataFrames().size() > 10);
            ws.close();
            SimClient.await(
                    "closed",
                    SimClient.TIMEOUT,
                    () -> sim.oracle().connections().stream().noneMatch(Oracle.ConnectionRecord::open));
        }
        List<JsonObject> lines =
                Files.readAllLines(file).stream().map(JsonObject::new).toList();
        List<String> frames = lines.stream()
                .filter(l -> l.containsKey("conn"))
                .map(l -> l.getString("frame"))
                .toList();
        assertThat(frames).isEqualTo(ws.dataFrames());
        assertThat(lines.stream()
                        .filter(l -> l.containsKey("conn"))
                        .map(l -> l.getLong("seq"))
                        .toList())
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, frames.size())
                        .boxed()
                        .toList());
        assertThat(lines)
                .anyMatch(l -> "rest".equals(l.getString("src"))
                        && token.equals(l.getString("asset_id"))
                        && restBody.equals(l.getString("item")));
    }
}
