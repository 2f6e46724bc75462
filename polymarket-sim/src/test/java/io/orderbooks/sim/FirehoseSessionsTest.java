package io.orderbooks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The firehose pump outlives the connections it serves: closing clients mid-firehose does not stop the others. */
class FirehoseSessionsTest {

    private static boolean pumpAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("sim-firehose") && t.isAlive());
    }

    @Test
    void clientsClosingMidFirehoseDoNotStopTheOthers() {
        try (PolymarketSim sim = PolymarketSim.start(
                SimTestConfigs.small().eventLoops(2).firehose(true).build())) {
            List<String> tokens = sim.universe().openTokenIds();
            SimClient.Ws keeper = SimClient.connect(sim.wsUrl());
            keeper.countOnly = true;
            keeper.sendText(MarketWebSocketTest.subscribe(tokens.subList(0, 20)));
            // Several rounds of clients that leave while the pump writes to them as fast as they drain: some with a
            // close handshake (the socket is closing while the pump still writes), some by dropping the TCP connection.
            for (int round = 0; round < 5; round++) {
                List<SimClient.Ws> leavers = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    SimClient.Ws ws = SimClient.connect(sim.wsUrl());
                    ws.countOnly = true;
                    ws.sendText(MarketWebSocketTest.subscribe(tokens.subList(20 + c * 5, 25 + c * 5)));
                    leavers.add(ws);
                }
                SimClient.await(
                        "firehose to every leaver",
                        SimClient.TIMEOUT,
                        () -> leavers.stream().allMatch(w -> w.count() > 1_000));
                for (int c = 0; c < leavers.size(); c++) {
                    if (c % 2 == 0) {
                        leavers.get(c).close();
                    } else {
                        leavers.get(c).socket.abort();
                    }
                }
                SimClient.await(
                        "the leavers' connections closed",
                        SimClient.TIMEOUT,
                        () -> sim.oracle().connections().stream()
                                        .filter(Oracle.ConnectionRecord::open)
                                        .count()
                                == 1);
                assertThat(pumpAlive())
                        .as("sim-firehose thread alive after round %d", round)
                        .isTrue();
            }
            long before = keeper.count();
            SimClient.await(
                    "the remaining client keeps receiving", SimClient.TIMEOUT, () -> keeper.count() > before + 20_000);
            assertThat(pumpAlive()).as("sim-firehose thread alive").isTrue();
            keeper.close();
            SimClient.await(
                    "closed",
                    SimClient.TIMEOUT,
                    () -> sim.oracle().connections().stream().noneMatch(Oracle.ConnectionRecord::open));
            assertThat(keeper.count())
                    .isEqualTo(sim.oracle().connection("c1").orElseThrow().frames());
        }
    }
}
