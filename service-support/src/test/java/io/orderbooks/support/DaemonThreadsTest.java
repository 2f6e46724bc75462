package io.orderbooks.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
    @Test
    void aFactoryMakesNumberedDaemonThreadsThatItDoesNotStart() {
        ThreadFactory f = DaemonThreads.factory("offload-transfer");
        Thread a = f.newThread(() -> {});
        Thread b = f.newThread(() -> {});
        assertThat(a.getName()).isEqualTo("offload-transfer-1");
        assertThat(b.getName()).isEqualTo("offload-transfer-2");
        assertThat(a.isDaemon()).isTrue();
        assertThat(b.isDaemon()).isTrue();
        assertThat(a.getState()).isEqualTo(Thread.State.NEW);
    }

    @Test
    void oneThreadKeepsItsExactName() {
        Thread t = DaemonThreads.thread("snapshot-rounds", () -> {});
        assertThat(t.getName()).isEqualTo("snapshot-rounds");
        assertThat(t.isDaemon()).isTrue();
    }
}
