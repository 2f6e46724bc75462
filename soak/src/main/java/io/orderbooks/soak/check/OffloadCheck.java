package io.orderbooks.soak.check;

import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.LedgerResult;
import io.orderbooks.soak.Criterion;
import io.orderbooks.soak.Findings;
import io.orderbooks.soak.input.Inputs;
import io.orderbooks.soak.input.Ledger;
import io.orderbooks.soak.input.RawInventory;
import io.orderbooks.soak.input.SoakDir;
import io.orderbooks.soak.input.SoakEnv;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Offload (docs/SOAK.md): every local closed file on the remote with its manifest's MD5 (computed here) and the same
 * manifest; every {@code delete} in the ledger after {@code verified} uploads of the data (same MD5) and of its
 * manifest, with the remote copy still matching; no {@code .open} file and no data without a manifest left; the final
 * flush emptied the backlog. Any miss is a FAIL.
 */
public final class OffloadCheck {
    private OffloadCheck() {}

    public record Result(
            long ok,
            int localClosed,
            long retentionDeleted,
            long deletedOk,
            long remoteFiles,
            long dailyManifests,
            Map<String, Long> results,
            long reuploads,
            int openFiles,
            int noManifest,
            String finalFlush,
            List<String> bad,
            List<String> badDeletes,
            long ledgerFailed,
            long unreachableRuns) {}

    public static Result check(SoakDir dir, SoakEnv env, RawInventory inv, Ledger ledger, Findings findings)
            throws IOException {
        Path data = dir.data();
        Path remote = dir.remote();
        long ok = 0;
        List<String> bad = new ArrayList<>();
        for (String rel : inv.localClosed()) {
            Path local = data.resolve(rel);
            Path localManifest = data.resolve(rel + ".manifest.json");
            String want = FileManifest.parse(Files.readAllBytes(localManifest)).md5();
            Path r = remote.resolve(rel);
            Path rm = remote.resolve(rel + ".manifest.json");
            if (!Files.exists(r)) {
                bad.add(rel + ": not on the remote");
            } else if (!md5(r).equals(want)) {
                bad.add(rel + ": remote MD5 " + md5(r) + " ≠ manifest " + want);
            } else if (!md5(local).equals(want)) {
                bad.add(rel + ": local MD5 ≠ its manifest (local file damaged?)");
            } else if (!Files.exists(rm) || !md5(rm).equals(md5(localManifest))) {
                bad.add(rel + ": manifest missing or different on the remote");
            } else {
                ok++;
            }
        }
        for (String line : ledger.unreadable()) {
            findings.note("unreadable ledger line skipped: " + RestCheck.abbrev(line));
        }
        Map<String, Long> results = new TreeMap<>();
        Map<String, String> verifiedMd5 = new HashMap<>(); // kind|file -> md5 last verified
        Map<String, Integer> uploads = new HashMap<>();
        List<String> badDeletes = new ArrayList<>();
        long deletedOk = 0, retentionDeleted = 0, ledgerFailed = 0;
        for (Ledger.Line l : ledger.lines()) {
            String action = l.action(), kind = l.kind(), file = l.file(), result = l.result();
            results.merge(action + ":" + result, 1L, Long::sum);
            if ("upload".equals(action)) {
                if ("data".equals(kind)) {
                    uploads.merge(file, 1, Integer::sum);
                }
                if (LedgerResult.fromWire(result) == LedgerResult.VERIFIED) {
                    verifiedMd5.put(kind + "|" + file, l.md5());
                } else {
                    verifiedMd5.remove(kind + "|" + file);
                }
                // An object gone after its copy is "missing" (the same word a retention recheck uses), a failure too.
                LedgerResult r = LedgerResult.fromWire(result);
                if (r == LedgerResult.FAILED || r == LedgerResult.MISSING) {
                    ledgerFailed++;
                }
            } else if ("recheck".equals(action)) {
                verifiedMd5.remove(kind + "|" + file);
            } else if ("delete".equals(action) && LedgerResult.fromWire(result) == LedgerResult.DELETED) {
                retentionDeleted++;
                String md5 = l.md5();
                boolean dataOk = md5 != null && md5.equals(verifiedMd5.get("data|" + file));
                boolean manifestOk = verifiedMd5.containsKey("manifest|" + file + ".manifest.json");
                Path r = remote.resolve(file);
                boolean remoteOk = Files.exists(r) && md5(r).equals(md5);
                if (dataOk && manifestOk && remoteOk) {
                    deletedOk++;
                } else {
                    badDeletes.add(file
                            + (dataOk ? "" : " (no earlier verified upload with this MD5)")
                            + (manifestOk ? "" : " (manifest not verified before)")
                            + (remoteOk ? "" : " (remote copy missing or different now)"));
                }
            }
        }
        long reuploads = uploads.values().stream().filter(n -> n > 1).count();
        long unreachable = Inputs.lines(dir.processLog("offload")).stream()
                .filter(l -> l.contains("offload run")
                        && (l.contains("rclone UNREACHABLE") || l.contains("rclone=UNREACHABLE")))
                .count();
        if (!bad.isEmpty()) {
            findings.fail(
                    Criterion.OFFLOAD_NOT_ON_REMOTE,
                    bad.size() + " closed files are not (correctly) on the remote after the final offload, e.g. "
                            + bad.get(0));
        }
        if (!badDeletes.isEmpty()) {
            findings.fail(
                    Criterion.OFFLOAD_DELETED_UNVERIFIED,
                    badDeletes.size() + " files deleted locally without a prior verification, e.g. "
                            + badDeletes.get(0));
        }
        if (!inv.openFiles().isEmpty()) {
            findings.fail(
                    Criterion.OFFLOAD_OPEN_LEFT,
                    inv.openFiles().size() + " .open files left after the final stop, e.g. "
                            + inv.openFiles().get(0));
        }
        if (!inv.noManifest().isEmpty()) {
            findings.fail(
                    Criterion.OFFLOAD_NO_MANIFEST,
                    inv.noManifest().size() + " closed data files without a manifest, e.g. "
                            + inv.noManifest().get(0));
        }
        long remoteFiles = Inputs.walk(remote.resolve("raw")).stream()
                .filter(p -> p.toString().endsWith(".jsonl.gz"))
                .count();
        long dailyManifests = Inputs.walk(remote.resolve("offload/manifests")).size();
        if (!env.finalFlushEmptied()) {
            findings.fail(
                    Criterion.OFFLOAD_FLUSH_INCOMPLETE, "the final offload flush did not report an empty backlog");
        }
        return new Result(
                ok,
                inv.localClosed().size(),
                retentionDeleted,
                deletedOk,
                remoteFiles,
                dailyManifests,
                results,
                reuploads,
                inv.openFiles().size(),
                inv.noManifest().size(),
                env.get("final_flush_backlog_empty", "?"),
                bad,
                badDeletes,
                ledgerFailed,
                unreachable);
    }

    static String md5(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest d = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
