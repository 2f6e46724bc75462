package io.orderbooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.records.Json;
import io.orderbooks.sim.Oracle;
import io.orderbooks.sim.PolymarketSim;
import io.orderbooks.sim.SimConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Phase {@code shards}: how much of the websocket data several shards store twice. {@code n} collector jars with
 * {@code COLLECTOR_SHARD=i/n} and one {@code COLLECTOR_SHARD_KEY} run side by side over one tokens.json (every token of
 * each market, in discovery's order) against the simulator's realistic profile, as the "Feed size" phase does.
 * <p>
 * A {@code price_change} names the tokens it changes and reaches every connection subscribed to one of them
 * (cross-asset delivery, docs/COLLECTOR.md "Feed size"), so under the token key a market whose tokens fall into two
 * shards has such frames stored by both collectors; under the market key both tokens are in one shard.
 * <p>
 * <b>What counts as the same frame:</b> the same event, byte for byte. A frame is an object or an array of events,
 * and the server batches events into arrays per connection (the simulator does so for a fifth of its frames), so two
 * collectors can hold one event in differently shaped frames: frames are split into their events, and an event is
 * identified by the SHA-256 of its JSON. Two different events share it only if they are equal to the byte (each
 * carries its market, millisecond timestamp, and for a book change the resulting book's hash; the "same shard twice"
 * column bounds such coincidences, as it counts every event one collector stored twice), while a narrower key such
 * as (event_type, market, timestamp, hash) misses events without a hash and could merge two changes of one market in
 * one millisecond. Bytes are the stored JSONL line bytes before gzip, a line's bytes shared among its events by
 * their length, so the envelope ({@code recv_us}, {@code conn}, {@code seq}) is counted too. An event belongs to the
 * window when its first copy was received in it; its copies are counted wherever and whenever they were stored.
 */
final class ShardOverlap {
    /** One run: {@code shards} collectors keyed by {@code key}. */
    record Run(
            String key,
            int shards,
            int tokens,
            double seconds,
            long lines,
            long events,
            long bytes,
            long crossShardCopies,
            long crossShardBytes,
            long sameShardCopies,
            long priceChanges,
            long priceChangesNamingTwoTokens,
            Map<String, Long> copiesByType) {
        double copyShare() {
            return (double) crossShardCopies / Math.max(1, events);
        }

        double byteShare() {
            return (double) crossShardBytes / Math.max(1, bytes);
        }

        @Override
        public String toString() {
            return String.format(
                    "shards %d by %s: %,d events (%,d lines, %,d B) in %.0f s, stored by another shard too: %,d events"
                            + " (%.2f %%), %,d B (%.2f %%); same shard twice: %,d; price_change naming two tokens:"
                            + " %,d of %,d; copies by type %s",
                    shards,
                    key,
                    events,
                    lines,
                    bytes,
                    seconds,
                    crossShardCopies,
                    100 * copyShare(),
                    crossShardBytes,
                    100 * byteShare(),
                    sameShardCopies,
                    priceChangesNamingTwoTokens,
                    priceChanges,
                    copiesByType);
        }
    }

    private final Path repo;
    private final Path work;

    ShardOverlap(Path repo, Path work) {
        this.repo = repo;
        this.work = work;
    }

    Run run(int tokens, int shards, String key, int seconds) throws Exception {
        Files.createDirectories(work);
        Path data = Files.createTempDirectory(work, "shards-" + shards + "-" + key + "-");
        // The feed phase's universe and rates (docs/SIMULATOR.md, rate profile); the same seed for every run, so the
        // token and the market key see the same markets with the same activity.
        SimConfig config = Feed.universe(tokens)
                .rateProfile(SimConfig.RateProfile.REALISTIC)
                .eventsPerSecondPerAsset(0.1)
                .eventLoops(2)
                .build();
        List<Service> collectors = new ArrayList<>();
        try (PolymarketSim sim = PolymarketSim.start(config)) {
            Feed.publishTokens(sim, DataDir.of(data), tokens);
            for (int i = 0; i < shards; i++) {
                Map<String, String> env = Feed.collectorEnv(
                        sim.wsUrl(),
                        sim.clobUrl(),
                        data,
                        Duration.ofSeconds(60),
                        Map.of(
                                "COLLECTOR_INSTANCE", "shard" + i,
                                "COLLECTOR_SHARD", i + "/" + shards,
                                "COLLECTOR_SHARD_KEY", key));
                // Not pinned: nothing here is a CPU figure, and n JVMs starting on one CPU only take longer.
                collectors.add(Service.start(
                        repo,
                        "collector-svc",
                        "256m",
                        -1,
                        env,
                        data.resolveSibling(data.getFileName() + "-" + i + ".log")));
            }
            for (Service c : collectors) {
                c.awaitLive(Duration.ofSeconds(120));
            }
            EndToEnd.await(
                    "every token subscribed by one of " + shards + " collectors",
                    Duration.ofSeconds(180),
                    () -> subscribed(sim) == tokens);
            Thread.sleep(5_000); // past the subscribe snapshots: once per token, not the steady feed
            long fromUs = nowUs();
            Thread.sleep(seconds * 1000L);
            long toUs = nowUs();
            if (subscribed(sim) != tokens) {
                throw new IllegalStateException("the collectors did not hold every token through the window: "
                        + subscribed(sim) + " of " + tokens + " subscribed at its end");
            }
            for (Service c : collectors) {
                c.terminate();
            }
            return count(data, key, shards, tokens, fromUs, toUs);
        } finally {
            collectors.forEach(Service::close);
        }
    }

    /** Every stored copy of one event: by which instance, first receive time, type and bytes of a copy. */
    private static final class Copies {
        final Map<String, Integer> byInstance = new HashMap<>();
        long firstRecvUs = Long.MAX_VALUE;
        String type;
        int namedTokens;
        long bytesPerCopy;
    }

    private static Run count(Path data, String key, int shards, int tokens, long fromUs, long toUs) {
        Map<String, Copies> events = new HashMap<>();
        for (Path m : Recorded.manifests(data, "ws_market")) {
            String instance;
            try {
                instance = Json.parse(Files.readAllBytes(m))
                        .path("writer")
                        .path("instance")
                        .asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Recorded.forEachLineOf(m, line -> {
                if (!Recorded.isFrame(line) || !line.contains(",\"frame\":")) {
                    return; // the collector's own events and unparsed frames (frame_text) are no server event
                }
                long recvUs = Recorded.recvUs(line);
                JsonNode frame = Recorded.parse(line).get("frame");
                List<String> texts = new ArrayList<>();
                List<JsonNode> nodes = new ArrayList<>();
                for (JsonNode e : frame.isArray() ? frame : List.of(frame)) {
                    texts.add(e.toString());
                    nodes.add(e);
                }
                long lineBytes = line.getBytes(StandardCharsets.UTF_8).length + 1L;
                long textBytes = texts.stream().mapToLong(String::length).sum();
                for (int i = 0; i < texts.size(); i++) {
                    Copies c = events.computeIfAbsent(sha256(texts.get(i)), k -> new Copies());
                    c.byInstance.merge(instance, 1, Integer::sum);
                    c.firstRecvUs = Math.min(c.firstRecvUs, recvUs);
                    c.type = nodes.get(i).path("event_type").asText("?");
                    c.namedTokens = namedTokens(nodes.get(i));
                    c.bytesPerCopy = lineBytes * texts.get(i).length() / Math.max(1, textBytes);
                }
            });
        }
        long stored = 0;
        long bytes = 0;
        long cross = 0;
        long crossBytes = 0;
        long same = 0;
        long priceChanges = 0;
        long twoTokens = 0;
        Map<String, Long> byType = new TreeMap<>();
        for (Copies c : events.values()) {
            if (c.firstRecvUs < fromUs || c.firstRecvUs >= toUs) {
                continue;
            }
            int copies =
                    c.byInstance.values().stream().mapToInt(Integer::intValue).sum();
            stored += copies;
            bytes += copies * c.bytesPerCopy;
            int extraShards = c.byInstance.size() - 1;
            cross += extraShards;
            crossBytes += extraShards * c.bytesPerCopy;
            same += copies - c.byInstance.size();
            if (extraShards > 0) {
                byType.merge(c.type, (long) extraShards, Long::sum);
            }
            if ("price_change".equals(c.type)) {
                priceChanges++;
                twoTokens += c.namedTokens > 1 ? 1 : 0;
            }
        }
        return new Run(
                key,
                shards,
                tokens,
                (toUs - fromUs) / 1e6,
                windowLines(data, fromUs, toUs),
                stored,
                bytes,
                cross,
                crossBytes,
                same,
                priceChanges,
                twoTokens,
                byType);
    }

    private static long windowLines(Path data, long fromUs, long toUs) {
        return Recorded.count(data, "ws_market", l -> {
            if (!Recorded.isFrame(l)) {
                return false;
            }
            long us = Recorded.recvUs(l);
            return us >= fromUs && us < toUs;
        });
    }

    /** Distinct assets an event is about: the entries of a price_change, else its {@code asset_id}. */
    private static int namedTokens(JsonNode event) {
        JsonNode changes = event.path("price_changes");
        if (!changes.isArray()) {
            return event.has("asset_id") ? 1 : 0;
        }
        Set<String> assets = new HashSet<>();
        changes.forEach(c -> assets.add(c.path("asset_id").asText()));
        return assets.size();
    }

    private static String sha256(String text) {
        return Checksums.hex(Checksums.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static int subscribed(PolymarketSim sim) {
        return sim.oracle().connections().stream()
                .filter(Oracle.ConnectionRecord::open)
                .mapToInt(Oracle.ConnectionRecord::subscribedAssets)
                .sum();
    }

    private static long nowUs() {
        return System.currentTimeMillis() * 1000;
    }

    static void print(PrintStream o, List<Run> runs) {
        o.println(
                "12. Frames stored by more than one shard: n collectors i/n over one token set, simulator's realistic profile");
        o.println(
                "   an event = one server event (array frames split), identified by the SHA-256 of its JSON; bytes = JSONL line"
                        + " bytes before gzip");
        o.println(
                "   key     shards  tokens  window s  ws lines  events  stored by 2+ shards (extra copies)  share of events"
                        + "  share of bytes  same shard twice  price_change naming 2 tokens");
        for (Run r : runs) {
            o.printf(
                    "   %-6s  %6d  %6d  %8.0f  %8d  %6d  %34d  %13.2f %%  %12.2f %%  %16d  %,d of %,d (%.0f %%)%n",
                    r.key(),
                    r.shards(),
                    r.tokens(),
                    r.seconds(),
                    r.lines(),
                    r.events(),
                    r.crossShardCopies(),
                    100 * r.copyShare(),
                    100 * r.byteShare(),
                    r.sameShardCopies(),
                    r.priceChangesNamingTwoTokens(),
                    r.priceChanges(),
                    100.0 * r.priceChangesNamingTwoTokens() / Math.max(1, r.priceChanges()));
        }
    }
}
