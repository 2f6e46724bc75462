package io.orderbooks.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StartGateTest {
    @Test
    void aRunDueBeforeTheStartWaitsForIt() throws Exception {
        StartGate gate = new StartGate();
        CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> {
            try {
                return gate.awaitOpen(Duration.ofMinutes(2));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(run).isNotDone();
        gate.open();
        assertThat(run.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gate.isOpen()).isTrue();
    }

    @Test
    void aRefusedStartReleasesTheWaitingRunWithoutARun() throws Exception {
        StartGate gate = new StartGate();
        CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> {
            try {
                return gate.awaitOpen(Duration.ofMinutes(2));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        gate.close();
        assertThat(run.get(60, TimeUnit.SECONDS)).isFalse();
        assertThat(gate.isClosed()).isTrue();
    }

    @Test
    void aStoppedServiceIsNotOpenAndAWaitThatTimesOutSaysNo() throws Exception {
        StartGate gate = new StartGate();
        assertThat(gate.awaitOpen(Duration.ofMillis(1))).isFalse();
        gate.open();
        gate.close();
        assertThat(gate.isOpen()).isFalse();
        assertThat(gate.awaitOpen(Duration.ofMinutes(1))).isFalse();
    }
}
