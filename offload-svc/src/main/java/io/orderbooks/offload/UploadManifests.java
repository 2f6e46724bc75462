package io.orderbooks.offload;

import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.Checksums;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.manifests.LedgerEntry;
import io.orderbooks.shared.records.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The daily upload manifest {@code offload/manifests/upload-YYYY-MM-DD-<instance>.json}: every ledger line of that UTC
 * day (files, bytes, hashes, remote paths, results) with totals, rebuilt from the ledger (so a restart loses nothing),
 * written atomically when it changed, and uploaded and verified like a data file (not ledgered itself, or each
 * upload would change the manifest again). The name and the {@code instance} field carry this offload instance, so
 * instances that upload into one remote folder keep their own manifests (docs/SCALING.md). A manifest written before
 * names carried the instance ({@code upload-YYYY-MM-DD.json}) is left as it is, locally and remotely: the day's
 * manifest under the new name is rebuilt from the same ledger and holds every line it held.
 */
final class UploadManifests {
    private static final Logger LOG = Logger.getLogger(UploadManifests.class);
    static final String SCHEMA = "orderbooks.upload-manifest/1";

    private final DataDir dir;
    private final InstanceId instance;
    private final Ledger ledger;
    private final RcloneRemote remote;
    private final OffloadSettings settings;
    /** MD5 of each day's manifest as last verified on the remote by this process. */
    private final Map<LocalDate, String> verifiedMd5 = new HashMap<>();

    private final Set<LocalDate> dirty = new TreeSet<>();

    UploadManifests(
            DataDir dir,
            InstanceId instance,
            Ledger ledger,
            RcloneRemote remote,
            OffloadSettings settings,
            LocalDate today) {
        this.dir = dir;
        this.instance = instance;
        this.ledger = ledger;
        this.remote = remote;
        this.settings = settings;
        // After a restart, the last two days may still be missing remotely: look at them once.
        dirty.add(today.minusDays(1));
        dirty.add(today);
    }

    synchronized void touched(LocalDate day) {
        dirty.add(day);
    }

    /** The days whose manifest this process has not verified on the remote since it last changed. */
    synchronized Set<LocalDate> unpublished() {
        return Set.copyOf(dirty);
    }

    /** Writes and uploads the manifests of the days that changed; returns the days whose upload is verified. */
    synchronized void publish() {
        for (LocalDate day : List.copyOf(dirty)) {
            List<LedgerEntry> entries = ledger.entriesOf(day);
            if (entries.isEmpty()) {
                dirty.remove(day);
                continue;
            }
            try {
                byte[] json = build(day, entries);
                Path path = dir.uploadManifest(day, instance);
                if (!Files.exists(path) || !java.util.Arrays.equals(Files.readAllBytes(path), json)) {
                    AtomicFiles.replace(path, json);
                }
                String md5 = Checksums.md5Hex(json);
                if (md5.equals(verifiedMd5.get(day))) {
                    dirty.remove(day);
                    continue;
                }
                String rel = dir.relative(path);
                CopyOutcome copy = remote.copy(rel, () -> false);
                if (copy instanceof CopyOutcome.CopyFailed failed) {
                    LOG.warnf(
                            "daily upload manifest %s not uploaded: %s (retried next run)",
                            rel, failed.failure().message());
                    return;
                }
                RemoteCheck check = remote.check(rel, json.length, md5);
                if (check instanceof RemoteCheck.Match) {
                    verifiedMd5.put(day, md5);
                    dirty.remove(day);
                } else {
                    LOG.warnf("daily upload manifest %s uploaded but not verified (%s); retried next run", rel, check);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warnf("daily upload manifest of %s: %s (retried next run)", day, e.toString());
            }
        }
    }

    private byte[] build(LocalDate day, List<LedgerEntry> entries) {
        Map<String, Long> results = new TreeMap<>();
        long verifiedBytes = 0;
        for (LedgerEntry e : entries) {
            results.merge(e.action().wire() + ":" + e.result().wire(), 1L, Long::sum);
            if (e.verified()) {
                verifiedBytes += e.bytes();
            }
        }
        long verifiedBytesTotal = verifiedBytes;
        return Json.writePretty(g -> {
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("day", day.toString());
            g.writeStringField("instance", instance.value());
            g.writeStringField("remote", settings.remote());
            g.writeStringField(
                    "updated_at", entries.get(entries.size() - 1).time().toString());
            g.writeNumberField("lines", entries.size());
            g.writeNumberField("verified_bytes", verifiedBytesTotal);
            g.writeObjectFieldStart("results");
            for (Map.Entry<String, Long> r : results.entrySet()) {
                g.writeNumberField(r.getKey(), r.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("files");
            for (LedgerEntry e : entries) {
                e.write(g);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
