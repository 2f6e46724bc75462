package io.orderbooks.shared.layout;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a discovery history copy (docs/DATA-FORMAT.md §1, §4): {@code tokens-<YYYYMMDDTHHMMSSZ>-<instance>.json.gz}
 * in the folder of its UTC day. The instance keeps two instances' copies of the same second apart when they share one
 * remote folder or are merged into one data dir (docs/SCALING.md). Copies written before the instance was in the name
 * are {@code tokens-<YYYYMMDDTHHMMSSZ>.json.gz}: they stay valid and are read as they are, with {@code instance} null.
 * The time stamp has a fixed width, so the instance after it (which may hold dashes, {@code orderbooks-0}) is never
 * ambiguous.
 *
 * @param generatedAt the list's generation time, to the second (the name holds no more)
 * @param instance    the discovery instance that wrote the copy; null only for a name from before instances were named
 */
public record HistoryCopyName(Instant generatedAt, InstanceId instance) {
    private static final String PREFIX = "tokens-";
    private static final String SUFFIX = ".json.gz";
    private static final Pattern NAME =
            Pattern.compile("tokens-([0-9]{8}T[0-9]{6}Z)(?:-([a-z0-9_-]{1,64}))?\\.json\\.gz");
    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** The same stamp for parsing, without a zone: the digits are read as a UTC local date-time. */
    private static final DateTimeFormatter PARSE_SECOND = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    public HistoryCopyName {
        if (generatedAt == null) {
            throw new InvalidNameException("history copy name needs a generation time");
        }
        generatedAt = generatedAt.truncatedTo(ChronoUnit.SECONDS);
    }

    /** The name discovery writes today: with its instance. */
    public static HistoryCopyName of(Instant generatedAt, InstanceId instance) {
        if (instance == null) {
            throw new InvalidNameException("history copy name needs the writer's instance");
        }
        return new HistoryCopyName(generatedAt, instance);
    }

    /** The name of a copy written before the instance was in the name (read, never written any more). */
    public static HistoryCopyName withoutInstance(Instant generatedAt) {
        return new HistoryCopyName(generatedAt, null);
    }

    /** Parses a copy's file name (not its manifest's), either form; empty when it is not one. */
    public static Optional<HistoryCopyName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        Instant at;
        try {
            at = LocalDateTime.parse(m.group(1), PARSE_SECOND).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return Optional.empty(); // 20261324T…: digits, but no date
        }
        HistoryCopyName name = new HistoryCopyName(at, m.group(2) == null ? null : InstanceId.of(m.group(2)));
        // The parser's lenient resolver turns 20260230 into 20260228: only a name it writes back unchanged is one.
        return name.fileName().equals(fileName) ? Optional.of(name) : Optional.empty();
    }

    public Optional<InstanceId> writer() {
        return Optional.ofNullable(instance);
    }

    public String fileName() {
        return PREFIX + SECOND.format(generatedAt) + (instance == null ? "" : "-" + instance.value()) + SUFFIX;
    }

    /** The folder below {@code discovery/history/} that holds it: the UTC day of its generation time. */
    public String dayFolder() {
        return DAY.format(generatedAt);
    }
}
