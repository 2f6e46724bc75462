package io.orderbooks.discovery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensHistory;
import io.orderbooks.shared.manifests.TokensJson;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.Eventually;
import io.orderbooks.sim.MarketDef;
import io.orderbooks.sim.MarketStatus;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimMarket;
import io.orderbooks.sim.app.SimApp;
import io.orderbooks.support.testing.MappingKeys;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * discovery-svc end to end against polymarket-sim (3 000 markets, in-process, loopback): the scheduled and direct
 * runs, the keyset walk, pairing, the raw stream, faults switched at run time, the shrink guard, health and metrics.
 * One Quarkus application serves every test; each test starts from a good published list.
 */
@QuarkusTest
@WithTestResource(SimResource.class)
class DiscoveryTest {
    @InjectSim
    PolymarketSim sim;

    @Inject
    DiscoveryService service;

    @Inject
    DiscoveryScheduler trigger;

    @ConfigProperty(name = "data.dir")
    String dataDirSetting;

    private final List<String> closedByTest = new ArrayList<>();
    /** The simulator is as the last successful run saw it (JUnit makes a test instance per test, hence static). */
    private static boolean simUnchangedSinceLastGoodRun;

    @BeforeEach
    void startFromAGoodList() {
        // The start-up run comes from the scheduler on its own thread; let it end so it cannot meet a test's faults.
        eventually(() -> trigger.completed() >= 1);
        sim.faults().clear();
        RunReport last = service.lastReport();
        if (simUnchangedSinceLastGoodRun && last != null && last.succeeded()) {
            return;
        }
        // A test before may have left the circuit breaker open (300 ms in tests): a few tries get past it.
        RunReport r = Eventually.await("a successful run")
                .pollInterval(Duration.ofMillis(200))
                .until(service::runOnce, run -> run != null && run.succeeded());
        assertThat(r.succeeded()).as(r.statusLine()).isTrue();
    }

    @AfterEach
    void restoreTheSimulator() {
        simUnchangedSinceLastGoodRun = closedByTest.isEmpty();
        sim.faults().clear();
        closedByTest.forEach(id -> sim.universe().reopen(id));
        closedByTest.clear();
    }

    @Test
    void theServiceRunsOnceAtStartOnItsOwn() {
        // The scheduled trigger ran without any test calling it (the next one is due in an hour).
        assertThat(trigger.completed()).isEqualTo(1);
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void fullKeysetWalkPublishesEveryTradeableTokenOfThousandsOfMarkets() throws IOException {
        RunReport r = service.runOnce();
        long listed = sim.universe().markets().stream()
                .filter(m -> m.status() == MarketStatus.OPEN)
                .count();
        assertThat(r.succeeded()).as(r.statusLine()).isTrue();
        assertThat(r.marketsSeen()).isEqualTo((int) listed).isGreaterThan(2000);
        assertThat(r.pages()).isEqualTo((int) (listed / 100 + 1));
        assertThat(r.rejected()).as("only the simulator's unknown-version rows").containsOnlyKeys("unknown_version");
        assertThat(r.filtered()).containsOnlyKeys("not_tradeable");

        TokensFile published = tokens();
        assertThat(ids(published.tokens()))
                .isEqualTo(new HashSet<>(sim.universe().openTokenIds()));
        assertThat(published.tokens()).hasSize(r.tokens());
        assertThat(published.markets()).isEqualTo(r.marketsKept());
        assertThat(published.source()).isEqualTo(sim.gammaUrl() + "/markets/keyset");
        assertThat(published.filters().get("closed").asBoolean()).isFalse();
        // Deterministic order: by market id (numerically), then outcome index.
        assertThat(published.tokens()).isSortedAccordingTo(TokenLists.ORDER);
        try (Stream<Path> history = Files.walk(dataDir().root().resolve("discovery/history"))) {
            assertThat(history.filter(p -> p.toString().endsWith(".json.gz")).count())
                    .isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void idsAreChosenByVersionAndEveryMarketIsCountedAsTheSimulatorListsIt() throws Exception {
        RunReport r = service.runOnce();
        assertThat(r.succeeded()).as(r.statusLine()).isTrue();

        // What a correct client must do, from the simulator's admin listing: for each open market its version and
        // token_ids (the ids of its version's field; empty for an unknown or missing version).
        Map<String, Integer> versions = new HashMap<>(Map.of("v1", 0, "v2", 0, "missing", 0));
        Map<String, Protocol> expected = new HashMap<>();
        Set<String> mustNotAppear = new HashSet<>();
        for (JsonNode m : adminMarkets("OPEN")) {
            String version =
                    m.get("version").isNull() ? "missing" : m.get("version").asText();
            versions.merge(version, 1, Integer::sum);
            Protocol protocol = Protocol.fromWire(version).orElse(null);
            if (protocol != null && m.get("enable_order_book").asBoolean()) {
                m.get("token_ids").forEach(id -> expected.put(id.asText(), protocol));
            }
            if (protocol == null) {
                m.get("clob_token_ids").forEach(id -> mustNotAppear.add(id.asText()));
                m.get("position_ids").forEach(id -> mustNotAppear.add(id.asText()));
            } else if (protocol == Protocol.V1) {
                m.get("position_ids").forEach(id -> mustNotAppear.add(id.asText())); // book-less on a v1 row
            }
        }
        assertThat(versions.get("v2")).as("V2 markets in the simulator").isGreaterThan(300);
        assertThat(versions.get("missing") + versions.getOrDefault("v3", 0))
                .as("unknown-version markets")
                .isGreaterThan(20);
        assertThat(mustNotAppear).hasSizeGreaterThan(1000);

        // tokens.json holds exactly every tradeable v1 and V2 token, with the right ids and protocol, and nothing else
        Map<String, Protocol> published = new HashMap<>();
        tokens().tokens().forEach(t -> published.put(t.tokenId(), t.protocol()));
        assertThat(published).isEqualTo(expected);
        assertThat(published.keySet()).doesNotContainAnyElementsOf(mustNotAppear);
        assertThat(tokens().tokens())
                .filteredOn(t -> t.protocol() == Protocol.V2)
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t.conditionId()).hasSize(2 + 62));

        // counted: markets by version (status line, report, gauge, manifest), tokens by protocol, rejections
        assertThat(r.marketsByVersion()).isEqualTo(versions);
        long v1Tokens = expected.values().stream().filter(p -> p == Protocol.V1).count();
        long v2Tokens = expected.size() - v1Tokens;
        assertThat(r.tokensByProtocol()).isEqualTo(Map.of("v1", (int) v1Tokens, "v2", (int) v2Tokens));
        assertThat(r.statusLine())
                .contains(" markets_by_version={v1=" + versions.get("v1") + ",v2=" + versions.get("v2") + ",missing="
                        + versions.get("missing"))
                .contains(" tokens_by_protocol={v1=" + v1Tokens + ",v2=" + v2Tokens + "}");
        // Unknown-version rows that are tradeable by their flags are rejected as unknown_version, the others are
        // not_tradeable: both derived from the pages Gamma sent in this run.
        eventually(() -> lastRunPages().size() == r.pages());
        int tradeableUnknown = 0;
        int notTradeable = 0;
        for (JsonNode page : lastRunPages()) {
            for (JsonNode m : page.get("page").get("markets")) {
                boolean tradeable = m.path("enableOrderBook").asBoolean()
                        && m.path("acceptingOrders").asBoolean()
                        && m.path("active").asBoolean()
                        && !m.path("closed").asBoolean(true);
                boolean known = m.path("version").isTextual()
                        && Protocol.fromWire(m.get("version").asText()).isPresent();
                tradeableUnknown += tradeable && !known ? 1 : 0;
                notTradeable += tradeable ? 0 : 1;
            }
        }
        assertThat(tradeableUnknown)
                .as("unknown-version rows that every flag calls tradeable")
                .isGreaterThan(20);
        assertThat(r.rejected().getOrDefault("unknown_version", 0)).isEqualTo(tradeableUnknown);
        assertThat(r.filtered().get("not_tradeable")).isEqualTo(notTradeable);
        given().get("/q/metrics")
                .then()
                .body(containsString("discovery_markets{version=\"v1\"} " + versions.get("v1") + ".0"))
                .body(containsString("discovery_markets{version=\"v2\"} " + versions.get("v2") + ".0"))
                .body(containsString("discovery_markets{version=\"missing\"} " + versions.get("missing") + ".0"))
                .body(containsString("discovery_tokens_by_protocol{protocol=\"v2\"} " + v2Tokens + ".0"));
        JsonNode histograms = runManifest().get("histograms");
        versions.forEach(
                (v, n) -> assertThat(histograms.get("markets_by_version").get(v).asInt())
                        .as(v)
                        .isEqualTo(n));
        assertThat(histograms.get("tokens_by_protocol").get("v2").asLong()).isEqualTo(v2Tokens);
    }

    @Test
    void outcomesPairWithTokenIdsByIndexWhateverTheirOrder() throws IOException {
        Map<String, TokenEntry> byId = new HashMap<>();
        tokens().tokens().forEach(t -> byId.put(t.tokenId(), t));
        int noYes = 0;
        for (SimMarket m : sim.universe().markets()) {
            if (!m.hasBook()) {
                assertThat(m.def().tokenIds()).noneMatch(byId::containsKey);
                continue;
            }
            MarketDef d = m.def();
            noYes += d.outcomes().equals(List.of("No", "Yes")) ? 1 : 0;
            for (int i = 0; i < d.tokenIds().size(); i++) {
                TokenEntry t = byId.get(d.tokenIds().get(i));
                assertThat(t.outcome()).isEqualTo(d.outcomes().get(i));
                assertThat(t.outcomeIndex()).isEqualTo(i);
                assertThat(t.conditionId()).isEqualTo(d.conditionId());
                assertThat(t.marketId()).isEqualTo(d.id());
                assertThat(t.slug()).isEqualTo(d.slug());
                assertThat(t.eventSlug()).isEqualTo(d.eventSlug());
                assertThat(t.negRisk()).isEqualTo(d.negRisk());
                assertThat(t.tickSize()).isEqualTo(d.tickSize());
                assertThat(t.minOrderSize()).isEqualTo(Integer.toString(d.orderMinSize()));
                assertThat(t.endDate()).isEqualTo(d.endDate().toString());
            }
        }
        assertThat(noYes).as("markets listed as [\"No\",\"Yes\"]").isGreaterThan(100);
    }

    @Test
    void everyRawPageIsRecordedVerbatimWithTheFiltersResentOnEveryPage() {
        RunReport r = service.runOnce();
        eventually(() -> lastRunPages().size() == r.pages());
        List<JsonNode> pages = lastRunPages();
        int markets = 0;
        for (int i = 0; i < pages.size(); i++) {
            JsonNode line = pages.get(i);
            assertThat(line.get("src").asText()).isEqualTo("gamma");
            assertThat(line.get("status").asInt()).isEqualTo(200);
            assertThat(line.get("req").asText()).startsWith("GET /markets/keyset?closed=false&limit=100");
            assertThat(line.get("req").asText().contains("after_cursor=")).isEqualTo(i > 0);
            markets += line.get("page").get("markets").size();
        }
        assertThat(markets).isEqualTo(r.marketsSeen());
        assertThat(pages.getLast().get("page").has("next_cursor")).isFalse();
    }

    @Test
    void aServerThatIgnoresTheCursorCannotTrapTheWalk() throws IOException {
        byte[] before = tokensBytes();
        // Gamma silently ignores cursor= and answers page 1 again (Polymarket/agents#227): the walk notices.
        RunReport r = service.run(new KeysetWalker.Settings("cursor", 100, 2000, 25));
        assertThat(r.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(r.reason()).contains("Gamma is not following the cursor");
        assertThat(r.pages()).isEqualTo(2);
        assertThat(tokensBytes()).isEqualTo(before);

        RunReport bounded = service.run(new KeysetWalker.Settings("after_cursor", 100, 5, 25));
        assertThat(bounded.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(bounded.reason()).contains("more than discovery.max-pages=5");
        assertThat(bounded.pages()).isEqualTo(5);
        assertThat(tokensBytes()).isEqualTo(before);
        // One failed run does not make the service unready: the last success is recent.
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void theSimulatorsTypeChangeIsAbsorbedIdListsInEitherFormAndATickAsAString() throws IOException {
        byte[] before = tokensBytes();
        // clobTokenIds arrives as a real array, orderPriceMinTickSize as a string: both are read (docs/DISCOVERY.md);
        // unusable types are rejected per market (MarketParserTest).
        sim.faults().apply("type-change", Map.of("enabled", "true"));
        RunReport r = service.runOnce();
        assertThat(r.outcome()).as(r.statusLine()).isEqualTo(RunReport.Outcome.UNCHANGED);
        assertThat(r.rejected()).doesNotContainKeys("wrong_type", "bad_ids", "missing_ids");
        assertThat(tokensBytes()).isEqualTo(before);
        sim.faults().apply("type-change", Map.of("enabled", "false"));
    }

    @Test
    void unknownNewFieldsAreIgnored() throws IOException {
        byte[] before = tokensBytes();
        sim.faults().apply("unknown-field", Map.of("enabled", "true"));
        RunReport r = service.runOnce();
        assertThat(r.outcome()).as(r.statusLine()).isEqualTo(RunReport.Outcome.UNCHANGED);
        assertThat(r.rejected())
                .as("nothing but the simulator's unknown-version rows")
                .containsOnlyKeys("unknown_version");
        assertThat(tokensBytes()).isEqualTo(before);
    }

    @Test
    void malformedPagesAreRecordedAsErrorsAndFetchedAgain() {
        int errorsBefore = errorLines("unreadable body").size();
        sim.faults().apply("malformed", Map.of("count", "2", "kind", "truncated", "target", "rest"));
        RunReport r = service.runOnce();
        assertThat(r.outcome()).as(r.statusLine()).isEqualTo(RunReport.Outcome.UNCHANGED);
        sim.faults().apply("malformed", Map.of("count", "1", "kind", "garbage", "target", "rest"));
        assertThat(service.runOnce().outcome()).isEqualTo(RunReport.Outcome.UNCHANGED);
        eventually(() -> errorLines("unreadable body").size() == errorsBefore + 3);
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedWithBackoff() {
        sim.faults().apply("http", Map.of("status", "429", "count", "2", "scope", "gamma"));
        assertThat(service.runOnce().outcome()).isEqualTo(RunReport.Outcome.UNCHANGED);
        sim.faults().apply("http", Map.of("status", "503", "count", "3", "scope", "gamma"));
        assertThat(service.runOnce().outcome()).isEqualTo(RunReport.Outcome.UNCHANGED);
        sim.faults().apply("http", Map.of("status", "502", "count", "1", "scope", "gamma"));
        assertThat(service.runOnce().outcome()).isEqualTo(RunReport.Outcome.UNCHANGED);
        eventually(() -> errorLines("HTTP 429").size() >= 2
                && errorLines("HTTP 503").size() >= 3
                && errorLines("HTTP 502").size() >= 1);
        // Each 429 is also an in-band rate_limited event (docs/DATA-FORMAT.md §2, "Events"); other failures are not.
        List<JsonNode> limited = RawStream.gammaLines(dataDir()).stream()
                .filter(l -> "rate_limited".equals(l.path("event").asText()))
                .toList();
        assertThat(limited).hasSizeGreaterThanOrEqualTo(2).allSatisfy(l -> {
            assertThat(l.get("src").asText()).isEqualTo("gamma");
            assertThat(l.get("endpoint").asText()).isEqualTo("GET /markets/keyset");
            assertThat(l.get("status").asInt()).isEqualTo(429);
            assertThat(l.get("req").asText()).isNotBlank();
        });
        assertThat(limited).hasSameSizeAs(errorLines("HTTP 429"));
    }

    @Test
    void timeoutsAreRetried() {
        long timeouts = errorLines("timeout after").size();
        // Each of the next 2 answers comes later than discovery.gamma.timeout-ms (1.5 s in tests).
        sim.faults().apply("slow", Map.of("ms", "2500", "count", "2", "scope", "gamma"));
        RunReport r = service.runOnce();
        assertThat(r.outcome()).as(r.statusLine()).isEqualTo(RunReport.Outcome.UNCHANGED);
        eventually(() -> errorLines("timeout after").size() >= timeouts + 2);
    }

    /**
     * Runs once with a fault armed and returns the {@code request_failed} lines the run wrote, after waiting until
     * the page of the request that failed is in the stream (a retry got past the failure).
     */
    private List<JsonNode> requestFailedLinesOfARunWith(String fault, Map<String, String> params) {
        int before = RawStream.gammaLines(dataDir()).size();
        sim.faults().apply(fault, params);
        RunReport r = service.runOnce();
        assertThat(r.outcome()).as(r.statusLine()).isEqualTo(RunReport.Outcome.UNCHANGED);
        eventually(() -> RawStream.gammaLines(dataDir()).size() >= before + r.pages());
        List<JsonNode> lines = RawStream.gammaLines(dataDir());
        List<JsonNode> failed = lines.subList(before, lines.size()).stream()
                .filter(l -> "request_failed".equals(l.path("event").asText()))
                .toList();
        assertThat(failed)
                .as("one request_failed line for the one failed attempt")
                .hasSize(1);
        JsonNode f = failed.get(0);
        assertThat(f.get("src").asText()).isEqualTo("gamma");
        assertThat(f.get("endpoint").asText()).isEqualTo("GET /markets/keyset");
        assertThat(f.get("attempt").asInt()).isEqualTo(1);
        assertThat(f.get("latency_ms").asLong()).isNotNegative();
        // Then the same request's page, from the retry.
        List<JsonNode> after = lines.subList(lines.indexOf(f) + 1, lines.size());
        assertThat(after)
                .anyMatch(l -> l.has("page")
                        && l.get("req").asText().equals(f.get("req").asText()));
        assertThat(lines.subList(before, lines.size()))
                .as("no rate_limited line: this was no 429")
                .noneMatch(l -> "rate_limited".equals(l.path("event").asText()));
        return failed;
    }

    @Test
    void aServerErrorThatARetryGotPastIsOneRequestFailedLineWithItsStatus() {
        JsonNode f = requestFailedLinesOfARunWith("http", Map.of("status", "503", "count", "1", "scope", "gamma"))
                .get(0);
        assertThat(f.get("status").asInt()).isEqualTo(503);
        assertThat(f.get("reason").asText()).startsWith("HTTP 503: ");
    }

    @Test
    void aTimedOutAttemptIsOneRequestFailedLineWithATimeoutReason() {
        // Longer than discovery.gamma.timeout-ms (1.5 s in tests).
        JsonNode f = requestFailedLinesOfARunWith("slow", Map.of("ms", "2500", "count", "1", "scope", "gamma"))
                .get(0);
        assertThat(f.get("status").asInt()).isZero();
        assertThat(f.get("reason").asText()).startsWith("timeout after 1500 ms");
    }

    @Test
    void anUnreadable200IsOneRequestFailedLineWithStatus200() {
        JsonNode f = requestFailedLinesOfARunWith(
                        "malformed", Map.of("count", "1", "kind", "garbage", "target", "rest"))
                .get(0);
        assertThat(f.get("status").asInt()).isEqualTo(200);
        assertThat(f.get("reason").asText()).startsWith("unreadable body");
    }

    @Test
    void aRunThatFailsPartWayPublishesNothingAndKeepsTheLastList() throws IOException {
        byte[] before = tokensBytes();
        sim.faults().apply("http", Map.of("status", "500", "count", "1000", "scope", "gamma"));
        RunReport r = service.runOnce();
        assertThat(r.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(tokensBytes()).isEqualTo(before);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aClientErrorIsNotRetried() throws IOException {
        byte[] before = tokensBytes();
        sim.faults().apply("http", Map.of("status", "403", "count", "5", "scope", "gamma"));
        RunReport r = service.runOnce();
        assertThat(r.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(r.reason()).contains("HTTP 403");
        // One request, no retry: 4 of the 5 armed answers are left.
        assertThat(sim.faults().state().get("http_remaining")).isEqualTo(4);
        assertThat(tokensBytes()).isEqualTo(before);
    }

    @Test
    void aGlitchThatReturnsFewMarketsDoesNotShrinkThePublishedList() throws IOException {
        byte[] before = tokensBytes();
        List<SimMarket> open =
                sim.universe().markets().stream().filter(SimMarket::hasBook).toList();
        for (int i = 0; i < open.size() * 4 / 10; i++) {
            close(open.get(i).id());
        }
        RunReport r = service.runOnce();
        assertThat(r.outcome()).isEqualTo(RunReport.Outcome.REFUSED);
        assertThat(r.reason()).contains("more than discovery.max-shrink 30.0 %");
        assertThat(tokensBytes()).isEqualTo(before);
        given().get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("checks.find { it.name == 'discovery-run' }.data.error", containsString("publication refused"));
        given().get("/q/metrics").then().body(containsString("discovery_runs_total{result=\"refused\"}"));

        restoreTheSimulator();
        assertThat(service.runOnce().outcome()).isEqualTo(RunReport.Outcome.UNCHANGED);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void ordinaryChangesArePublishedWithWhatWasAddedAndRemoved() throws IOException {
        List<SimMarket> open =
                sim.universe().markets().stream().filter(SimMarket::hasBook).toList();
        close(open.get(1).id());
        close(open.get(2).id());
        SimMarket listed = sim.universe().addMarket();
        RunReport r = service.runOnce();
        assertThat(r.outcome()).isEqualTo(RunReport.Outcome.PUBLISHED);
        assertThat(r.added()).isEqualTo(2);
        assertThat(r.removed()).isEqualTo(4);
        assertThat(r.historyFile()).startsWith("discovery/history/");
        // Named with this instance (%test.discovery.instance=test), as its gamma_markets files are.
        assertThat(r.historyFile()).matches("discovery/history/[0-9-]{10}/tokens-[0-9]{8}T[0-9]{6}Z-test\\.json\\.gz");
        Path copy = dataDir().root().resolve(r.historyFile());
        assertThat(Files.exists(copy)).isTrue();
        // Its manifest (written after it) describes it, so offload uploads, verifies and later deletes it.
        FileManifest m = FileManifest.parse(Files.readAllBytes(TokensHistory.manifestPath(copy)));
        byte[] gz = Files.readAllBytes(copy);
        assertThat(m.file()).isEqualTo(r.historyFile());
        assertThat(m.bytes()).isEqualTo(gz.length);
        assertThat(m.sha256()).isEqualTo(Checksums.sha256Hex(gz));
        assertThat(m.md5()).isEqualTo(Checksums.md5Hex(gz));
        assertThat(m.records()).isEqualTo(r.tokens());
        assertThat(m.writer().service()).isEqualTo("discovery-svc");
        assertThat(m.writer().instance().value()).isEqualTo("test");
        assertThat(m.writer().runId())
                .isEqualTo(TokensJson.read(dataDir().tokensFile()).runId());
        assertThat(m.closedReason()).isEqualTo(TokensHistory.PUBLISHED);
        Set<String> ids = ids(tokens().tokens());
        assertThat(ids)
                .containsAll(listed.def().tokenIds())
                .doesNotContainAnyElementsOf(open.get(1).def().tokenIds());
        assertThat(TokensJson.read(dataDir().tokensFile()).runId()).startsWith("2");
    }

    @Test
    void healthAndMetricsAreExposed() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("discovery-run"))
                .body("checks.name", hasItem("data-dir"));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("discovery_runs_total{result=\"published\"}"))
                .body(containsString("discovery_runs_total{result=\"unchanged\"}"))
                .body(containsString("discovery_tokens "))
                .body(containsString("discovery_rejected_total{reason=\"lengths_differ\"}"))
                .body(containsString("discovery_rejected_total{reason=\"unknown_version\"}"))
                .body(containsString("discovery_markets{version=\"v1\"}"))
                .body(containsString("discovery_markets{version=\"v2\"}"))
                .body(containsString("discovery_markets{version=\"missing\"}"))
                .body(containsString("discovery_tokens_by_protocol{protocol=\"v1\"}"))
                .body(containsString("discovery_tokens_by_protocol{protocol=\"v2\"}"))
                .body(containsString("discovery_run_duration_seconds_count"));
    }

    @Test
    void theProcessRunHasARunManifest() throws IOException {
        Path runs = dataDir().root().resolve("runs/discovery-svc");
        try (Stream<Path> files = Files.list(runs)) {
            List<Path> manifests =
                    files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(manifests).hasSize(1);
            JsonNode m = Json.parse(Files.readAllBytes(manifests.getFirst()));
            assertThat(m.get("status").asText()).isEqualTo("running");
            assertThat(m.get("config").get("discovery.interval").asText()).isEqualTo("PT1H");
            // Every discovery.* key, derived from the mapping: an unset filter says so instead of being left out.
            for (String key : MappingKeys.of(DiscoveryConfig.class)) {
                assertThat(m.get("config").has(key)).as(key).isTrue();
            }
            assertThat(m.get("config").get("discovery.filter.max-markets").asText())
                    .isEqualTo("(unset)");
            assertThat(m.get("counters").get("runs").asLong()).isGreaterThanOrEqualTo(1);
            // the histograms of the last completed walk and of the published list (docs/DATA-FORMAT.md §6)
            RunReport last = service.lastReport();
            JsonNode h = m.get("histograms");
            long seen = 0;
            for (JsonNode n : h.get("markets_by_version")) {
                seen += n.asLong();
            }
            assertThat(seen).isEqualTo(last.marketsSeen());
            assertThat(h.get("tokens_by_protocol").get("v1").asLong()
                            + h.get("tokens_by_protocol").get("v2").asLong())
                    .isEqualTo(tokens().tokens().size());
            assertThat(h.has("rejected_by_reason")).isTrue();
        }
    }

    @Test
    void theSimulatorsOwnQuarkusAppIsNotActivatedInThisApplication() {
        // polymarket-sim is on the test classpath; its jar has no beans.xml or Jandex index, so its SimApp bean
        // (which would start a second simulator on port 8090) is not discovered.
        assertThat(Arc.container().select(SimApp.class).isResolvable()).isFalse();
        assertThat(Arc.container().select(DiscoveryService.class).isResolvable())
                .isTrue();
    }

    // --- helpers ---

    /** {@code GET /admin/markets?status=…} of the simulator: each market's version and the ids a correct client uses. */
    private List<JsonNode> adminMarkets(String status) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sim.adminUrl() + "/markets?status=" + status))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(res.statusCode()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        Json.parse(res.body()).get("markets").forEach(out::add);
        return out;
    }

    private JsonNode runManifest() throws IOException {
        try (Stream<Path> files = Files.list(dataDir().root().resolve("runs/discovery-svc"))) {
            return Json.parse(Files.readAllBytes(files.filter(p -> p.toString().endsWith(".json"))
                    .findFirst()
                    .orElseThrow()));
        }
    }

    private void close(String marketId) {
        sim.universe().close(marketId);
        closedByTest.add(marketId);
    }

    private DataDir dataDir() {
        return DataDir.of(dataDirSetting);
    }

    private TokensFile tokens() throws IOException {
        return TokensJson.read(dataDir().tokensFile());
    }

    private byte[] tokensBytes() throws IOException {
        return Files.readAllBytes(dataDir().tokensFile());
    }

    private static Set<String> ids(List<TokenEntry> tokens) {
        Set<String> out = new HashSet<>();
        tokens.forEach(t -> out.add(t.tokenId()));
        return out;
    }

    /** The page lines of the last run: from the last first page (no after_cursor) to the end. */
    private List<JsonNode> lastRunPages() {
        List<JsonNode> pages = RawStream.gammaLines(dataDir()).stream()
                .filter(l -> l.has("page"))
                .toList();
        int first = 0;
        for (int i = 0; i < pages.size(); i++) {
            if (!pages.get(i).get("req").asText().contains("after_cursor=")) {
                first = i;
            }
        }
        return pages.subList(first, pages.size());
    }

    private List<JsonNode> errorLines(String containing) {
        return RawStream.gammaLines(dataDir()).stream()
                .filter(l -> l.has("error") && l.get("error").asText().contains(containing))
                .toList();
    }

    private static void eventually(BooleanSupplier condition) {
        Eventually.until("condition", condition::getAsBoolean);
    }
}
