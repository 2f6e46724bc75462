package io.orderbooks.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderbooks.shared.files.RotatingJsonlWriter;
import io.orderbooks.shared.files.WriterConfig;
import io.orderbooks.shared.files.WriterStats;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.Eventually;
import io.orderbooks.shared.testing.TempDataDir;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A {@link WsConnections} pool recording into a temporary data dir, for tests against a local server. */
final class PoolRun implements AutoCloseable {
    final TempDataDir temp = TempDataDir.create();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final WsStats stats = new WsStats(registry);
    final StreamPump pump;
    final WsConnections pool;

    /** The run token of pools that do not choose one: connection ids are {@code ws-00.0@} + this. */
    static final String TOKEN = "t0";

    PoolRun(Vertx vertx, String url, CollectorConfig.Ws config) throws Exception {
        this(vertx, url, config, TOKEN);
    }

    PoolRun(Vertx vertx, String url, CollectorConfig.Ws config, String runToken) throws Exception {
        InstanceId id = InstanceId.of("t");
        RotatingJsonlWriter writer = RotatingJsonlWriter.open(
                temp.dataDir(),
                WriterConfig.defaults(StreamName.WS_MARKET, id),
                new WriterInfo("collector-svc", "t", id, "r"),
                Clock.systemUTC());
        pump = new StreamPump(writer, "ws", config.queueCapacity());
        pool = new WsConnections(vertx, url, "test", config, pump, stats, s -> {}, runToken);
    }

    /**
     * Stops the pool, lets the close handshakes record their events, closes the files and reads them back; fails if
     * the writer did not close every file cleanly.
     */
    List<JsonNode> finish() throws Exception {
        pool.stop();
        await("connections closed", Duration.ofSeconds(10), () -> stats.connectionsUp() == 0);
        Thread.sleep(100); // the "disconnected" events are offered right after the up-count drops
        pump.close();
        // Records are read from closed files only, as a data user would: a file the writer failed to close (left
        // .open, no manifest) would silently be missing from them, so it fails here instead.
        WriterStats writer = pump.writer().stats();
        List<java.nio.file.Path> open = new DataDirReader(temp.dataDir()).openFiles(StreamName.WS_MARKET);
        if (writer.writeErrors() > 0 || !open.isEmpty()) {
            throw new AssertionError("the writer did not close cleanly: " + writer + "; left .open: " + open);
        }
        return new DataDirReader(temp.dataDir()).records(StreamName.WS_MARKET);
    }

    static List<JsonNode> events(List<JsonNode> records, String name) {
        return records.stream()
                .filter(r -> name.equals(r.path("event").asText()))
                .toList();
    }

    static void await(String what, Duration max, BooleanSupplier ok) {
        Eventually.until(what, max, ok::getAsBoolean);
    }

    @Override
    public void close() {
        pool.stop();
        temp.close();
    }
}
