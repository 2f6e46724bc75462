package io.orderbooks.shared.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The data directory layout of docs/DATA-FORMAT.md §1. Every path is built from validated parts; nothing received from
 * the
 * network ever becomes a path.
 */
public record DataDir(Path root) {
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Pattern SERVICE = NamePart.SLUG;
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    public DataDir {
        if (root == null) {
            throw new IllegalArgumentException("data dir root is missing");
        }
        root = root.toAbsolutePath().normalize();
    }

    public static DataDir of(Path root) {
        return new DataDir(root);
    }

    public static DataDir of(String root) {
        return new DataDir(Path.of(root));
    }

    public Path raw() {
        return root.resolve("raw");
    }

    public Path streamDir(StreamName stream) {
        return raw().resolve(stream.value());
    }

    public Path dirOf(RawFile file) {
        return root.resolve(file.relativeDir());
    }

    public Path closedPath(RawFile file) {
        return dirOf(file).resolve(file.fileName());
    }

    public Path openPath(RawFile file) {
        return dirOf(file).resolve(file.baseName() + RawFile.OPEN_SUFFIX);
    }

    public Path manifestPath(RawFile file) {
        return dirOf(file).resolve(file.baseName() + RawFile.MANIFEST_SUFFIX);
    }

    public Path discovery() {
        return root.resolve("discovery");
    }

    public Path tokensFile() {
        return discovery().resolve("tokens.json");
    }

    /**
     * {@code discovery/history/YYYY-MM-DD/tokens-<YYYYMMDDTHHMMSSZ>-<instance>.json.gz}: where discovery instance
     * {@code instance} keeps the list generated at {@code generatedAt}.
     */
    public Path tokensHistory(Instant generatedAt, InstanceId instance) {
        return historyCopy(HistoryCopyName.of(generatedAt, instance));
    }

    /** Where a history copy of this name belongs: the folder of its UTC day (either form of the name). */
    public Path historyCopy(HistoryCopyName name) {
        return historyDir().resolve(name.dayFolder()).resolve(name.fileName());
    }

    /** {@code discovery/history/}: every accepted token list, one folder per UTC day. */
    public Path historyDir() {
        return discovery().resolve("history");
    }

    /** {@code runs/}: one folder per service, one run manifest per process run. */
    public Path runs() {
        return root.resolve("runs");
    }

    public Path runManifest(String service, String runId) {
        NamePart.require("service name", SERVICE, service);
        NamePart.require("run id", RUN_ID, runId);
        return runs().resolve(service).resolve(runId + ".json");
    }

    public Path runsDir(String service) {
        NamePart.require("service name", SERVICE, service);
        return runs().resolve(service);
    }

    public Path ledger() {
        return root.resolve("offload").resolve("ledger.jsonl");
    }

    /** {@code offload/ledger-archive/}: ledger lines moved out of the ledger by compaction, one gzip file each time. */
    public Path ledgerArchive() {
        return root.resolve("offload").resolve("ledger-archive");
    }

    /** {@code offload/manifests/upload-YYYY-MM-DD-<instance>.json}: offload instance {@code instance}'s manifest of {@code day}. */
    public Path uploadManifest(LocalDate day, InstanceId instance) {
        return uploadManifest(UploadManifestName.of(day, instance));
    }

    /** Where an upload manifest of this name belongs (either form of the name). */
    public Path uploadManifest(UploadManifestName name) {
        return uploadManifests().resolve(name.fileName());
    }

    /** {@code offload/manifests/}: offload's daily upload manifests. */
    public Path uploadManifests() {
        return root.resolve("offload").resolve("manifests");
    }

    /**
     * {@code marks/}: the operator's invalid marks ({@code io.orderbooks.shared.manifests.InvalidMark}), below the
     * relative folder of the raw files they concern; never under {@code raw/}, so no raw folder is ever written to.
     */
    public Path marks() {
        return root.resolve("marks");
    }

    public Path quarantine() {
        return root.resolve("quarantine");
    }

    /** Where a damaged file goes: the same relative path under {@code quarantine/}. */
    public Path quarantinePathFor(Path original) {
        return quarantine().resolve(relative(original));
    }

    public Path logFile(String service) {
        NamePart.require("service name", SERVICE, service);
        return root.resolve("logs").resolve(service + ".log");
    }

    /** A path below the root as a forward-slash string; rejects anything outside the data dir. */
    public String relative(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        if (!abs.startsWith(root)) {
            throw new InvalidNameException("path is outside the data dir " + root + ": " + path);
        }
        return root.relativize(abs).toString().replace('\\', '/');
    }

    /** Creates a directory (and parents) with mode 0755, whatever the process umask. */
    public static Path ensureDir(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                applyMode(dir, DIR_MODE);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public static void applyMode(Path path, Set<PosixFilePermission> mode) {
        try {
            Files.setPosixFilePermissions(path, mode);
        } catch (UnsupportedOperationException | IOException ignored) {
            // Not a POSIX file system (or not ours to change): the mode is best effort, the data is not.
        }
    }

    /**
     * Readiness probe of the data dir: creates, syncs and deletes a small file. Returns the reason when the
     * directory is not writable.
     */
    public Optional<String> checkWritable() {
        try {
            Files.createDirectories(root);
            Path probe = Files.createTempFile(root, ".probe-", ".tmp");
            try {
                Files.writeString(probe, "ok");
            } finally {
                Files.deleteIfExists(probe);
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("data dir " + root + " is not writable: " + e);
        }
    }

    /** Bytes available to this (non-root) user on the data dir's file system; -1 when unknown. */
    public long usableBytes() {
        try {
            Files.createDirectories(root);
            return Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }
}
