package io.orderbooks.shared.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.HistoryCopyName;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.records.Json;
import io.orderbooks.shared.testing.TempDataDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokensJsonTest {
    private static final String COND = "0xa467" + "0".repeat(60);
    private final TempDataDir temp = TempDataDir.create();
    private final DataDir dir = temp.dataDir();

    @AfterEach
    void cleanUp() {
        temp.close();
    }

    static TokenEntry token(String id, String outcome, int index, String condition) {
        return new TokenEntry(
                id,
                outcome,
                index,
                condition,
                "559651",
                "xi-out-before-2027",
                "Xi out?",
                "xi-event",
                false,
                "2026-12-31T00:00:00Z",
                "0.001",
                "5",
                Protocol.V1);
    }

    private static TokensFile sample() {
        return TokensFile.of(
                Instant.parse("2026-11-24T12:00:05Z"),
                "run-1",
                "https://gamma-api.polymarket.com/markets/keyset",
                Json.MAPPER.createObjectNode().put("closed", false),
                List.of(token("323", "No", 0, COND), token("3233", "Yes", 1, COND)));
    }

    @Test
    void publishedListsReadBackIdenticallyAndAreKeptInHistory() throws Exception {
        TokensFile file = sample();
        var history = TokensJson.publish(dir, file);
        assertThat(TokensJson.read(dir.tokensFile())).isEqualTo(file);
        try (var in = new GZIPInputStream(Files.newInputStream(history))) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(dir.tokensFile()));
        }
        assertThat(file.markets()).isEqualTo(1);
        String json = Files.readString(dir.tokensFile());
        assertThat(json).contains("\"schema\" : \"orderbooks.tokens/1\"").contains("\"token_id\" : \"3233\"");
        try (var listing = Files.list(dir.discovery())) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("tokens.json", "history");
        }
    }

    @Test
    void aPublishedHistoryCopyHasAManifestThatVerifiesIt() throws Exception {
        TokensFile file = sample();
        WriterInfo who = new WriterInfo("discovery-svc", "1.2", InstanceId.of("vps1"), "run-1");
        var history = TokensJson.publish(dir, file, who);

        var manifestPath = TokensHistory.manifestPath(history);
        assertThat(manifestPath.getFileName().toString())
                .isEqualTo("tokens-20261124T120005Z-vps1.json.gz.manifest.json");
        FileManifest m = FileManifest.parse(Files.readAllBytes(manifestPath));
        byte[] gz = Files.readAllBytes(history);
        assertThat(m.file()).isEqualTo("discovery/history/2026-11-24/tokens-20261124T120005Z-vps1.json.gz");
        assertThat(m.bytes()).isEqualTo(gz.length);
        assertThat(m.sha256()).isEqualTo(Checksums.sha256Hex(gz));
        assertThat(m.md5()).isEqualTo(Checksums.md5Hex(gz));
        assertThat(m.stream()).isEqualTo(TokensHistory.STREAM);
        assertThat(m.hour()).isEqualTo(Instant.parse("2026-11-24T12:00:00Z"));
        assertThat(m.records()).isEqualTo(2);
        assertThat(m.uncompressedBytes()).isEqualTo(Files.size(dir.tokensFile()));
        assertThat(m.writer()).isEqualTo(who);
        assertThat(m.closedReason()).isEqualTo(TokensHistory.PUBLISHED);
        assertThat(TokensHistory.isCopy(dir, history)).isTrue();
        assertThat(TokensHistory.isCopy(dir, manifestPath)).isFalse();
        var oldName = dir.historyCopy(HistoryCopyName.withoutInstance(file.generatedAt()));
        assertThat(TokensHistory.isCopy(dir, oldName)).isTrue();
        assertThat(TokensHistory.isCopy(dir, dir.historyDir().resolve(history.getFileName())))
                .isFalse();
    }

    @Test
    void historyCopiesWithoutAManifestGetOneAndUnreadableOnesAreLeftAlone() throws Exception {
        var published = TokensJson.publish(dir, sample());
        // As written before history copies had manifests, and before their names carried the instance.
        var older = dir.historyCopy(HistoryCopyName.withoutInstance(Instant.parse("2026-11-23T08:00:00Z")));
        Files.createDirectories(older.getParent());
        Files.copy(published, older);
        var broken = dir.tokensHistory(Instant.parse("2026-11-23T09:00:00Z"), InstanceId.of("vps1"));
        Files.write(broken, new byte[] {0x1f, (byte) 0x8b, 1, 2}); // never valid gzip: not described
        WriterInfo who = new WriterInfo("discovery-svc", "1.2", InstanceId.of("vps1"), "run-2");

        TokensHistory.Repair r = TokensHistory.repairManifests(dir, who, Instant.parse("2026-11-24T13:00:00Z"));

        assertThat(r.described()).containsExactly(older);
        assertThat(r.unreadable()).singleElement().asString().startsWith(dir.relative(broken));
        FileManifest m = FileManifest.parse(Files.readAllBytes(TokensHistory.manifestPath(older)));
        assertThat(m.sha256()).isEqualTo(Checksums.sha256Hex(Files.readAllBytes(older)));
        assertThat(m.closedReason()).isEqualTo(TokensHistory.MANIFEST_REPAIRED);
        assertThat(m.records()).isEqualTo(2);
        assertThat(TokensHistory.manifestPath(broken)).doesNotExist();
        assertThat(TokensHistory.repairManifests(dir, who, Instant.now()).described())
                .isEmpty();
    }

    @Test
    void invalidListsAreRefusedWithEveryReason() {
        List<TokenEntry> bad = new ArrayList<>(sample().tokens());
        bad.add(token("3233", "Yes", 1, COND));
        bad.add(token("12ab", "", -1, "0x12"));
        TokensFile file = new TokensFile(TokensFile.SCHEMA, Instant.now(), "r", "s", null, 1, bad);
        assertThatThrownBy(() -> TokensJson.publish(dir, file))
                .isInstanceOf(InvalidTokensFileException.class)
                .satisfies(e -> assertThat(((InvalidTokensFileException) e).problems())
                        .anyMatch(p -> p.contains("listed twice"))
                        .anyMatch(p -> p.contains("not a decimal string"))
                        .anyMatch(p -> p.contains("condition_id"))
                        .anyMatch(p -> p.contains("outcome is empty"))
                        .anyMatch(p -> p.contains("negative")));
        assertThat(dir.tokensFile()).doesNotExist();
    }

    @Test
    void malformedPartialOrDriftedFilesAreReportedNotGuessed() throws Exception {
        byte[] good = TokensJson.write(sample());
        assertThatThrownBy(() -> TokensJson.parse(java.util.Arrays.copyOf(good, good.length / 2), "partial"))
                .isInstanceOf(InvalidTokensFileException.class)
                .hasMessageContaining("not valid JSON");
        String drifted =
                new String(good, StandardCharsets.UTF_8).replace("\"outcome_index\" : 1", "\"outcome_index\" : \"1\"");
        assertThatThrownBy(() -> TokensJson.parse(drifted.getBytes(StandardCharsets.UTF_8), "drifted"))
                .hasMessageContaining("outcome_index");
        String schema = new String(good, StandardCharsets.UTF_8).replace("orderbooks.tokens/1", "orderbooks.tokens/9");
        assertThatThrownBy(() -> TokensJson.parse(schema.getBytes(StandardCharsets.UTF_8), "schema"))
                .hasMessageContaining("schema");
        String count = new String(good, StandardCharsets.UTF_8).replace("\"markets\" : 1", "\"markets\" : 2");
        assertThatThrownBy(() -> TokensJson.parse(count.getBytes(StandardCharsets.UTF_8), "count"))
                .hasMessageContaining("markets says 2");
        assertThatThrownBy(() -> TokensJson.read(dir.tokensFile()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no token list published yet");
        String unknownField =
                new String(good, StandardCharsets.UTF_8).replace("\"run_id\"", "\"new_field\" : 1, \"run_id\"");
        assertThat(TokensJson.parse(unknownField.getBytes(StandardCharsets.UTF_8), "extra")
                        .tokens())
                .hasSize(2);
    }

    /** A V2 condition id: 31 bytes (official ts-sdk ConditionIdSchema "31-byte or 32-byte hex"). */
    private static final String V2_COND = "0x" + "b7".repeat(31);
    /** A position id: the 31-byte condition followed by one outcome byte, as a decimal uint256. */
    private static final String V2_POSITION = new java.math.BigInteger("b7".repeat(31) + "01", 16).toString();

    private static TokenEntry v2(String id, int index) {
        return new TokenEntry(
                id,
                index == 0 ? "Up" : "Down",
                index,
                V2_COND,
                "700001",
                "btc-updown-5m-1796000000",
                "BTC up?",
                "btc-updown",
                false,
                "2026-12-02T05:05:00Z",
                "0.0025",
                "5",
                Protocol.V2);
    }

    @Test
    void protocolV2EntriesWith31ByteConditionIdsAreValidAndReadBackWithTheirProtocol() throws Exception {
        TokensFile mixed = TokensFile.of(
                Instant.parse("2026-12-02T04:00:00Z"),
                "run-2",
                "src",
                null,
                List.of(
                        token("323", "No", 0, COND),
                        token("3233", "Yes", 1, COND),
                        v2(V2_POSITION, 0),
                        v2("4" + V2_POSITION.substring(1), 1)));
        assertThat(TokensJson.validate(mixed)).isEmpty();
        TokensJson.publish(dir, mixed);
        TokensFile back = TokensJson.read(dir.tokensFile());
        assertThat(back).isEqualTo(mixed);
        assertThat(back.markets()).isEqualTo(2);
        assertThat(back.tokens())
                .extracting(TokenEntry::protocol)
                .containsExactly(Protocol.V1, Protocol.V1, Protocol.V2, Protocol.V2);
        assertThat(Files.readString(dir.tokensFile())).contains("\"protocol\" : \"v2\"");
        // 62 and 64 hex digits are both accepted; 63, 66 and non-hex are not
        for (String bad :
                List.of("0x" + "a".repeat(63), "0x" + "a".repeat(66), "0x" + "g".repeat(62), "a".repeat(64))) {
            assertThat(TokensJson.validate(
                            TokensFile.of(Instant.EPOCH, "r", "s", null, List.of(token("5", "Yes", 0, bad)))))
                    .singleElement()
                    .asString()
                    .contains("condition_id is not 0x + 62 or 64 hex digits");
        }
    }

    @Test
    void aListWrittenBeforeProtocolV2ExistedIsReadAsV1() throws Exception {
        String old = new String(TokensJson.write(sample()), StandardCharsets.UTF_8)
                .replaceAll(",\\s*\"protocol\" : \"v1\"", "");
        assertThat(old).doesNotContain("protocol");
        assertThat(TokensJson.parse(old.getBytes(StandardCharsets.UTF_8), "old").tokens())
                .extracting(TokenEntry::protocol)
                .containsOnly(Protocol.V1);
    }

    @Test
    void aLenientReadSkipsEachBadEntryWithItsReasonAndKeepsTheGoodRest() throws Exception {
        String good = new String(
                TokensJson.write(TokensFile.of(
                        Instant.parse("2026-12-02T04:00:00Z"),
                        "run-3",
                        "src",
                        null,
                        List.of(token("323", "No", 0, COND), token("3233", "Yes", 1, COND), v2(V2_POSITION, 0)))),
                StandardCharsets.UTF_8);
        String bad = good.replace(
                "\"tokens\" : [",
                "\"tokens\" : [ 17, {\"token_id\" : \"9\", \"outcome\" : \"Yes\"},"
                        + " {\"token_id\" : \"12ab\", \"outcome\" : \"Yes\", \"outcome_index\" : 0, \"condition_id\" : \""
                        + COND
                        + "\", \"market_id\" : \"1\", \"neg_risk\" : false},"
                        + " {\"token_id\" : \"77\", \"outcome\" : \"Yes\", \"outcome_index\" : 0, \"condition_id\" : \""
                        + COND
                        + "\", \"market_id\" : \"1\", \"neg_risk\" : false, \"protocol\" : \"v3\"},"
                        + " {\"token_id\" : \"323\", \"outcome\" : \"No\", \"outcome_index\" : 0, \"condition_id\" : \""
                        + COND
                        + "\", \"market_id\" : \"1\", \"neg_risk\" : false},");
        TokensRead read = TokensJson.parseLenient(bad.getBytes(StandardCharsets.UTF_8), "mixed");
        assertThat(read.file().tokens()).extracting(TokenEntry::tokenId).containsExactly("323", "3233", V2_POSITION);
        assertThat(read.file().markets()).isEqualTo(2);
        assertThat(read.skipped()).extracting(TokensRead.Skipped::index).containsExactly(0, 1, 2, 3, 5);
        assertThat(read.skipped())
                .extracting(TokensRead.Skipped::reason)
                .containsExactly(
                        "not an object",
                        "outcome_index is missing or not an integer",
                        "token_id is not a decimal string",
                        "protocol is \"v3\", not one of v1, v2",
                        "token_id is listed twice");
        assertThat(read.skipped().get(2).toString()).isEqualTo("tokens[2] (12ab): token_id is not a decimal string");
        // the strict reader refuses the same file with every reason
        assertThatThrownBy(() -> TokensJson.parse(bad.getBytes(StandardCharsets.UTF_8), "mixed"))
                .isInstanceOfSatisfying(
                        InvalidTokensFileException.class,
                        e -> assertThat(e.problems()).hasSize(5));
        // only structural damage makes a lenient read fail
        for (String broken : List.of(
                good.substring(0, good.length() / 2),
                good.replace("orderbooks.tokens/1", "orderbooks.tokens/2"),
                good.replace("\"tokens\" : [", "\"tokens\" : {\"x\":[")
                        .replace("] }", "]} }")
                        .replaceAll("\\]\\s*}\\s*$", "]}}"),
                good.replace("2026-12-02T04:00:00Z", "yesterday"),
                "[]")) {
            assertThatThrownBy(() -> TokensJson.parseLenient(broken.getBytes(StandardCharsets.UTF_8), "broken"))
                    .isInstanceOf(InvalidTokensFileException.class);
        }
    }
}
