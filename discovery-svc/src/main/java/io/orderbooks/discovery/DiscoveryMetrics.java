package io.orderbooks.discovery;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.orderbooks.shared.manifests.Protocol;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The {@code discovery.*} meters (docs/DISCOVERY.md "Observability"), registered at start so each shows from 0. */
final class DiscoveryMetrics {
    /** Distinct {@code version} tags of {@code discovery.markets} for the life of the process; later ones are {@code other}. */
    private static final int MAX_VERSION_GAUGES = 32;

    private final MeterRegistry registry;
    private final Timer duration;
    /** {@code discovery.markets{version}}: markets seen per version by the last run whose walk completed. */
    private final Map<String, AtomicLong> marketsByVersion = new ConcurrentHashMap<>();

    DiscoveryMetrics(MeterRegistry registry, CurrentTokens current) {
        this.registry = registry;
        this.duration = Timer.builder("discovery.run.duration")
                .description("Duration of a discovery run")
                .register(registry);
        registry.gauge("discovery.tokens", current, CurrentTokens::tokens);
        for (RunReport.Outcome o : RunReport.Outcome.values()) {
            registry.counter("discovery.runs", "result", o.tag());
        }
        for (Rejection r : Rejection.values()) {
            registry.counter("discovery.rejected", "reason", r.tag());
        }
        for (Protocol p : Protocol.values()) {
            registry.gauge(
                    "discovery.tokens.by.protocol",
                    Tags.of("protocol", p.wire()),
                    current,
                    c -> c.byProtocol().getOrDefault(p, 0L));
            versionGauge(p.wire());
        }
        versionGauge(MarketVersion.MISSING);
    }

    void recordRun(RunReport report) {
        if (report.walkCompleted()) {
            updateVersionGauges(report.marketsByVersion());
        }
        registry.counter("discovery.runs", "result", report.outcome().tag()).increment();
        report.rejected()
                .forEach((reason, n) ->
                        registry.counter("discovery.rejected", "reason", reason).increment(n));
        report.filtered()
                .forEach((reason, n) ->
                        registry.counter("discovery.filtered", "reason", reason).increment(n));
        registry.counter("discovery.pages").increment(report.pages());
        duration.record(Duration.ofMillis(report.durationMs()));
    }

    /**
     * Sets {@code discovery.markets{version}} to the counts of a completed walk (versions not seen go to 0). Version
     * labels come from upstream data: past {@link #MAX_VERSION_GAUGES} distinct ones they are counted as {@code other}.
     */
    private void updateVersionGauges(Map<String, Integer> byVersion) {
        Map<String, Long> folded = new HashMap<>();
        byVersion.forEach((label, n) -> folded.merge(
                marketsByVersion.containsKey(label) || marketsByVersion.size() < MAX_VERSION_GAUGES - 1
                        ? label
                        : RunTally.OTHER,
                (long) n,
                Long::sum));
        marketsByVersion.forEach((label, gauge) -> gauge.set(folded.getOrDefault(label, 0L)));
        folded.forEach((label, n) -> versionGauge(label).set(n));
    }

    private AtomicLong versionGauge(String label) {
        return marketsByVersion.computeIfAbsent(
                label, l -> registry.gauge("discovery.markets", Tags.of("version", l), new AtomicLong()));
    }
}
