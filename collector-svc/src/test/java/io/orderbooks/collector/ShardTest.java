package io.orderbooks.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
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
        assertThat(Shard.parse("1/3, 2")).isEqualTo(new Shard(1, List.of(3, 2)));
        assertThat(Shard.parse("2/2,3")).hasToString("2/2,3");
        assertThat(Shard.parse("0/1")).hasToString("0/1");
        for (String bad :
                new String[] {"2/2", "-1/2", "1", "a/b", "1/0", "", "1/2/3", "1/2,", "1/2,2", "3/2,3", "0/2,0", "1/,2"
                }) {
            assertThatThrownBy(() -> Shard.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Shard.parse(null)).hasMessageContaining("i/n");
    }

    @Test
    void aTransitionShardHoldsTheUnionOfItsShardUnderEachCount() {
        for (String token : tokens(5_000, 11)) {
            for (int i = 0; i < 4; i++) {
                boolean either =
                        (i < 4 && new Shard(i, 4).contains(token)) || (i < 3 && new Shard(i, 3).contains(token));
                assertThat(new Shard(i, List.of(4, 3)).contains(token)).isEqualTo(either);
            }
            // A count not above the index adds nothing: 2/2,3 is 2/3.
            assertThat(Shard.parse("2/2,3").contains(token)).isEqualTo(new Shard(2, 3).contains(token));
        }
    }

    @Test
    void onlyIndexZeroRecordsTheGlobalEvents() {
        assertThat(Shard.parse("0/1").recordsGlobalEvents()).isTrue();
        assertThat(Shard.parse("0/3,2").recordsGlobalEvents()).isTrue();
        assertThat(Shard.parse("1/3").recordsGlobalEvents()).isFalse();
        assertThat(Shard.parse("2/3,2").recordsGlobalEvents()).isFalse();
    }

    /**
     * Why the transition form exists: a StatefulSet rollout straight from 2 to 3 shards (pod 2 created, then pods 1
     * and 0 replaced, one at a time) passes through a state where a token belongs to no running collector.
     */
    @Test
    void aDirectRolloutFromTwoToThreeModuloShardsLeavesAHole() {
        List<Shard> midway = List.of(new Shard(0, 2), new Shard(1, 3), new Shard(2, 3));
        assertThat(tokens(5_000, 3)).anyMatch(t -> midway.stream().noneMatch(s -> s.contains(t)));
    }

    /**
     * The procedure of docs/SCALING.md, in the order a StatefulSet applies it (OrderedReady: new ordinals created in
     * order, then existing pods replaced highest ordinal first; on scale-down the removed ordinals go first): every
     * state between two pod replacements holds every token.
     */
    @Test
    void theTwoStepProcedureHoldsEveryTokenInEveryStateOfTheRollout() {
        List<String> tokens = tokens(5_000, 5);
        int[][] moves = {{1, 2}, {2, 3}, {3, 4}, {2, 5}, {3, 2}, {4, 3}, {5, 2}, {2, 1}};
        for (int[] move : moves) {
            int from = move[0];
            int to = move[1];
            List<List<Shard>> states = procedure(from, to);
            assertThat(states.getLast())
                    .as(from + "->" + to + " ends at the new count")
                    .isEqualTo(plain(to));
            for (List<Shard> state : states) {
                List<String> heldByNobody = tokens.stream()
                        .filter(t -> state.stream().noneMatch(s -> s.contains(t)))
                        .toList();
                assertThat(heldByNobody)
                        .as(from + "->" + to + ": tokens no collector holds in " + state)
                        .isEmpty();
            }
        }
    }

    private static List<Shard> plain(int n) {
        List<Shard> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Shard(i, n));
        }
        return out;
    }

    /** Every state of step 1 (counts "to,from", replicas max) and step 2 (counts "to", replicas to). */
    static List<List<Shard>> procedure(int from, int to) {
        List<List<Shard>> states = new ArrayList<>();
        List<Shard> pods = new ArrayList<>(plain(from));
        states.add(List.copyOf(pods));
        // Step 1: the transition counts; scale-up creates the new ordinals first, in order.
        for (int i = from; i < to; i++) {
            pods.add(new Shard(i, List.of(to, from)));
            states.add(List.copyOf(pods));
        }
        for (int i = from - 1; i >= 0; i--) {
            pods.set(i, new Shard(i, List.of(to, from)));
            states.add(List.copyOf(pods));
        }
        // Step 2: the new count alone; scale-down removes the highest ordinals first, then the rest are replaced.
        while (pods.size() > to) {
            pods.removeLast();
            states.add(List.copyOf(pods));
        }
        for (int i = to - 1; i >= 0; i--) {
            pods.set(i, new Shard(i, to));
            states.add(List.copyOf(pods));
        }
        return states;
    }

    private static List<String> tokens(int count, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new BigInteger(252, r).toString());
        }
        return out;
    }
}
