package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.records.Gap;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.Eventually;
import io.orderbooks.shared.testing.PackagedService;
import io.orderbooks.shared.testing.TempDataDir;
import io.orderbooks.sim.FrameDigest;
import io.orderbooks.sim.Oracle;
import io.orderbooks.sim.PolymarketSim;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The collector as a process against the simulator, with the simulator's oracle as the judge: everything it sent
 * on a connection while it was open is in a closed file exactly once and in order; drops and silent stalls are
 * detected, reconnected and recorded as gaps; limits are respected; REST books verify against their hash.
 */
@Tag("process")
class CollectorProcessIT {
    private SimCollector fx;
    private PolymarketSim sim;
    private TempDataDir temp;
    private DataDir dir;

    @BeforeEach
    void startSim() {
        fx = SimCollector.start(42, 70);
        sim = fx.sim;
        temp = fx.temp;
        dir = fx.dir;
    }

    @AfterEach
    void stopAll() {
        fx.close();
    }

    private List<String> publishTokens(int count) throws Exception {
        return fx.publishTokens(count);
    }

    private void publish(List<String> ids) throws Exception {
        fx.publish(ids);
    }

    private CollectorProcess start(String instance, String shard) throws Exception {
        return fx.start(instance, shard);
    }

    private static void await(String what, Duration max, BooleanSupplier ok) {
        Eventually.until(what, max, ok::getAsBoolean);
    }

    private List<Oracle.ConnectionRecord> openConnections() {
        return sim.oracle().connections().stream()
                .filter(Oracle.ConnectionRecord::open)
                .toList();
    }

    private int subscribedOnOpenConnections() {
        return openConnections().stream()
                .mapToInt(Oracle.ConnectionRecord::subscribedAssets)
                .sum();
    }

    /** Recorded frames (verbatim text) by the collector's connection id, in file order. */
    private static Map<String, List<String>> recordedFrames(DataDirReader reader) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Path f : reader.closedFiles(StreamName.WS_MARKET)) {
            for (String line : DataDirReader.lines(f)) {
                int at = line.indexOf(",\"frame\":");
                JsonNode n;
                try {
                    n = Json.parse(line.getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                    throw new AssertionError("unparseable line in " + f, e);
                }
                if (n.has("frame")) {
                    out.computeIfAbsent(n.get("conn").asText(), k -> new ArrayList<>())
                            .add(line.substring(at + 9, line.length() - 1));
                } else if (n.has("frame_text")) {
                    out.computeIfAbsent(n.get("conn").asText(), k -> new ArrayList<>())
                            .add(n.get("frame_text").asText());
                }
            }
        }
        return out;
    }

    @Test
    void everyFrameSentWhileConnectedIsRecordedOnceInOrderAndFaultsBecomeGaps() throws Exception {
        List<String> tokens = publishTokens(100);
        CollectorProcess collector = start("it1", "0/1");
        await(
                "4 connections subscribed to 100 assets",
                Duration.ofSeconds(60),
                () -> openConnections().size() == 4 && subscribedOnOpenConnections() == 100);
        Thread.sleep(1500);

        // An abrupt server-side drop.
        String dropped = openConnections().get(0).id();
        sim.faults().apply("drop", Map.of("conn", dropped));
        await(
                "the dropped connection is replaced",
                Duration.ofSeconds(30),
                () -> openConnections().size() == 4
                        && subscribedOnOpenConnections() == 100
                        && openConnections().stream().noneMatch(c -> c.id().equals(dropped)));

        // A silent stall: PONGs keep coming, data does not.
        String silenced = openConnections().get(1).id();
        sim.faults().apply("silence", Map.of("conn", silenced, "seconds", "30"));
        await(
                "the silent connection is detected and replaced",
                Duration.ofSeconds(30),
                () -> sim.oracle().connection(silenced).map(c -> !c.open()).orElse(false)
                        && openConnections().size() == 4
                        && subscribedOnOpenConnections() == 100);

        // The server refuses connections for a while, then a connection drops: retries fail until it accepts again.
        sim.faults().apply("refuse", Map.of("seconds", "2"));
        String droppedWhileRefusing = openConnections().get(2).id();
        sim.faults().apply("drop", Map.of("conn", droppedWhileRefusing));
        await(
                "reconnected after the refusal",
                Duration.ofSeconds(30),
                () -> openConnections().size() == 4
                        && subscribedOnOpenConnections() == 100
                        && openConnections().stream().noneMatch(c -> c.id().equals(droppedWhileRefusing)));

        // A truncated frame is kept as text with the parser's complaint, not dropped and not guessed.
        sim.faults().apply("malformed", Map.of("kind", "truncated", "count", "1"));
        Thread.sleep(500);

        // A rate limit on /books: an in-band rate_limited event, then the retry gets the books.
        sim.faults().apply("http", Map.of("status", "429", "count", "1", "scope", "clob"));

        // A market closes: its books disappear from /books; the round reports them missing.
        String closedMarket =
                sim.universe().marketOfToken(tokens.get(50)).orElseThrow().id();
        sim.universe().close(closedMarket);
        Thread.sleep(3500);

        // Ten tokens leave tokens.json: they are unsubscribed, the rest stays.
        publish(tokens.subList(10, tokens.size()));
        await("90 assets subscribed", Duration.ofSeconds(30), () -> subscribedOnOpenConnections() == 90);
        Thread.sleep(3500); // one more snapshot round

        sim.faults().apply("silence", Map.of("seconds", "60"));
        Thread.sleep(700);
        int exit = collector.terminate();
        assertThat(exit).as("clean exit on SIGTERM").isIn(0, 143);

        DataDirReader reader = new DataDirReader(dir);
        assertThat(reader.openFiles(StreamName.WS_MARKET)).isEmpty();
        assertThat(reader.openFiles(StreamName.REST_BOOKS)).isEmpty();
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
        assertThat(reader.verify(StreamName.REST_BOOKS)).isEmpty();

        // The oracle's judgement: per connection, the same frames in the same order, exactly once.
        Map<String, List<String>> recorded = recordedFrames(reader);
        Set<String> sent = sim.oracle().connections().stream()
                .filter(c -> c.frames() > 0)
                .map(c -> c.frames() + ":" + c.sha256())
                .collect(Collectors.toSet());
        Set<String> kept = recorded.values().stream()
                .map(f -> f.size() + ":" + FrameDigest.of(f))
                .collect(Collectors.toSet());
        assertThat(kept).as("recorded (frames:digest) per connection").isEqualTo(sent);
        assertThat(recorded.values().stream().mapToLong(List::size).sum())
                .isEqualTo(sim.oracle().totalFrames());

        // Limits: no subscribe frame over 100 ids, no connection over 30 assets, nothing the server ignored.
        for (Oracle.ConnectionRecord c : sim.oracle().connections()) {
            assertThat(c.invalidClientFrames()).isZero();
            assertThat(c.subscribedAssets()).isLessThanOrEqualTo(30);
            assertThat(c.servedAssets()).isEqualTo(c.subscribedAssets());
        }

        // The drop and the stall are in-band events and manifest gaps with sane bounds.
        List<JsonNode> ws = reader.records(StreamName.WS_MARKET);
        List<Gap> gaps = reader.closedFiles(StreamName.WS_MARKET).stream()
                .flatMap(f -> reader.manifest(f).gaps().stream())
                .toList();
        assertThat(gaps).extracting(Gap::reason).contains("disconnected", "stale");
        assertThat(gaps)
                .as("the refusal lengthened one disconnection gap to about 2 s")
                .anyMatch(g -> g.reason().equals("disconnected") && g.toUs() - g.fromUs() >= 1_500_000);
        assertThat(ws).anyMatch(r -> "connect_failed".equals(r.path("event").asText()));
        assertThat(ws)
                .anyMatch(r ->
                        r.has("frame_text") && r.get("parse_error").asText().length() > 0);
        for (Gap g : gaps) {
            assertThat(g.toUs()).isGreaterThanOrEqualTo(g.fromUs());
            assertThat(g.toUs() - g.fromUs()).isLessThan(Duration.ofSeconds(30).toNanos() / 1000);
        }
        Gap stall = gaps.stream()
                .filter(g -> g.reason().equals("stale"))
                .findFirst()
                .orElseThrow();
        assertThat(stall.toUs() - stall.fromUs())
                .as("a stall gap starts at the last data, before detection")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3).toNanos() / 1000);
        assertThat(ws).anyMatch(r -> "stale".equals(r.path("event").asText()));
        assertThat(ws.stream()
                        .filter(r -> "unsubscribed".equals(r.path("event").asText()))
                        .mapToInt(r -> r.get("assets").asInt())
                        .sum())
                .isEqualTo(10);

        // REST: books stored byte-exact (their hash verifies), rounds reported, the stall triggered a snapshot.
        List<JsonNode> rest = reader.records(StreamName.REST_BOOKS);
        List<JsonNode> books =
                rest.stream().filter(r -> r.has("item")).map(r -> r.get("item")).toList();
        assertThat(books).hasSizeGreaterThan(200);
        for (JsonNode b : books) {
            assertThat(PublishedBookHash.of(b))
                    .as("hash of book " + b.path("asset_id").asText())
                    .isEqualTo(b.get("hash").asText());
        }
        List<JsonNode> rounds = rest.stream()
                .filter(r -> "snapshot_round".equals(r.path("event").asText()))
                .toList();
        assertThat(rounds).anyMatch(r -> "after-stall".equals(r.path("why").asText()));
        assertThat(rounds)
                .allMatch(r -> r.get("received").asInt() + r.get("missing").asInt()
                        == r.get("planned").asInt());
        assertThat(rounds)
                .first()
                .satisfies(r -> assertThat(r.get("received").asInt()).isEqualTo(100));
        assertThat(rest)
                .as("the 429 is in the stream")
                .anyMatch(r -> "rate_limited".equals(r.path("event").asText())
                        && "POST /books".equals(r.path("endpoint").asText())
                        && r.get("status").asInt() == 429
                        && r.path("req").asText().startsWith("books#")
                        && r.get("tokens").asInt() > 0);
        assertThat(rounds)
                .as("the closed market's token is reported missing, not retried in a loop")
                .anyMatch(r -> r.get("missing_sample").toString().contains(tokens.get(50)));

        // Nothing the server did not send, nothing twice: per asset, the stored items equal what was served (only a
        // batch in flight at SIGTERM may be one short).
        Map<String, List<String>> restItems = new HashMap<>();
        for (Path f : reader.closedFiles(StreamName.REST_BOOKS)) {
            for (String line : DataDirReader.lines(f)) {
                int at = line.indexOf(",\"item\":");
                if (at > 0) {
                    String item = line.substring(at + 8, line.length() - 1);
                    String asset = Json.parse(item.getBytes(StandardCharsets.UTF_8))
                            .get("asset_id")
                            .asText();
                    restItems.computeIfAbsent(asset, k -> new ArrayList<>()).add(item);
                }
            }
        }
        int inFlight = 0;
        for (String asset : tokens) {
            Oracle.RestBookRecord served = sim.oracle().restBook(asset).orElse(null);
            List<String> stored = restItems.getOrDefault(asset, List.of());
            long servedCount = served == null ? 0 : served.count();
            if (stored.size() == servedCount) {
                if (servedCount > 0) {
                    assertThat(FrameDigest.of(stored))
                            .as("REST items of " + asset)
                            .isEqualTo(served.sha256());
                }
            } else {
                assertThat(stored.size()).as("REST items of " + asset).isEqualTo(servedCount - 1);
                inFlight++;
            }
        }
        assertThat(inFlight).isLessThanOrEqualTo(500);
        Set<String> restAssets =
                books.stream().map(b -> b.get("asset_id").asText()).collect(Collectors.toSet());
        assertThat(restAssets).containsAll(tokens.subList(10, tokens.size()));

        long wsBytes = reader.closedFiles(StreamName.WS_MARKET).stream()
                .mapToLong(f -> reader.manifest(f).bytes())
                .sum();
        long wsRaw = reader.closedFiles(StreamName.WS_MARKET).stream()
                .mapToLong(f -> reader.manifest(f).uncompressedBytes())
                .sum();
        long restBytes = reader.closedFiles(StreamName.REST_BOOKS).stream()
                .mapToLong(f -> reader.manifest(f).bytes())
                .sum();
        long restRaw = reader.closedFiles(StreamName.REST_BOOKS).stream()
                .mapToLong(f -> reader.manifest(f).uncompressedBytes())
                .sum();
        System.out.printf(
                "collector IT: %d connections, %d frames matched the oracle, gaps %s, %d books verified, %d rounds%n",
                recorded.size(), sim.oracle().totalFrames(), gaps, books.size(), rounds.size());
        System.out.printf(
                "disk: ws %d lines %d B gz (%.1f B/line, ratio %.1f); rest %d books %d B gz (%.1f B/book, ratio %.1f)%n",
                ws.size(),
                wsBytes,
                (double) wsBytes / ws.size(),
                (double) wsRaw / wsBytes,
                rest.size(),
                restBytes,
                (double) restBytes / books.size(),
                (double) restRaw / restBytes);
        FileManifest anyWs =
                reader.manifest(reader.closedFiles(StreamName.WS_MARKET).get(0));
        assertThat(anyWs.writer().attributes()).containsEntry("shard", "0/1").containsEntry("shard_key", "token");
        JsonNode run = Json.parse(Files.readAllBytes(
                Files.list(dir.runsDir("collector-svc")).findFirst().orElseThrow()));
        assertThat(run.get("exit_reason").asText()).isEqualTo("shutdown");
    }

    /**
     * Issue 13 "quiet logs": no WARN and no ERROR line from the launch up to the first status line after the first
     * REST books were served (Quarkus's start, the configuration block, tokens.json read, the websocket connections,
     * the first snapshot round, a status line), while readiness is probed as Docker's healthcheck does.
     */
    @Test
    void aCleanStartLogsNoWarningUpToTheFirstStatusLineAfterTheFirstBooks() throws Exception {
        List<String> tokens = publishTokens(40);
        Map<String, String> env = fx.env("clean", "0/1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        // Vert.x's blocked-thread WARN (2 s) measures this busy test machine, not the service: see
        // PackagedService#start.
        env.put("QUARKUS_VERTX_MAX_EVENT_LOOP_EXECUTE_TIME", "30s");
        CollectorProcess collector = fx.start(env, "clean");
        Path log = fx.log("clean");
        String ready = "http://127.0.0.1:" + env.get("QUARKUS_HTTP_PORT") + "/q/health/ready";
        await("the first REST books served", Duration.ofSeconds(60), () -> {
            probe(ready);
            return tokens.stream().anyMatch(t -> sim.oracle().restBook(t).isPresent());
        });
        int statusLinesSoFar = statusLines(log);
        await("a status line after the first books", Duration.ofSeconds(30), () -> {
            probe(ready);
            return statusLines(log) > statusLinesSoFar;
        });
        String stdout = Files.readString(log);
        assertThat(PackagedService.warningsUntil(stdout, "status: ws_up=", statusLinesSoFar + 1))
                .as(stdout)
                .isEmpty();
        assertThat(stdout).as("SmallRye's per-probe health report is silenced").doesNotContain("SRHCK01001");
        assertThat(collector.terminate()).isIn(0, 143);
    }

    /**
     * The first REST round waits for the token list, not for a whole interval: with a 60 s interval, a collector
     * that starts before discovery has published serves REST books within seconds of the list appearing (the round
     * at start found no tokens; before the fix the first books came a minute later, and a stack restarted more often
     * than that recorded none).
     */
    @Test
    void theFirstRestRoundStartsWhenTheTokenListAppearsNotAnIntervalLater() throws Exception {
        Map<String, String> env = fx.env("late-list", "0/1");
        env.put("COLLECTOR_SNAPSHOT_INTERVAL", "60s");
        CollectorProcess collector = fx.start(env, "late-list");
        Path log = fx.log("late-list");
        await("the collector waiting for a token list", Duration.ofSeconds(60), () -> {
            try {
                return Files.exists(log) && Files.readString(log).contains("no token list yet");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        List<String> tokens = publishTokens(20);
        await(
                "a REST book of a listed token, well before the 60 s interval",
                Duration.ofSeconds(30),
                () -> tokens.stream().anyMatch(t -> sim.oracle().restBook(t).isPresent()));
        assertThat(collector.terminate()).isIn(0, 143);
    }

    /** Issue 13 item 4: a data dir it cannot write ends the service with one FATAL line naming it, and exit code 73. */
    @Test
    void aDataDirItCannotWriteEndsTheServiceWithOneFatalLineAndExitCode73() throws Exception {
        Path base = Files.createTempDirectory(temp.root(), "exit-");
        Path data = PackagedService.unwritableDataDir(base);
        // temp.root() is the parent: the service's user (nobody when the test is root) must reach data to find it
        // unwritable.
        Files.setPosixFilePermissions(temp.root(), PosixFilePermissions.fromString("rwxr-xr-x"));
        PackagedService.Exit r = PackagedService.runToExit(
                Map.of(
                        "DATA_DIR",
                        data.toString(),
                        "QUARKUS_REST_CLIENT_CLOB_API_URL",
                        "http://127.0.0.1:9",
                        "COLLECTOR_WS_URL",
                        "ws://127.0.0.1:9/ws/market",
                        "COLLECTOR_INSTANCE",
                        "it"),
                base.resolve("stdout.log"));
        assertThat(r.code()).as(r.output()).isEqualTo(73);
        assertThat(r.lines("FATAL"))
                .as(r.output())
                .singleElement()
                .asString()
                .contains(
                        "collector-svc cannot start",
                        "data dir " + data,
                        "not writable",
                        "exiting with code 73",
                        "chown");
        assertThat(r.output()).doesNotContain("\tat ");
        assertThat(data.toFile().list()).isEmpty();
    }

    private static int statusLines(Path log) {
        try {
            return (int) Files.readString(log)
                    .lines()
                    .filter(l -> l.contains("status: ws_up="))
                    .count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static void probe(String url) {
        try {
            HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            // not listening yet: the probe is only there to exercise the health logging during the start
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void twoShardsTogetherRecordEveryTokenExactlyOnce() throws Exception {
        List<String> tokens = publishTokens(80);
        CollectorProcess a = start("shard0", "0/2");
        CollectorProcess b = start("shard1", "1/2");
        await(
                "both shards subscribed everything between them",
                Duration.ofSeconds(60),
                () -> subscribedOnOpenConnections() == 80);
        Thread.sleep(4000); // at least one snapshot round each
        sim.faults().apply("silence", Map.of("seconds", "60"));
        Thread.sleep(500);
        assertThat(a.terminate()).isIn(0, 143);
        assertThat(b.terminate()).isIn(0, 143);

        DataDirReader reader = new DataDirReader(dir);
        Map<String, Set<String>> byInstance = new HashMap<>();
        for (Path f : reader.closedFiles(StreamName.REST_BOOKS)) {
            String instance = reader.manifest(f).writer().instance().value();
            for (JsonNode r : DataDirReader.records(f)) {
                if (r.has("item")) {
                    byInstance
                            .computeIfAbsent(instance, k -> new HashSet<>())
                            .add(r.get("item").get("asset_id").asText());
                }
            }
        }
        Set<String> s0 = byInstance.getOrDefault("shard0", Set.of());
        Set<String> s1 = byInstance.getOrDefault("shard1", Set.of());
        assertThat(s0).isNotEmpty().doesNotContainAnyElementsOf(s1);
        Set<String> union = new HashSet<>(s0);
        union.addAll(s1);
        assertThat(union).containsExactlyInAnyOrderElementsOf(tokens);
        for (String t : s0) {
            assertThat(new Shard(0, 2).contains(t)).isTrue();
        }
    }

    /**
     * {@code COLLECTOR_SHARD_KEY=market}: each market's tokens in one shard, so a price_change naming both tokens of a
     * market is stored by one collector only (docs/COLLECTOR.md, "Sharding"); by token id the same list would split
     * markets over the two, and their two-token frames would be stored by both.
     */
    @Test
    void twoShardsByMarketKeepEachMarketWholeAndStoreNoEventTwice() throws Exception {
        List<String> tokens = fx.publishMarkets(30);
        Map<String, String> byMarket = new HashMap<>();
        tokens.forEach(t -> byMarket.put(t, fx.conditionOf(t)));
        Map<String, Set<Boolean>> tokenKeySides = new HashMap<>();
        tokens.forEach(t -> tokenKeySides
                .computeIfAbsent(byMarket.get(t), k -> new HashSet<>())
                .add(new Shard(0, 2).contains(t)));
        assertThat(tokenKeySides.values())
                .as("the token key would split some of these markets")
                .anyMatch(sides -> sides.size() > 1);
        List<CollectorProcess> shards = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Map<String, String> env = fx.env("market" + i, i + "/2");
            env.put("COLLECTOR_SHARD_KEY", "market");
            shards.add(fx.start(env, "market" + i));
        }
        await(
                "both shards subscribed every token between them",
                Duration.ofSeconds(60),
                () -> subscribedOnOpenConnections() == tokens.size());
        Thread.sleep(4000); // at least one snapshot round each, and some seconds of the feed
        for (CollectorProcess p : shards) {
            assertThat(p.terminate()).isIn(0, 143);
        }

        DataDirReader reader = new DataDirReader(dir);
        Map<String, String> restOwner = new HashMap<>();
        for (Path f : reader.closedFiles(StreamName.REST_BOOKS)) {
            String instance = reader.manifest(f).writer().instance().value();
            for (JsonNode r : DataDirReader.records(f)) {
                if (r.has("item")) {
                    String token = r.get("item").get("asset_id").asText();
                    String before = restOwner.put(token, instance);
                    assertThat(before).as(token + " recorded by one shard").isIn(null, instance);
                }
            }
        }
        assertThat(restOwner.keySet()).containsExactlyInAnyOrderElementsOf(tokens);
        restOwner.forEach((token, instance) -> {
            int index = instance.endsWith("0") ? 0 : 1;
            assertThat(Shard.parse(index + "/2", "market").contains(token, byMarket.get(token)))
                    .isTrue();
        });
        Map<String, Set<String>> instancesOfMarket = new HashMap<>();
        restOwner.forEach((token, instance) -> instancesOfMarket
                .computeIfAbsent(byMarket.get(token), k -> new HashSet<>())
                .add(instance));
        assertThat(instancesOfMarket.values()).allMatch(s -> s.size() == 1);
        assertThat(Set.copyOf(restOwner.values())).containsExactlyInAnyOrder("market0", "market1");

        Map<String, Set<String>> storedBy = new HashMap<>();
        int twoTokenPriceChanges = 0;
        for (Path f : reader.closedFiles(StreamName.WS_MARKET)) {
            FileManifest m = reader.manifest(f);
            assertThat(m.writer().attributes())
                    .containsEntry("shard", m.writer().instance().value().endsWith("0") ? "0/2" : "1/2")
                    .containsEntry("shard_key", "market");
            for (JsonNode r : DataDirReader.records(f)) {
                JsonNode frame = r.path("frame");
                // Array frames are split: the server batches events per connection (docs/DATA-FORMAT.md §2).
                for (JsonNode event : frame.isArray() ? frame : List.of(frame)) {
                    if (!"price_change".equals(event.path("event_type").asText())) {
                        continue;
                    }
                    storedBy.computeIfAbsent(event.toString(), k -> new HashSet<>())
                            .add(m.writer().instance().value());
                    Set<String> assets = new HashSet<>();
                    event.path("price_changes")
                            .forEach(c -> assets.add(c.path("asset_id").asText()));
                    twoTokenPriceChanges += assets.size() > 1 ? 1 : 0;
                }
            }
        }
        try (var runs = Files.list(dir.runsDir("collector-svc"))) {
            for (Path run : runs.toList()) {
                assertThat(Json.parse(Files.readAllBytes(run))
                                .path("config")
                                .path("collector.shard-key")
                                .asText())
                        .as("the key in the run manifest " + run.getFileName())
                        .isEqualTo("market");
            }
        }
        assertThat(twoTokenPriceChanges)
                .as("price_change events naming both tokens of a market were recorded")
                .isPositive();
        assertThat(storedBy.entrySet().stream()
                        .filter(e -> e.getValue().size() > 1)
                        .map(Map.Entry::getKey)
                        .toList())
                .as("price_change events stored by both shards")
                .isEmpty();
    }

    @Test
    void killMinus9IsRecoveredByTheNextStart() throws Exception {
        publishTokens(40);
        CollectorProcess first = start("crashy", "0/1");
        DataDirReader reader = new DataDirReader(dir);
        await(
                "data is being written",
                Duration.ofSeconds(60),
                () -> !reader.openFiles(StreamName.WS_MARKET).isEmpty() && subscribedOnOpenConnections() == 40);
        Thread.sleep(2000);
        first.kill();
        long killedUs = System.currentTimeMillis() * 1000;
        assertThat(reader.openFiles(StreamName.WS_MARKET)).isNotEmpty();

        CollectorProcess second = start("crashy", "0/1");
        await(
                "the restart reconnects",
                Duration.ofSeconds(60),
                () -> openConnections().size() >= 2);
        Thread.sleep(1000);
        assertThat(second.terminate()).isIn(0, 143);

        assertThat(reader.openFiles(StreamName.WS_MARKET)).isEmpty();
        assertThat(reader.verify(StreamName.WS_MARKET)).isEmpty();
        List<FileManifest> manifests = reader.closedFiles(StreamName.WS_MARKET).stream()
                .map(reader::manifest)
                .toList();
        assertThat(manifests).anyMatch(FileManifest::recovered);
        assertThat(manifests).anyMatch(m -> !m.recovered() && "shutdown".equals(m.closedReason()));
        List<String> exits = new ArrayList<>();
        Map<String, String> runByExit = new java.util.HashMap<>();
        try (var runs = Files.list(dir.runsDir("collector-svc"))) {
            for (Path p : runs.toList()) {
                JsonNode run = Json.parse(Files.readAllBytes(p));
                exits.add(run.get("exit_reason").asText());
                runByExit.put(run.get("exit_reason").asText(), run.get("run_id").asText());
            }
        }
        assertThat(exits).containsExactlyInAnyOrder("crash-recovered", "shutdown");
        String killed = runByExit.get("crash-recovered");
        String restarted = runByExit.get("shutdown");
        // A recovered file names both runs: the killed one wrote its lines, the restart recovered it.
        assertThat(manifests.stream().filter(FileManifest::recovered)).allSatisfy(m -> {
            assertThat(m.recovery().writerRunId()).isEqualTo(killed);
            assertThat(m.writer().runId()).isEqualTo(restarted);
        });
        // Connection ids of the two runs never meet: each ends with its own run's token.
        Set<String> ids = reader.records(StreamName.WS_MARKET).stream()
                .filter(r -> r.hasNonNull("conn"))
                .map(r -> r.get("conn").asText())
                .collect(Collectors.toSet());
        String killedToken = killed.substring(killed.lastIndexOf('-') + 1);
        String restartedToken = restarted.substring(restarted.lastIndexOf('-') + 1);
        assertThat(killedToken).isNotEqualTo(restartedToken);
        assertThat(ids)
                .allMatch(id -> id.endsWith("@" + killedToken) || id.endsWith("@" + restartedToken))
                .anyMatch(id -> id.endsWith("@" + killedToken))
                .anyMatch(id -> id.endsWith("@" + restartedToken));

        // The crash is in the data: each stream the killed run wrote to has one collector-down gap, from its last
        // record that survived (salvaged from its .open file) to the restart, written by the restart.
        for (StreamName stream : List.of(StreamName.WS_MARKET, StreamName.REST_BOOKS)) {
            List<JsonNode> records = reader.records(stream);
            var lastOfKilledRun = records.stream()
                    .mapToLong(r -> r.get("recv_us").asLong())
                    .filter(us -> us < killedUs)
                    .max();
            List<Gap> down = reader.closedFiles(stream).stream()
                    .map(reader::manifest)
                    .flatMap(m -> m.gaps().stream())
                    .filter(g -> "collector-down".equals(g.reason()))
                    .toList();
            if (lastOfKilledRun.isEmpty()) {
                assertThat(down)
                        .as(stream + ": nothing written before the kill, so no downtime to record")
                        .isEmpty();
                continue;
            }
            assertThat(down).as(stream + " collector-down gaps").singleElement().satisfies(g -> {
                assertThat(g.fromUs()).isEqualTo(lastOfKilledRun.getAsLong());
                assertThat(g.toUs()).isGreaterThan(killedUs);
                assertThat(g.conn()).isNull();
            });
            JsonNode event = records.stream()
                    .filter(r -> "collector-down".equals(r.path("reason").asText()))
                    .findFirst()
                    .orElseThrow();
            assertThat(event.get("previous_run_crashed").asBoolean()).isTrue();
        }
        assertThat(reader.records(StreamName.WS_MARKET).stream()
                        .anyMatch(r -> "collector-down".equals(r.path("reason").asText())))
                .as("the websocket stream was being written when killed")
                .isTrue();
    }
}
