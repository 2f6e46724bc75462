package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardTest {
    @Test
    void everyTokenFallsInExactlyOneShardAndTheSplitIsEven() {
        Random r = new Random(7);
        int n = 3;
        int[] counts = new int[n];
        for (int i = 0; i < 30_000; i++) {
            String token = new BigInteger(252, r).toString();
            int owners = 0;
            for (int s = 0; s < n; s++) {
                if (new Shard(s, n).contains(token)) {
                    owners++;
                    counts[s]++;
                }
            }
            assertThat(owners).isEqualTo(1);
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_500, 10_500);
        }
    }

    @Test
    void theAssignmentIsStableAcrossRuns() {
        // A fixed expectation: a shard must not move when the JVM, the version or the machine changes.
        String token = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
        int owner = -1;
        for (int s = 0; s < 4; s++) {
            if (new Shard(s, 4).contains(token)) {
                owner = s;
            }
        }
        byte[] h = io.orderbooks.shared.layout.Checksums.sha256().digest(token.getBytes());
        long v = new BigInteger(1, java.util.Arrays.copyOf(h, 8))
                .mod(BigInteger.valueOf(4))
                .longValue();
        assertThat(owner).isEqualTo((int) v);
    }

    @Test
    void badSpecsAreRejectedWithTheExpectedForm() {
        assertThat(Shard.parse(" 1/2 ")).isEqualTo(new Shard(1, 2));
        for (String bad : new String[] {"2/2", "-1/2", "1", "a/b", "1/0", "", "1/2/3"}) {
            assertThatThrownBy(() -> Shard.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Shard.parse(null)).hasMessageContaining("i/n");
    }
}
