package io.orderbooks.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensJson;
import io.orderbooks.shared.testing.TempDataDir;
import io.orderbooks.sim.MarketDef;
import io.orderbooks.sim.MarketVersion;
import io.orderbooks.sim.OrderBook;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import io.orderbooks.sim.SimMarket;
import io.orderbooks.sim.TickSizes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The real collector (its packaged jar, as operators run it) records the simulator — REST snapshots every 3 s, two
 * websocket connections, V2 position ids, 4-decimal ticks, one-sided books ({@code ""} best prices), tick size
 * changes, array frames, two corrupted frames and a drop of every connection — and the replay of what it wrote must
 * give back the simulator's own books: every hash the feed carries (each the simulator's book right after the
 * change) agrees with the rebuilt book, every REST book with the rebuilt book of its timestamp, and at the end each
 * rebuilt book is the simulator's, level for level. Books are unknown only where the recording says so.
 */
class ReplayCollectorIT {
    private static final Path COLLECTOR_JAR = Path.of("../collector-svc/target/quarkus-app/quarkus-run.jar");

    @Test
    void rebuiltBooksAreTheSimulatorsAtEveryStep() throws Exception {
        assertThat(COLLECTOR_JAR)
                .as("collector-svc is packaged before replay (test dependency)")
                .exists();
        PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
                .seed(21)
                .markets(20)
                .closedShare(0)
                .noOrderBookShare(0)
                .eventsPerSecondPerAsset(4)
                .eventLoops(1)
                .v2Share(0.5)
                .oneSidedBookShare(0.5)
                .tickSizeChangeShare(0.03)
                .tickSizes(TickSizes.parse("0.01:2,0.0001:2,0.0025:1"))
                .build());
        Process collector = null;
        try (TempDataDir temp = TempDataDir.create()) {
            Path root = temp.root();
            List<String> tokens =
                    sim.universe().openTokenIds().stream().sorted().toList();
            Map<String, OrderBook> simBooks = new LinkedHashMap<>();
            for (String t : tokens) {
                simBooks.put(t, sim.universe().book(t).orElseThrow());
            }
            List<String> v2Tokens = new ArrayList<>();
            List<String> fineTickTokens = new ArrayList<>();
            List<TokenEntry> entries = new ArrayList<>();
            for (SimMarket m : sim.universe().markets()) {
                MarketDef d = m.def();
                for (int i = 0; i < d.tokenIds().size(); i++) {
                    String id = d.tokenIds().get(i);
                    entries.add(new TokenEntry(
                            id,
                            d.outcomes().get(i),
                            i,
                            d.conditionId(),
                            d.id(),
                            d.slug(),
                            d.question(),
                            d.eventSlug(),
                            d.negRisk(),
                            null,
                            d.tickSize(),
                            "5",
                            d.version() == MarketVersion.V2 ? Protocol.V2 : Protocol.V1));
                    if (d.version() == MarketVersion.V2) {
                        v2Tokens.add(id);
                    }
                    if ("0.0001".equals(d.tickSize())) {
                        fineTickTokens.add(id);
                    }
                }
            }
            assertThat(v2Tokens)
                    .as("V2 markets (31-byte condition ids, position ids)")
                    .isNotEmpty();
            assertThat(fineTickTokens).as("markets with a 0.0001 tick").isNotEmpty();
            TokensJson.publish(temp.dataDir(), TokensFile.of(Instant.now(), "it", "test", null, entries));

            Instant started = Instant.now();
            collector = startCollector(sim, root);
            await(
                    "two REST rounds and 2,000 frames",
                    Duration.ofSeconds(90),
                    () -> sim.oracle().restBooksServed() >= 2L * tokens.size()
                            && sim.oracle().totalFrames() >= 2000);
            sim.faults().apply("malformed", Map.of("kind", "truncated", "count", "2"));
            Thread.sleep(1500);
            long before = sim.oracle().connections().size();
            sim.faults().apply("drop", Map.of());
            await(
                    "every connection replaced",
                    Duration.ofSeconds(30),
                    () -> sim.oracle().connections().size() >= before + 2
                            && sim.oracle().connections().stream()
                                            .filter(c -> c.open())
                                            .count()
                                    == 2);
            long served = sim.oracle().restBooksServed();
            await(
                    "another REST round and more frames",
                    Duration.ofSeconds(60),
                    () -> sim.oracle().restBooksServed() >= served + tokens.size());
            // Freeze the books: a settled market stops moving (the generator skips it), so what the collector last
            // received is the simulator's final state.
            for (SimMarket m : sim.universe().markets()) {
                sim.universe().close(m.id());
            }
            Thread.sleep(1500);
            Process c = collector;
            c.destroy();
            assertThat(c.waitFor(60, TimeUnit.SECONDS))
                    .as("collector stops on SIGTERM")
                    .isTrue();
            collector = null;

            // ---- replay what the collector wrote ----
            Map<String, ReplayEngine.Update> last = new HashMap<>();
            ReplayEngine engine = new ReplayEngine(t -> true, u -> last.put(u.book().assetId, u));
            RecordSource source = new RecordSource(
                    root,
                    ReplayMain.micros(started.minusSeconds(3600)),
                    ReplayMain.micros(Instant.now().plusSeconds(3600)),
                    w -> {
                        throw new AssertionError(w);
                    });
            source.forEach(engine::accept);
            Tally total = engine.total();
            System.out.printf(
                    "replay of the collector's recording: %,d records, %,d frames, %,d REST books; hashes %,d "
                            + "checked, %,d agreed, %,d disagreed, %,d not checkable %s; REST %,d compared, %,d agreed, %,d not "
                            + "comparable %s; REST own hash %,d agreed; best bid/ask %,d agreed; unknown because %s%n",
                    engine.counts.records,
                    engine.counts.frames,
                    engine.counts.restBooks,
                    total.hashChecked,
                    total.hashAgreed,
                    total.hashDisagreed,
                    total.hashNotCheckable,
                    total.notCheckableReasons,
                    total.restCompared,
                    total.restAgreed,
                    total.restNotComparable,
                    total.notComparableReasons,
                    total.restSelfAgreed,
                    total.topAgreed,
                    engine.counts.unknownBecause);

            assertThat(total.hashChecked).as("hashes checked").isGreaterThan(1000);
            assertThat(total.hashDisagreed)
                    .as("first disagreements: %s", firstDisagreements(engine))
                    .isZero();
            assertThat(total.hashAgreed).isEqualTo(total.hashChecked);
            assertThat(total.restCompared).isGreaterThan(0);
            assertThat(total.restDisagreed)
                    .as("first disagreements: %s", firstDisagreements(engine))
                    .isZero();
            assertThat(total.restSelfAgreed).isGreaterThanOrEqualTo(3L * tokens.size());
            assertThat(total.restSelfDisagreed).isZero();
            assertThat(total.topAgreed).isGreaterThan(1000);
            assertThat(total.topDisagreed).isZero();
            for (String t : v2Tokens) {
                assertThat(engine.tallies().get(t).hashAgreed)
                        .as("V2 token %s", t)
                        .isGreaterThan(0);
            }
            for (String t : fineTickTokens) {
                assertThat(engine.tallies().get(t).hashAgreed)
                        .as("0.0001-tick token %s", t)
                        .isGreaterThan(0);
            }
            // The recording's own marks made books unknown, and nothing else did.
            assertThat(engine.counts.unparsedFrames).as("the corrupted frames").isGreaterThanOrEqualTo(1);
            assertThat(engine.counts.unknownBecause).containsKeys("unparsed frame", "disconnected");
            assertThat(engine.counts.gaps)
                    .as("the drop's gap records (the books were unknown from its disconnect on)")
                    .isGreaterThanOrEqualTo(2);
            assertThat(engine.counts.unknownBecause).doesNotContainKey("hash disagreement");

            // The same checks per hour (what make report shows in its section 9) add up to the whole run's.
            List<HourlyChecks.Hour> hours = HourlyChecks.of(
                    root,
                    started.minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.HOURS),
                    Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.HOURS),
                    io.orderbooks.shared.manifests.Marks.Loaded.NONE,
                    w -> {});
            assertThat(hours).isNotEmpty();
            assertThat(hours.stream().mapToLong(h -> h.hash().checked()).sum()).isEqualTo(total.hashChecked);
            assertThat(hours.stream().mapToLong(h -> h.hash().agreed()).sum()).isEqualTo(total.hashAgreed);
            assertThat(hours.stream().mapToLong(h -> h.rest().checked()).sum()).isEqualTo(total.restCompared);
            assertThat(hours.stream().mapToLong(h -> h.rest().agreed()).sum()).isEqualTo(total.restAgreed);
            assertThat(hours)
                    .anySatisfy(
                            h -> assertThat(h.gapIntervened()).as("the drop").isTrue());

            // At the end every rebuilt book is the simulator's book, level for level and field for field; it is
            // unknown only because the collector's stop closed its connection.
            for (String t : tokens) {
                Book rebuilt = engine.books().get(t);
                OrderBook truth = simBooks.get(t);
                JsonNode summary = Rec.parse(truth.summaryJson());
                assertThat(rebuilt).as("book of %s", t).isNotNull();
                assertThat(levels(rebuilt.bidsAscending())).as("bids of %s", t).isEqualTo(levels(summary.get("bids")));
                assertThat(levels(rebuilt.asksDescending())).as("asks of %s", t).isEqualTo(levels(summary.get("asks")));
                assertThat(rebuilt.tickSize).isEqualTo(summary.get("tick_size").asText());
                assertThat(rebuilt.lastTradePrice)
                        .isEqualTo(summary.get("last_trade_price").asText());
                assertThat(rebuilt.timestamp).isEqualTo(summary.get("timestamp").asText());
                assertThat(BookHash.sha1Hex(rebuilt.preimage())).isEqualTo(truth.hash());
                assertThat(rebuilt.unknownReason)
                        .as("why %s is unknown at the end", t)
                        .startsWith("disconnected");
            }

            // The command itself over the same data dir: CSV top of book, the JSON report, exit code 0.
            Path csv = root.resolve("top.csv");
            Path report = root.resolve("replay-report.json");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = ReplayMain.run(
                    new String[] {
                        "--data",
                        root.toString(),
                        "--output",
                        "top",
                        "--format",
                        "csv",
                        "--out",
                        csv.toString(),
                        "--report",
                        report.toString(),
                        "--no-progress",
                        "--strict"
                    },
                    Map.of(),
                    new ByteArrayOutputStream(),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            System.out.print(err.toString(StandardCharsets.UTF_8));
            assertThat(code).isZero();
            List<String> lines = Files.readAllLines(csv);
            assertThat(lines.getFirst())
                    .isEqualTo("recv_us,timestamp,asset_id,valid,best_bid,best_bid_size,best_ask,best_ask_size");
            assertThat(lines.size()).isGreaterThan(100);
            JsonNode r = Rec.JSON.readTree(report.toFile());
            assertThat(r.at("/total/hash_agreed").asLong()).isEqualTo(total.hashAgreed);
            assertThat(r.at("/total/hash_disagreed").asLong()).isZero();
            assertThat(r.get("tokens").size()).isGreaterThanOrEqualTo(tokens.size());

            // An operator marks one of the collector's websocket files invalid (docs/OPERATIONS.md §6): replay does
            // not use its hour (both streams, as docs/REPLAY.md says) and counts every record it left out.
            DataDirScan.RawEntry marked = DataDirScan.raw(temp.dataDir(), StreamName.WS_MARKET).stream()
                    .filter(e -> e.closed() != null && e.manifest() != null)
                    .findFirst()
                    .orElseThrow();
            ByteArrayOutputStream markOut = new ByteArrayOutputStream();
            assertThat(ReplayMain.run(
                            new String[] {
                                "mark",
                                "--data",
                                root.toString(),
                                "--file",
                                marked.id().relativePath(),
                                "--reason",
                                "test: frames of this file must not be used",
                                "--by",
                                "ReplayCollectorIT"
                            },
                            Map.of(),
                            markOut,
                            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                    .isZero();
            long inThatHour = 0;
            for (DataDirScan.RawEntry e : DataDirScan.raw(temp.dataDir())) {
                if (e.id().hour().equals(marked.id().hour())
                        && e.manifest() != null
                        && !e.id().stream().equals(StreamName.GAMMA_MARKETS)) {
                    inThatHour +=
                            FileManifest.parse(Files.readAllBytes(e.manifest())).records();
                }
            }
            Path markedReport = root.resolve("replay-report-marked.json");
            ByteArrayOutputStream markedErr = new ByteArrayOutputStream();
            assertThat(ReplayMain.run(
                            new String[] {
                                "--data",
                                root.toString(),
                                "--output",
                                "none",
                                "--report",
                                markedReport.toString(),
                                "--no-progress"
                            },
                            Map.of(),
                            new ByteArrayOutputStream(),
                            new PrintStream(markedErr, true, StandardCharsets.UTF_8)))
                    .isZero();
            System.out.print(markedErr.toString(StandardCharsets.UTF_8));
            JsonNode m = Rec.JSON.readTree(markedReport.toFile());
            assertThat(inThatHour).isGreaterThan(0);
            assertThat(m.at("/marks/records_not_used").asLong()).isEqualTo(inThatHour);
            assertThat(m.at("/marks/applied/0/file").asText())
                    .isEqualTo(marked.id().relativePath());
            assertThat(m.at("/counts/records").asLong())
                    .as("every record but the marked hour's, plus the mark's own event")
                    .isEqualTo(r.at("/counts/records").asLong() - inThatHour + 1);
            assertThat(markedErr.toString(StandardCharsets.UTF_8))
                    .contains("marked invalid, not used: " + marked.id().relativePath(), "marked invalid: 1 hour(s)");
        } finally {
            if (collector != null) {
                collector.destroyForcibly();
            }
            sim.close();
        }
    }

    private static Map<String, Object> firstDisagreements(ReplayEngine engine) {
        Map<String, Object> out = new LinkedHashMap<>();
        engine.tallies().forEach((k, v) -> {
            if (v.firstDisagreement != null && out.size() < 3) {
                out.put(k, v.firstDisagreement);
            }
        });
        return out;
    }

    private static List<String> levels(List<BookHash.Level> levels) {
        return levels.stream().map(l -> l.price() + ":" + l.size()).toList();
    }

    private static List<String> levels(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(l -> out.add(l.get("price").asText() + ":" + l.get("size").asText()));
        return out;
    }

    /** collector-svc's jar in its own JVM, configured as the container is (collector-svc's CollectorProcess, abridged). */
    private static Process startCollector(PolymarketSim sim, Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java, "-Xmx256m", "-jar", COLLECTOR_JAR.toAbsolutePath().toString());
        Map<String, String> env = pb.environment();
        env.put("DATA_DIR", dataDir.toString());
        env.put("QUARKUS_REST_CLIENT_CLOB_API_URL", sim.clobUrl());
        env.put("COLLECTOR_WS_URL", sim.wsUrl());
        env.put("COLLECTOR_INSTANCE", "it");
        env.put("COLLECTOR_SHARD", "0/1");
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("COLLECTOR_SNAPSHOT_INTERVAL", "3s");
        env.put("COLLECTOR_STALE_AFTER", "20s");
        env.put("COLLECTOR_WS_PING_INTERVAL", "500ms");
        env.put("COLLECTOR_WS_PONG_TIMEOUT", "5s");
        env.put("COLLECTOR_WS_MAX_ASSETS_PER_CONNECTION", "30");
        env.put("COLLECTOR_WS_RECONNECT_MIN_BACKOFF", "100ms");
        env.put("COLLECTOR_WS_RECONNECT_MAX_BACKOFF", "1s");
        env.put("COLLECTOR_TOKENS_POLL_INTERVAL", "200ms");
        env.put("COLLECTOR_FILES_FLUSH_INTERVAL", "200ms");
        env.put("COLLECTOR_STATUS_INTERVAL", "2s");
        env.put("COLLECTOR_SNAPSHOT_MAX_REQUESTS_PER_SECOND", "20");
        env.put("COLLECTOR_DISK_MIN_FREE", "1");
        Path log = dataDir.resolve("collector-process.log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static void await(String what, Duration max, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
