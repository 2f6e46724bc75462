package io.orderbooks.shared.layout;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One raw data file's identity: stream, UTC hour, writer instance and sequence number within that hour
 * (docs/DATA-FORMAT.md §1: {@code
 * raw/<stream>/dt=YYYY-MM-DD/hour=HH/<stream>-<YYYYMMDD>T<HH>Z-<instance>-<seq>.jsonl.gz}).
 */
public record RawFile(StreamName stream, Instant hour, InstanceId instance, int seq) {
    public static final String SUFFIX = ".jsonl.gz";
    public static final String OPEN_SUFFIX = SUFFIX + ".open";
    public static final String MANIFEST_SUFFIX = SUFFIX + ".manifest.json";

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HH'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile(
            "([a-z0-9_-]{1,64})-([0-9]{8})T([0-9]{2})Z-([a-z0-9_-]{1,64})-([0-9]{4,9})\\.jsonl\\.gz(\\.open|\\.manifest\\.json)?");

    public RawFile {
        if (stream == null || instance == null || hour == null) {
            throw new InvalidNameException("raw file needs stream, hour and instance");
        }
        if (!hour.truncatedTo(ChronoUnit.HOURS).equals(hour)) {
            throw new InvalidNameException("raw file hour must be a whole UTC hour: " + hour);
        }
        if (seq < 1 || seq > 999_999_999) {
            throw new InvalidNameException("raw file sequence must be 1..999999999: " + seq);
        }
    }

    /** The file for the UTC hour that contains {@code recvUs}. */
    public static RawFile forRecord(StreamName stream, long recvUs, InstanceId instance, int seq) {
        return new RawFile(stream, hourOf(recvUs), instance, seq);
    }

    public static Instant hourOf(long recvUs) {
        return Instant.ofEpochSecond(Math.floorDiv(recvUs, 1_000_000L)).truncatedTo(ChronoUnit.HOURS);
    }

    public String baseName() {
        return stream.value() + "-" + STAMP.format(hour) + "-" + instance.value() + "-" + String.format("%04d", seq);
    }

    public String fileName() {
        return baseName() + SUFFIX;
    }

    /** {@code raw/<stream>/dt=YYYY-MM-DD/hour=HH} relative to the data dir, with forward slashes. */
    public String relativeDir() {
        return "raw/" + stream.value() + "/dt=" + DAY.format(hour) + "/hour=" + HOUR.format(hour);
    }

    /** The closed file's path relative to the data dir: the name used in manifests, ledgers and the remote. */
    public String relativePath() {
        return relativeDir() + "/" + fileName();
    }

    public long hourStartUs() {
        return hour.getEpochSecond() * 1_000_000L;
    }

    public long hourEndUs() {
        return hourStartUs() + 3_600_000_000L;
    }

    /**
     * Parses a file name (closed, {@code .open} or manifest) back into its parts, or throws
     * {@link InvalidNameException} with the reason.
     */
    public static RawFile parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            throw new InvalidNameException("not a raw data file name: '" + NamePart.printable(fileName) + "'");
        }
        Instant hour;
        try {
            hour = LocalDateTime.parse(m.group(2) + m.group(3), DateTimeFormatter.ofPattern("yyyyMMddHH"))
                    .toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw new InvalidNameException("raw file name has an invalid date/hour: '" + fileName + "'");
        }
        return new RawFile(StreamName.of(m.group(1)), hour, InstanceId.of(m.group(4)), Integer.parseInt(m.group(5)));
    }

    public static RawFile parse(Path path) {
        return parse(path.getFileName().toString());
    }

    public static boolean isClosedName(String fileName) {
        return fileName.endsWith(SUFFIX) && NAME.matcher(fileName).matches();
    }

    public static boolean isOpenName(String fileName) {
        return fileName.endsWith(OPEN_SUFFIX) && NAME.matcher(fileName).matches();
    }
}
