package io.orderbooks.shared.layout;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of offload's daily upload manifest (docs/DATA-FORMAT.md §1, docs/OFFLOAD.md §5):
 * {@code upload-<YYYY-MM-DD>-<instance>.json} under {@code offload/manifests/}. The instance (offload-svc's
 * {@code offload.instance}) keeps two instances' manifests of the same day apart when they upload into one remote folder
 * (docs/SCALING.md). Manifests written before the instance was in the name are {@code upload-<YYYY-MM-DD>.json}: they
 * stay valid and are read as they are, with {@code instance} null. The day has a fixed width, so the instance after it
 * (which may hold dashes, {@code orderbooks-0}) is never ambiguous.
 *
 * @param instance the offload instance that wrote it; null only for a name from before instances were named
 */
public record UploadManifestName(LocalDate day, InstanceId instance) {
    private static final Pattern NAME =
            Pattern.compile("upload-([0-9]{4}-[0-9]{2}-[0-9]{2})(?:-([a-z0-9_-]{1,64}))?\\.json");

    public UploadManifestName {
        if (day == null) {
            throw new InvalidNameException("upload manifest name needs a day");
        }
    }

    /** The name offload writes today: with its instance. */
    public static UploadManifestName of(LocalDate day, InstanceId instance) {
        if (instance == null) {
            throw new InvalidNameException("upload manifest name needs the writer's instance");
        }
        return new UploadManifestName(day, instance);
    }

    /** The name of a manifest written before the instance was in the name (read, never written any more). */
    public static UploadManifestName withoutInstance(LocalDate day) {
        return new UploadManifestName(day, null);
    }

    /** Parses a file name, either form; empty when it is not an upload manifest's. */
    public static Optional<UploadManifestName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalDate day = LocalDate.parse(m.group(1));
            return Optional.of(new UploadManifestName(day, m.group(2) == null ? null : InstanceId.of(m.group(2))));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // 2026-13-40: digits, but no date
        }
    }

    public Optional<InstanceId> writer() {
        return Optional.ofNullable(instance);
    }

    public String fileName() {
        return "upload-" + day + (instance == null ? "" : "-" + instance.value()) + ".json";
    }
}
