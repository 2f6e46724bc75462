package io.orderbooks.report.tally;

import io.orderbooks.report.model.HourRange;
import io.orderbooks.report.model.QualityReport;
import io.orderbooks.shared.files.GzipLines;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.manifests.FileManifest;
import io.orderbooks.shared.manifests.LedgerAction;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.manifests.LedgerKind;
import io.orderbooks.shared.manifests.LedgerResult;
import io.orderbooks.shared.records.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code offload/ledger.jsonl} as offload-svc reads it (docs/OFFLOAD.md §5): the latest line of an object
 * ({@code kind} + {@code file}) decides its state, so a later {@code recheck} or {@code mismatch} withdraws an
 * earlier {@code verified}. Read line by line; only the latest line per object is kept. The lines ledger compaction
 * moved out ({@code offload/ledger-archive/ledger-<ts>.jsonl.gz}, oldest first by name) are read before the ledger,
 * so a deletion by retention weeks ago still explains its leftover manifest and still counts in its hour.
 */
final class OffloadLedger {
    /** The latest line of one object. */
    record Latest(LedgerAction action, LedgerResult result, String sha256, String md5) {
        boolean verified() {
            return action == LedgerAction.UPLOAD && result == LedgerResult.VERIFIED;
        }

        boolean deletedByRetention() {
            return action == LedgerAction.DELETE && result == LedgerResult.DELETED;
        }
    }

    /** One object of the ledger: what kind it is and its path. */
    private record Key(LedgerKind kind, String file) {}

    static final OffloadLedger NONE = new OffloadLedger(false);

    final boolean present;
    private final Map<Key, Latest> latest = new HashMap<>();
    long unreadableLines;

    private OffloadLedger(boolean present) {
        this.present = present;
    }

    static OffloadLedger read(Path ledger, Path archiveDir) throws IOException {
        List<Path> archives = new ArrayList<>();
        if (Files.isDirectory(archiveDir)) {
            try (java.util.stream.Stream<Path> s = Files.list(archiveDir)) {
                s.filter(p -> p.getFileName().toString().matches("ledger-.+\\.jsonl\\.gz"))
                        .sorted()
                        .forEach(archives::add);
            }
        }
        if (!Files.isRegularFile(ledger) && archives.isEmpty()) {
            return NONE;
        }
        OffloadLedger l = new OffloadLedger(true);
        for (Path archive : archives) {
            // The contract's gzip reader: a damaged archive counts what was read of it, the rest is not guessed.
            GzipLines.Result r = GzipLines.read(archive, false, GzipLines.WHOLE_LINES, l::line);
            if (!r.sound()) {
                l.unreadableLines++;
            }
        }
        if (Files.isRegularFile(ledger)) {
            try (BufferedReader r = Files.newBufferedReader(ledger, StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    byte[] b = line.getBytes(StandardCharsets.UTF_8);
                    l.line(b, 0, b.length, false);
                }
            }
        }
        return l;
    }

    private void line(byte[] buf, int off, int len, boolean truncated) {
        if (new String(buf, off, len, StandardCharsets.UTF_8).isBlank()) {
            return;
        }
        try {
            // The contract's reading of a line, as offload's own (a line without action or kind is an upload of a
            // data file, the ledger's first version).
            LedgerEntry e = LedgerEntry.parse(Json.parse(java.util.Arrays.copyOfRange(buf, off, off + len)));
            latest.put(new Key(e.kind(), e.file()), new Latest(e.action(), e.result(), e.sha256(), e.md5()));
        } catch (IOException | RuntimeException e) {
            unreadableLines++; // offload skips such a line too (and a torn last line is cut on its start)
        }
    }

    Latest data(String file) {
        return latest.get(new Key(LedgerKind.DATA, file));
    }

    Latest manifest(String manifestFile) {
        return latest.get(new Key(LedgerKind.MANIFEST, manifestFile));
    }

    /**
     * The latest line of an invalid mark ({@code kind} {@code mark}, {@code file} its path under {@code marks/}):
     * offload's own record of uploading it beside the files it concerns, never a data file (docs/OFFLOAD.md §5).
     */
    Latest mark(String markFile) {
        return latest.get(new Key(LedgerKind.MARK, markFile));
    }

    /** Data files whose latest ledger line is a retention deletion. */
    List<String> deletedFiles() {
        return latest.entrySet().stream()
                .filter(e ->
                        e.getKey().kind() == LedgerKind.DATA && e.getValue().deletedByRetention())
                .map(e -> e.getKey().file())
                .sorted()
                .toList();
    }

    /** Retention removed the local copy after verifying it (the latest data line is a {@code delete}). */
    boolean deletedByRetention(String file) {
        Latest d = data(file);
        return d != null && d.deletedByRetention();
    }

    /**
     * The offload state of the closed files in the range: verified (latest data line a {@code verified} upload of the
     * manifest's sha256/md5, latest manifest line a {@code verified} upload of the manifest's current bytes),
     * mismatch (latest data or manifest line a {@code mismatch}), or pending (anything else).
     */
    QualityReport.Offload status(HourRange range, List<RawEntry> entries, Map<RawEntry, FileManifest> manifests)
            throws IOException {
        if (!present) {
            return new QualityReport.Offload(false, 0, 0, 0, 0, List.of(), List.of(), 0);
        }
        long files = 0;
        long verified = 0;
        List<String> pending = new ArrayList<>();
        List<String> mismatch = new ArrayList<>();
        for (RawEntry e : entries) {
            FileManifest m = manifests.get(e);
            if (m == null || e.closed == null || !range.contains(e.id.hour())) {
                continue;
            }
            files++;
            String rel = e.id.relativePath();
            Latest data = data(rel);
            Latest man = manifest(rel + ".manifest.json");
            if (data != null
                    && data.verified()
                    && m.sha256().equals(data.sha256())
                    && m.md5().equals(data.md5())
                    && man != null
                    && man.verified()
                    && Checksums.md5Hex(Files.readAllBytes(e.manifest)).equals(man.md5())) {
                verified++;
            } else if ((data != null && data.result() == LedgerResult.MISMATCH)
                    || (man != null && man.result() == LedgerResult.MISMATCH)) {
                mismatch.add(rel);
            } else {
                pending.add(rel);
            }
        }
        long deleted = deletedFiles().stream()
                .map(RawEntry::hourOf)
                .filter(h -> h != null && range.contains(h))
                .count();
        return new QualityReport.Offload(
                true, files, verified, pending.size(), mismatch.size(), pending, mismatch, deleted);
    }
}
