package io.orderbooks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.InvalidMark;
import io.orderbooks.shared.manifests.Marks;
import io.orderbooks.shared.manifests.Protocol;
import io.orderbooks.shared.manifests.TokenEntry;
import io.orderbooks.shared.manifests.TokensFile;
import io.orderbooks.shared.manifests.TokensJson;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.TempDataDir;
import io.orderbooks.sim.MarketDef;
import io.orderbooks.sim.MarketVersion;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import io.orderbooks.sim.SimMarket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Section 9 on data written by the real collector (its packaged jar) from the simulator: every hash the feed carries
 * and every REST book agree with the book replay's engine rebuilds, per hour, in the text and the JSON; then one
 * {@code price_changes[]} size changed in the recording is a hash disagreement the report shows.
 */
class ReportBookChecksIT {
    private static final Path COLLECTOR_JAR = Path.of("../collector-svc/target/quarkus-app/quarkus-run.jar");

    record Run(int code, String out, JsonNode json) {}

    @Test
    void hashAndRestAgreementPerHourAndAPlantedDisagreementShown() throws Exception {
        assertThat(COLLECTOR_JAR).as("collector-svc is packaged before report").exists();
        PolymarketSim sim = PolymarketSim.start(SimConfig.builder()
                .seed(7)
                .markets(6)
                .closedShare(0)
                .noOrderBookShare(0)
                .eventsPerSecondPerAsset(4)
                .eventLoops(1)
                .v2Share(0.5)
                .build());
        Process collector = null;
        try (TempDataDir temp = TempDataDir.create()) {
            Path root = temp.root();
            List<TokenEntry> entries = new ArrayList<>();
            for (SimMarket m : sim.universe().markets()) {
                MarketDef d = m.def();
                for (int i = 0; i < d.tokenIds().size(); i++) {
                    entries.add(new TokenEntry(
                            d.tokenIds().get(i),
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
                }
            }
            TokensJson.publish(temp.dataDir(), TokensFile.of(Instant.now(), "it", "test", null, entries));
            collector = startCollector(sim, root);
            await(
                    "two REST rounds and 800 frames",
                    Duration.ofSeconds(90),
                    () -> sim.oracle().restBooksServed() >= 2L * entries.size()
                            && sim.oracle().totalFrames() >= 800);
            // Settled markets stop moving, so the collector has every change before it stops.
            for (SimMarket m : sim.universe().markets()) {
                sim.universe().close(m.id());
            }
            Thread.sleep(1500);
            collector.destroy();
            assertThat(collector.waitFor(60, TimeUnit.SECONDS)).isTrue();

            Run clean = report(root);
            JsonNode checks = clean.json().get("book_checks");
            System.out.println(clean.out());
            assertThat(checks.get("run").asBoolean()).isTrue();
            assertThat(checks.at("/hash/checked").asLong()).isGreaterThan(100);
            assertThat(checks.at("/rest/checked").asLong()).isGreaterThan(0);
            assertThat(checks.at("/hash/agreed").asLong()
                            + checks.at("/hash/disagreed").asLong())
                    .isEqualTo(checks.at("/hash/checked").asLong());
            // The simulator's stream: the goal holds (a disagreement here is a finding, printed above)
            assertThat(checks.at("/hash/agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
            assertThat(checks.at("/rest/agreement").asDouble()).isGreaterThanOrEqualTo(0.999);
            long hourSum = 0;
            for (JsonNode h : checks.get("hours")) {
                hourSum += h.at("/hash/checked").asLong();
            }
            assertThat(hourSum)
                    .as("the hours add up to the total")
                    .isEqualTo(checks.at("/hash/checked").asLong());
            assertThat(clean.out())
                    .contains("9. Rebuilt books checked")
                    .contains("hash agreement       "
                            + checks.at("/hash/agreed").asLong() + " of "
                            + checks.at("/hash/checked").asLong());

            // An operator marks the busiest hour of ws_market invalid: the hour is not used (as replay leaves it out),
            // the rest can only lose checks (books unknown until the next full book); withdrawn, every figure is back.
            JsonNode busiest = checks.get("hours").get(0);
            for (JsonNode h : checks.get("hours")) {
                if (h.at("/hash/checked").asLong() > busiest.at("/hash/checked").asLong()) {
                    busiest = h;
                }
            }
            Instant hour = Instant.parse(busiest.get("hour").asText());
            InvalidMark mark = InvalidMark.forHours(
                    StreamName.WS_MARKET,
                    null,
                    hour,
                    hour.plusSeconds(3600),
                    "IT: a proxy rewrote frames",
                    "it",
                    Instant.now());
            Marks.write(temp.dataDir(), mark);
            Run marked = report(root);
            JsonNode mc = marked.json().get("book_checks");
            JsonNode markedHour = null;
            for (JsonNode h : mc.get("hours")) {
                if (h.get("hour").asText().equals(busiest.get("hour").asText())) {
                    markedHour = h;
                }
            }
            assertThat(markedHour).as("the marked hour keeps its row").isNotNull();
            assertThat(markedHour.get("marked_invalid").asBoolean()).isTrue();
            assertThat(markedHour.at("/invalid_marks/0/id").asText()).isEqualTo(mark.id());
            assertThat(markedHour.at("/hash/checked").asLong()).isZero();
            assertThat(markedHour.at("/rest/checked").asLong()).isZero();
            assertThat(mc.at("/hash/checked").asLong())
                    .isLessThanOrEqualTo(checks.at("/hash/checked").asLong()
                            - busiest.at("/hash/checked").asLong());
            assertThat(marked.out()).contains("MARKED INVALID, not used", "10. Invalid marks", mark.id());
            assertThat(marked.code()).as(marked.out()).isZero();
            Marks.write(temp.dataDir(), InvalidMark.revocationOf(mark, "IT: it did not", "it", Instant.now()));
            Run revoked = report(root);
            assertThat(revoked.json().at("/book_checks/hash")).isEqualTo(checks.get("hash"));
            assertThat(revoked.json().at("/book_checks/rest")).isEqualTo(checks.get("rest"));
            assertThat(revoked.json().at("/invalid_marks/revoked/0/id").asText())
                    .isEqualTo(mark.id());

            // Plant a disagreement: one size of a price change late in the recording (its book is known by then).
            long before = checks.at("/hash/disagreed").asLong();
            plantWrongSize(root);
            Run planted = report(root);
            JsonNode p = planted.json().get("book_checks");
            assertThat(p.at("/hash/disagreed").asLong()).isEqualTo(before + 1);
            assertThat(planted.out()).contains("hash agreement").contains((before + 1) + " disagreed");
            assertThat(planted.code())
                    .as("the edited file no longer matches its manifest")
                    .isEqualTo(1);
        } finally {
            if (collector != null) {
                collector.destroyForcibly();
            }
            sim.close();
        }
    }

    private static Run report(Path root) throws IOException {
        Path json = root.resolve("report.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ReportCommand.run(
                new String[] {"--data-dir", root.toString(), "--json", json.toString()},
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(OutputStream.nullOutputStream()),
                Clock.systemUTC());
        return new Run(code, out.toString(StandardCharsets.UTF_8), Json.MAPPER.readTree(json.toFile()));
    }

    /** Rewrites the websocket file with the first size of one hashed price change, two thirds in, changed. */
    private static void plantWrongSize(Path root) throws IOException {
        Path ws;
        try (Stream<Path> s = Files.walk(root.resolve("raw/ws_market"))) {
            ws = s.filter(f -> f.toString().endsWith(".jsonl.gz")).findFirst().orElseThrow();
        }
        List<String> lines;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(ws))) {
            lines = new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
        for (int i = lines.size() * 2 / 3; i < lines.size(); i++) {
            String l = lines.get(i);
            int at = l.indexOf("\"size\":\"");
            if (l.contains("\"price_changes\"") && l.contains("\"hash\"") && at > 0) {
                int v = at + "\"size\":\"".length();
                lines.set(i, l.substring(0, v) + "9" + l.substring(v)); // 12 -> 912: another book, another hash
                try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(ws))) {
                    for (String x : lines) {
                        o.write((x + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
                return;
            }
        }
        throw new AssertionError("no hashed price change in the last third of " + ws);
    }

    /** collector-svc's jar in its own JVM (as replay's ReplayCollectorIT starts it). */
    private static Process startCollector(PolymarketSim sim, Path dataDir) throws IOException {
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
        env.put("COLLECTOR_TOKENS_POLL_INTERVAL", "200ms");
        env.put("COLLECTOR_FILES_FLUSH_INTERVAL", "200ms");
        env.put("COLLECTOR_SNAPSHOT_MAX_REQUESTS_PER_SECOND", "20");
        env.put("COLLECTOR_DISK_MIN_FREE", "1");
        pb.redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("collector-process.log").toFile());
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
