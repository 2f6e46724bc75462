package io.orderbooks.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensJson;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.DataDirReader;
import io.orderbooks.shared.testing.Eventually;
import io.orderbooks.shared.testing.PackagedService;
import io.orderbooks.shared.testing.TempDataDir;
import io.orderbooks.sim.MarketDef;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.RateLimits;
import io.orderbooks.sim.SimConfig;
import io.orderbooks.sim.SimMarket;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * discovery-svc as an operator runs it: the packaged jar ({@code java -jar target/quarkus-app/quarkus-run.jar}) in
 * its own JVM, configured only through the environment variables the container gets (DATA_DIR,
 * QUARKUS_REST_CLIENT_GAMMA_API_URL, DISCOVERY_INSTANCE, QUARKUS_HTTP_PORT), against polymarket-sim; stopped with
 * SIGTERM as {@code docker compose stop} does.
 */
@Tag("process")
class DiscoveryProcessIT {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /**
     * The service's life in one JVM: a clean start (issue 13 "quiet logs": no WARN and no ERROR line from the launch up
     * to the first status line after run #1 — Quarkus's start, the configuration block, the first Gamma requests, the
     * run's result — while readiness is probed as Docker's healthcheck does; the simulator lists no market of an
     * unknown version here, those are a real WARN about the feed, not noise), then tokens.json published and followed,
     * then SIGTERM. The clean start was a process test of its own, starting the same service on the same simulator.
     */
    @Test
    void thePackagedServiceStartsQuietlyPublishesTokensJsonFollowsChangesAndStopsCleanly() throws Exception {
        try (PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
                        .markets(600)
                        .seed(7)
                        .unknownVersionShare(0)
                        .eventsPerSecondPerAsset(0.1)
                        .idleEventsPerSecondPerAsset(0)
                        .build());
                TempDataDir temp = TempDataDir.create()) {
            int port = freePort();
            // Any discovery.* key has an env form; a short interval shows the scheduled runs. Vert.x's blocked-thread
            // WARN (2 s) measures this busy test machine, not the service: see PackagedService#start.
            Path log = log(temp);
            Process process = start(
                    sim,
                    temp,
                    port,
                    Map.of(
                            "DISCOVERY_INTERVAL",
                            "2s",
                            "DISCOVERY_STATUS_INTERVAL",
                            "1s",
                            "QUARKUS_VERTX_MAX_EVENT_LOOP_EXECUTE_TIME",
                            "30s"),
                    log);
            try {
                DataDir dir = temp.dataDir();
                eventually(
                        () -> {
                            try {
                                get("http://127.0.0.1:" + port + "/q/health/ready");
                            } catch (RuntimeException notListeningYet) {
                                // the probe is only there to exercise the health logging during the start
                            }
                            // The first status line that names a run comes after run #1 (with runs every 2 s it may
                            // already name #2).
                            return Files.readString(log).contains("last_run=#");
                        },
                        process,
                        log);
                String started = Files.readString(log);
                assertThat(PackagedService.warningsUntil(started, "last_run=#"))
                        .as(started)
                        .isEmpty();
                assertThat(started)
                        .as("SmallRye's per-probe health report is silenced")
                        .doesNotContain("SRHCK01001");

                eventually(() -> Files.exists(dir.tokensFile()), process, log);
                TokensFile first = TokensJson.read(dir.tokensFile());
                assertThat(ids(first)).isEqualTo(new HashSet<>(sim.universe().openTokenIds()));
                eventually(
                        () -> get("http://127.0.0.1:" + port + "/q/health/ready")
                                        .statusCode()
                                == 200,
                        process,
                        log);
                assertThat(get("http://127.0.0.1:" + port + "/q/metrics").body())
                        .contains("discovery_runs_total{result=\"published\"}");

                // The next scheduled run sees a market close and a new one listed.
                SimMarket closing = sim.universe().markets().stream()
                        .filter(SimMarket::hasBook)
                        .findFirst()
                        .orElseThrow();
                sim.universe().close(closing.id());
                SimMarket listed = sim.universe().addMarket();
                eventually(
                        () -> {
                            try {
                                Set<String> now = ids(TokensJson.read(dir.tokensFile()));
                                return now.containsAll(listed.def().tokenIds())
                                        && closing.def().tokenIds().stream().noneMatch(now::contains);
                            } catch (IOException e) {
                                return false;
                            }
                        },
                        process,
                        log);

                process.destroy(); // SIGTERM
                assertThat(process.waitFor(60, TimeUnit.SECONDS))
                        .as("stopped within 60 s of SIGTERM")
                        .isTrue();
                assertThat(process.exitValue()).isIn(0, 143);

                DataDirReader reader = new DataDirReader(dir);
                List<Path> closed = reader.closedFiles(StreamName.GAMMA_MARKETS);
                assertThat(closed).isNotEmpty();
                assertThat(reader.openFiles(StreamName.GAMMA_MARKETS)).isEmpty();
                assertThat(reader.verify(StreamName.GAMMA_MARKETS)).isEmpty();
                FileManifest manifest = reader.manifest(closed.getFirst());
                assertThat(manifest.writer().service()).isEqualTo("discovery-svc");
                assertThat(manifest.counts()).containsKey("markets_page");
                JsonNode firstLine = DataDirReader.records(closed.getFirst()).getFirst();
                assertThat(firstLine.get("src").asText()).isEqualTo("gamma");
                assertThat(firstLine.get("page").get("markets").isArray()).isTrue();

                try (Stream<Path> runs = Files.list(dir.root().resolve("runs/discovery-svc"))) {
                    JsonNode run =
                            Json.parse(Files.readAllBytes(runs.findFirst().orElseThrow()));
                    assertThat(run.get("status").asText()).isEqualTo("ended");
                    assertThat(run.get("exit_reason").asText()).isEqualTo("shutdown");
                    assertThat(run.get("config").get("discovery.instance").asText())
                            .isEqualTo("it");
                    assertThat(run.get("config").get("discovery.interval").asText())
                            .isEqualTo("PT2S");
                }
                assertThat(Files.readString(dir.logFile("discovery-svc"))).contains("discovery run #1 published");
                String stdout = Files.readString(log);
                assertThat(stdout)
                        .contains("discovery-svc", "starting", "quarkus.rest-client.gamma-api.url=" + sim.gammaUrl());
                assertThat(stdout)
                        .containsPattern("status: tokens=\\d+ markets=\\d+ last_run=#\\d+ (published|unchanged)"
                                + ".* tokens_by_protocol=\\{v1=\\d+,v2=[1-9]\\d*\\} v2_share=\\d+\\.\\d%");
                // the simulator's defaults list V2 markets: the run line counts them by version
                assertThat(stdout)
                        .containsPattern("discovery run #1 published: .* markets_by_version=\\{v1=\\d+,v2=[1-9]\\d*,");
                System.out.println("[DiscoveryProcessIT] "
                        + stdout.lines()
                                .filter(l -> l.contains("discovery run #"))
                                .findFirst()
                                .orElse(""));
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                Files.deleteIfExists(log);
            }
        }
    }

    @Test
    void operatorFiltersSetThroughTheEnvironmentSelectTheMarkets() throws Exception {
        try (PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
                        .markets(800)
                        .seed(11)
                        .eventsPerSecondPerAsset(0.1)
                        .idleEventsPerSecondPerAsset(0)
                        .build());
                TempDataDir temp = TempDataDir.create()) {
            List<SimMarket> tradeable =
                    sim.universe().markets().stream().filter(SimMarket::hasBook).toList();
            String denied = tradeable.getFirst().def().slug();
            Instant endMax = Instant.now().plus(Duration.ofDays(120));
            Map<String, String> filters = Map.of(
                    "DISCOVERY_FILTER_MIN_LIQUIDITY", "500",
                    "DISCOVERY_FILTER_MIN_VOLUME_24H", "50",
                    "DISCOVERY_FILTER_TAG_IDS", "2,21",
                    "DISCOVERY_FILTER_DENY", denied,
                    "DISCOVERY_FILTER_END_DATE_MAX", "now+120d",
                    "DISCOVERY_FILTER_MAX_MARKETS", "40");
            // What the filters should keep, computed from the simulator's own market definitions.
            List<MarketDef> candidates = tradeable.stream()
                    .map(SimMarket::def)
                    .filter(d -> d.liquidity() >= 500
                            && d.volume24hr() >= 50
                            && !d.slug().equals(denied)
                            && d.tags().stream().anyMatch(t -> t.id().equals("2") || t.id().equals("21"))
                            && !d.endDate().isAfter(endMax))
                    .sorted(Comparator.comparingDouble(MarketDef::volume24hr).reversed())
                    .toList();
            assertThat(candidates.size()).as("max-markets has something to cut").isGreaterThan(40);
            List<MarketDef> expected = candidates.subList(0, 40);
            Path log = log(temp);
            Process process = start(sim, temp, freePort(), filters, log);
            try {
                DataDir dir = temp.dataDir();
                eventually(() -> Files.exists(dir.tokensFile()), process, log);
                TokensFile published = TokensJson.read(dir.tokensFile());
                Set<String> want = new HashSet<>();
                expected.forEach(d -> want.addAll(d.tokenIds()));
                assertThat(ids(published)).isEqualTo(want);
                assertThat(published.markets()).isEqualTo(40);
                JsonNode f = published.filters();
                assertThat(f.get("min_liquidity").asDouble()).isEqualTo(500);
                assertThat(f.get("min_volume_24h").asDouble()).isEqualTo(50);
                assertThat(f.get("max_markets").asInt()).isEqualTo(40);
                assertThat(f.get("end_date_max").asText()).isEqualTo("now+120d");
                assertThat(f.get("deny").get(0).asText()).isEqualTo(denied);
                // Gamma-side filters were sent on every page.
                eventually(
                        () -> {
                            try {
                                return Files.readString(log).contains("discovery run #1 published");
                            } catch (IOException e) {
                                return false;
                            }
                        },
                        process,
                        log);
                assertThat(Files.readString(log)).contains("max_markets=" + (candidates.size() - 40));
                process.destroy();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                List<JsonNode> pages = new DataDirReader(dir).records(StreamName.GAMMA_MARKETS);
                assertThat(pages)
                        .isNotEmpty()
                        .allSatisfy(line -> assertThat(line.get("req").asText())
                                .contains(
                                        "liquidity_num_min=500",
                                        "tag_id=2",
                                        "tag_id=21",
                                        "include_tag=true",
                                        "end_date_max="));
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                Files.deleteIfExists(log);
            }
        }
    }

    @Test
    void aRateLimitedGammaIsWaitedOutAsItsRetryAfterSays() throws Exception {
        // A Gamma much stricter than the real one: 2 listing requests per 6 s, answered 429 with retry-after beyond.
        // Pages of 50 make the walk 7 requests, so the third comes within the window of the first however slow this
        // machine is (with 3 s and 100 a page, a loaded machine could spread the few requests past the window, never
        // meet a 429, and fail the test).
        try (PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
                        .markets(300)
                        .seed(3)
                        .eventsPerSecondPerAsset(0.1)
                        .idleEventsPerSecondPerAsset(0)
                        .rateLimits(RateLimits.documented()
                                .withWindow(Duration.ofSeconds(6))
                                .withGammaMarkets(2))
                        .build());
                TempDataDir temp = TempDataDir.create()) {
            Path log = log(temp);
            Process process = start(sim, temp, freePort(), Map.of("DISCOVERY_PAGE_SIZE", "50"), log);
            try {
                DataDir dir = temp.dataDir();
                // About 20 s of waiting out 429s on top of the start.
                Eventually.untilProcess(process, log, Duration.ofSeconds(120), () -> Files.exists(dir.tokensFile()));
                assertThat(ids(TokensJson.read(dir.tokensFile())))
                        .isEqualTo(new HashSet<>(sim.universe().openTokenIds()));
                assertThat(Files.readString(log)).containsPattern("HTTP 429.*\\(Retry-After: waiting [1-6]000 ms\\)");
                process.destroy();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                List<JsonNode> lines = new DataDirReader(dir).records(StreamName.GAMMA_MARKETS);
                assertThat(lines)
                        .anySatisfy(l -> assertThat(l.path("status").asInt()).isEqualTo(429));
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                Files.deleteIfExists(log);
            }
        }
    }

    /**
     * Issue 13 "honest health": readiness is logged once when it goes DOWN (naming the failing check and why) and
     * once when it comes back UP, not at every probe. Gamma answers 500 until the test clears the fault; readiness is
     * probed 20 times while DOWN and 10 times once UP.
     */
    @Test
    void readinessIsLoggedOncePerChangeNotAtEveryProbe() throws Exception {
        try (PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
                        .markets(100)
                        .seed(9)
                        .unknownVersionShare(0)
                        .eventsPerSecondPerAsset(0.1)
                        .idleEventsPerSecondPerAsset(0)
                        .build());
                TempDataDir temp = TempDataDir.create()) {
            sim.faults().apply("http", Map.of("status", "500", "count", "1000000", "scope", "gamma"));
            int port = freePort();
            Path log = log(temp);
            String ready = "http://127.0.0.1:" + port + "/q/health/ready";
            Process process = start(
                    sim,
                    temp,
                    port,
                    Map.of(
                            "DISCOVERY_INTERVAL",
                            "1s",
                            "DISCOVERY_GAMMA_MAX_RETRIES",
                            "0",
                            "DISCOVERY_GAMMA_CIRCUIT_BREAKER_DELAY_MS",
                            "200"),
                    log);
            try {
                eventually(() -> Files.readString(log).contains("discovery run #1 failed"), process, log);
                for (int i = 0; i < 20; i++) {
                    assertThat(get(ready).statusCode()).isEqualTo(503);
                    Thread.sleep(50);
                }
                sim.faults().clear();
                eventually(() -> get(ready).statusCode() == 200, process, log);
                for (int i = 0; i < 10; i++) {
                    assertThat(get(ready).statusCode()).isEqualTo(200);
                }
                process.destroy();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                PackagedService.Exit out = new PackagedService.Exit(process.exitValue(), Files.readString(log));
                assertThat(out.lines("readiness DOWN"))
                        .as(out.output())
                        .singleElement()
                        .asString()
                        .contains("INFO", "readiness DOWN (starting): discovery-run{", "error=");
                assertThat(out.lines("readiness UP"))
                        .as(out.output())
                        .singleElement()
                        .asString()
                        .contains("INFO", "readiness UP after ");
                assertThat(out.output()).doesNotContain("SRHCK01001");
                out.lines("readiness ").forEach(l -> System.out.println("[DiscoveryProcessIT] " + l));
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                Files.deleteIfExists(log);
            }
        }
    }

    /** Issue 13 item 4: a data dir it cannot write ends the service with one FATAL line naming it, and exit code 73. */
    @Test
    void aDataDirItCannotWriteEndsTheServiceWithOneFatalLineAndExitCode73() throws Exception {
        Path base = Files.createTempDirectory("discovery-exit-");
        try {
            Path data = PackagedService.unwritableDataDir(base);
            PackagedService.Exit r = PackagedService.runToExit(
                    Map.of(
                            "DATA_DIR",
                            data.toString(),
                            "QUARKUS_REST_CLIENT_GAMMA_API_URL",
                            "http://127.0.0.1:9",
                            "DISCOVERY_INSTANCE",
                            "it"),
                    base.resolve("stdout.log"));
            assertThat(r.code()).as(r.output()).isEqualTo(73);
            assertThat(r.lines("FATAL"))
                    .as(r.output())
                    .singleElement()
                    .asString()
                    .contains(
                            "discovery-svc cannot start",
                            "data dir " + data,
                            "not writable",
                            "exiting with code 73",
                            "chown");
            assertThat(r.output()).doesNotContain("\tat ");
            assertThat(data.toFile().list()).isEmpty();
        } finally {
            try (Stream<Path> walk = Files.walk(base)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Process start(PolymarketSim sim, TempDataDir temp, int port, Map<String, String> extra, Path log)
            throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", temp.root().toString());
        env.put("QUARKUS_REST_CLIENT_GAMMA_API_URL", sim.gammaUrl());
        env.put("DISCOVERY_INSTANCE", "it");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.putAll(extra);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx256m",
                "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    private static Path log(TempDataDir temp) {
        return temp.root().resolveSibling(temp.root().getFileName() + "-stdout.log");
    }

    private static Set<String> ids(TokensFile f) {
        Set<String> out = new HashSet<>();
        for (TokenEntry t : f.tokens()) {
            out.add(t.tokenId());
        }
        return out;
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits (Eventually's default) for {@code condition} while the service runs; its output names a failure. */
    private static void eventually(java.util.concurrent.Callable<Boolean> condition, Process process, Path log) {
        Eventually.untilProcess(process, log, condition);
    }
}
