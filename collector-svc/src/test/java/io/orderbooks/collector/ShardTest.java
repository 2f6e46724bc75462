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
        return plain(n, ShardKey.TOKEN);
    }

    private static List<Shard> plain(int n, ShardKey key) {
        List<Shard> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Shard(i, n, key));
        }
        return out;
    }

    /** Every state of step 1 (counts "to,from", replicas max) and step 2 (counts "to", replicas to). */
    static List<List<Shard>> procedure(int from, int to) {
        return procedure(from, ShardKey.TOKEN, to, ShardKey.TOKEN);
    }

    /** The same with a key per side: keys "toKey,fromKey" in step 1 (the counts may then be equal), toKey in step 2. */
    static List<List<Shard>> procedure(int from, ShardKey fromKey, int to, ShardKey toKey) {
        List<List<Shard>> states = new ArrayList<>();
        List<Shard> pods = new ArrayList<>(plain(from, fromKey));
        states.add(List.copyOf(pods));
        List<Integer> counts = List.of(to, from);
        List<ShardKey> keys = List.of(toKey, fromKey);
        // Step 1: the transition counts; scale-up creates the new ordinals first, in order.
        for (int i = from; i < to; i++) {
            pods.add(new Shard(i, counts, keys));
            states.add(List.copyOf(pods));
        }
        for (int i = from - 1; i >= 0; i--) {
            pods.set(i, new Shard(i, counts, keys));
            states.add(List.copyOf(pods));
        }
        // Step 2: the new count alone; scale-down removes the highest ordinals first, then the rest are replaced.
        while (pods.size() > to) {
            pods.removeLast();
            states.add(List.copyOf(pods));
        }
        for (int i = to - 1; i >= 0; i--) {
            pods.set(i, new Shard(i, to, toKey));
            states.add(List.copyOf(pods));
        }
        return states;
    }

    /** A token of tokens.json as the shard sees it: its id and its market's condition id. */
    record Token(String id, String conditionId) {}

    /** {@code markets} two-outcome markets: two random token ids each, one random 32-byte condition id. */
    private static List<Token> marketTokens(int markets, long seed) {
        Random r = new Random(seed);
        List<Token> out = new ArrayList<>();
        for (int m = 0; m < markets; m++) {
            String condition = "0x" + String.format("%064x", new BigInteger(256, r));
            out.add(new Token(new BigInteger(252, r).toString(), condition));
            out.add(new Token(new BigInteger(252, r).toString(), condition));
        }
        return out;
    }

    private static int owner(List<Shard> shards, Token t) {
        List<Integer> owners = new ArrayList<>();
        for (Shard s : shards) {
            if (s.contains(t.id(), t.conditionId())) {
                owners.add(s.index());
            }
        }
        assertThat(owners).as(t + " in " + shards).hasSize(1);
        return owners.getFirst();
    }

    @Test
    void theMarketKeyPutsBothTokensOfAMarketInOneShardAndSplitsMarketsEvenly() {
        List<Token> tokens = marketTokens(15_000, 17);
        for (int n : new int[] {2, 3}) {
            List<Shard> shards = plain(n, ShardKey.MARKET);
            int[] perShard = new int[n];
            for (int i = 0; i < tokens.size(); i += 2) {
                int a = owner(shards, tokens.get(i));
                assertThat(owner(shards, tokens.get(i + 1)))
                        .as("both tokens of " + tokens.get(i).conditionId())
                        .isEqualTo(a);
                perShard[a]++;
            }
            for (int c : perShard) {
                assertThat(c).as(n + " shards").isBetween(15_000 / n * 95 / 100, 15_000 / n * 105 / 100);
            }
        }
        // The token key (the default) splits a market in (n-1)/n of the cases: what the market key is for.
        List<Shard> byToken = plain(2);
        long split = 0;
        for (int i = 0; i < tokens.size(); i += 2) {
            if (owner(byToken, tokens.get(i)) != owner(byToken, tokens.get(i + 1))) {
                split++;
            }
        }
        assertThat(split).isBetween(7_000L, 8_000L);
    }

    @Test
    void theMarketKeyIsTheConditionIdsValueNotItsSpelling() {
        // A fixed expectation, as for token ids: the hashed text is the condition id's hex digits without leading
        // zeros, lower case.
        String v2 = "0x" + "3f".repeat(31); // a 31-byte Protocol V2 id
        assertThat(Shard.marketKey(v2)).isEqualTo("3f".repeat(31));
        assertThat(Shard.marketKey("0x00" + "3F".repeat(31))).isEqualTo("3f".repeat(31));
        assertThat(Shard.marketKey(" 0X" + "3f".repeat(31) + " ")).isEqualTo("3f".repeat(31));
        assertThat(Shard.marketKey("0x" + "0".repeat(64))).isEqualTo("0");
        for (String none : new String[] {null, "", "0x", "3f3f", "0xg1", "market-1"}) {
            assertThat(Shard.marketKey(none)).as(String.valueOf(none)).isNull();
        }
        for (int i = 0; i < 4; i++) {
            Shard s = new Shard(i, 4, ShardKey.MARKET);
            assertThat(s.contains("1", "0x00" + "3F".repeat(31))).isEqualTo(s.contains("2", v2));
        }
        byte[] h = io.orderbooks.shared.layout.Checksums.sha256()
                .digest("3f".repeat(31).getBytes());
        long v = new BigInteger(1, java.util.Arrays.copyOf(h, 8))
                .mod(BigInteger.valueOf(4))
                .longValue();
        assertThat(new Shard((int) v, 4, ShardKey.MARKET).contains("12345", v2)).isTrue();
    }

    @Test
    void aTokenWithoutAUsableConditionIdFallsBackToItsTokenId() {
        for (String token : tokens(2_000, 23)) {
            for (String none : new String[] {null, "", "not-a-condition"}) {
                for (int i = 0; i < 3; i++) {
                    Shard byMarket = new Shard(i, 3, ShardKey.MARKET);
                    assertThat(byMarket.fallsBackToToken(none)).isTrue();
                    assertThat(byMarket.contains(token, none))
                            .isEqualTo(new Shard(i, 3).contains(token))
                            .isEqualTo(byMarket.contains(token));
                }
            }
        }
        assertThat(new Shard(0, 3, ShardKey.MARKET).fallsBackToToken("0x" + "a".repeat(64)))
                .isFalse();
        assertThat(new Shard(0, 3).fallsBackToToken(null))
                .as("the token key needs no market")
                .isFalse();
        assertThat(Shard.parse("0/2,2", "market,token").fallsBackToToken(null)).isTrue();
    }

    @Test
    void keySpecsAreParsedAndBadOnesRejected() {
        assertThat(Shard.parse("1/2", "market")).isEqualTo(new Shard(1, 2, ShardKey.MARKET));
        assertThat(Shard.parse("1/2", " Token ")).isEqualTo(new Shard(1, 2));
        assertThat(Shard.parse("1/3,2", "market").keys()).containsExactly(ShardKey.MARKET, ShardKey.MARKET);
        assertThat(Shard.parse("1/3,2", "market").keyText()).isEqualTo("market");
        assertThat(Shard.parse("1/2,2", "market,token")).hasToString("1/2,2");
        assertThat(Shard.parse("1/2,2", "market,token").keyText()).isEqualTo("market,token");
        assertThat(Shard.parse("0/1").keyText()).isEqualTo("token");
        String[][] bad = {
            {"1/2", ""}, {"1/2", "asset"}, {"1/2", "market,token"}, {"1/2,3", "market,token,token"},
            {"1/2,2", "market"}, {"1/2,2", "token,token"}, {"1/2", null}, {"1/2", "market,"}
        };
        for (String[] b : bad) {
            assertThatThrownBy(() -> Shard.parse(b[0], b[1]))
                    .as(b[0] + " by " + b[1])
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Shard.parse("1/2", "asset")).hasMessageContaining("token or market");
    }

    @Test
    void aTransitionAcrossKeysHoldsTheUnionOfItsShardUnderEachKey() {
        for (Token t : marketTokens(3_000, 29)) {
            for (int i = 0; i < 3; i++) {
                Shard transition = Shard.parse(i + "/3,2", "market,token");
                boolean either = new Shard(i, 3, ShardKey.MARKET).contains(t.id(), t.conditionId())
                        || (i < 2 && new Shard(i, 2).contains(t.id(), t.conditionId()));
                assertThat(transition.contains(t.id(), t.conditionId())).isEqualTo(either);
            }
            for (int i = 0; i < 2; i++) {
                Shard sameCount = Shard.parse(i + "/2,2", "market,token");
                boolean either = new Shard(i, 2, ShardKey.MARKET).contains(t.id(), t.conditionId())
                        || new Shard(i, 2).contains(t.id(), t.conditionId());
                assertThat(sameCount.contains(t.id(), t.conditionId())).isEqualTo(either);
            }
        }
    }

    /** Changing the key is a re-shard: a direct switch, one collector at a time, leaves tokens with nobody. */
    @Test
    void aDirectChangeOfKeyLeavesAHole() {
        List<Shard> midway = List.of(new Shard(0, 2), new Shard(1, 2, ShardKey.MARKET));
        assertThat(marketTokens(2_000, 31))
                .anyMatch(t -> midway.stream().noneMatch(s -> s.contains(t.id(), t.conditionId())));
    }

    /** The two-step procedure with a change of key (new key first, old key second in step 1) leaves no hole. */
    @Test
    void theTwoStepProcedureAlsoChangesTheKeyWithoutAHole() {
        List<Token> tokens = marketTokens(2_500, 37);
        int[][] moves = {{1, 1}, {2, 2}, {3, 3}, {1, 2}, {2, 3}, {3, 2}, {4, 2}, {2, 1}};
        for (int[] move : moves) {
            for (ShardKey[] keys : new ShardKey[][] {
                {ShardKey.TOKEN, ShardKey.MARKET}, {ShardKey.MARKET, ShardKey.TOKEN}, {ShardKey.MARKET, ShardKey.MARKET}
            }) {
                String what = move[0] + " by " + keys[0].text() + " -> " + move[1] + " by " + keys[1].text();
                if (move[0] == move[1] && keys[0] == keys[1]) {
                    continue;
                }
                List<List<Shard>> states = procedure(move[0], keys[0], move[1], keys[1]);
                assertThat(states.getLast()).as(what).isEqualTo(plain(move[1], keys[1]));
                for (List<Shard> state : states) {
                    assertThat(tokens)
                            .as(what + ": a token no collector holds in " + state)
                            .allMatch(t -> state.stream().anyMatch(s -> s.contains(t.id(), t.conditionId())));
                }
                List<Shard> end = states.getLast();
                tokens.forEach(t -> owner(end, t));
            }
        }
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
