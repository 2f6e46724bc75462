package io.orderbooks.shared.files;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.InvalidNameException;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.FileManifest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code recv_us} of the last record an instance wrote to a stream, from the manifests of its closed files
 * (run after start-up recovery, so a crashed run's salvaged file counts). A restarted service uses it to record the
 * time it was not running as a gap: without it, a stop or a crash would be invisible in the data.
 */
public final class LastWritten {
    private static final String DT = "dt=";
    private static final String HOUR = "hour=";

    private LastWritten() {}

    /**
     * Walks the stream's partitions newest first and stops at the first hour holding a closed file of the
     * instance. Empty when the instance has written nothing there (a first start, or retention removed it all).
     */
    public static OptionalLong recvUs(DataDir dir, StreamName stream, InstanceId instance) throws IOException {
        for (Path day : newestFirst(dir.streamDir(stream), DT)) {
            for (Path hour : newestFirst(day, HOUR)) {
                OptionalLong last = lastIn(hour, stream, instance);
                if (last.isPresent()) {
                    return last;
                }
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong lastIn(Path hourDir, StreamName stream, InstanceId instance) throws IOException {
        long max = Long.MIN_VALUE;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(hourDir, "*" + RawFile.MANIFEST_SUFFIX)) {
            for (Path p : files) {
                RawFile id;
                try {
                    id = RawFile.parse(p);
                } catch (InvalidNameException e) {
                    continue;
                }
                if (!id.stream().equals(stream) || !id.instance().equals(instance)) {
                    continue;
                }
                Long last;
                try {
                    last = FileManifest.parse(Files.readAllBytes(p)).lastRecvUs();
                } catch (IOException e) {
                    continue; // a damaged manifest is the report's business; the others still say when writing stopped
                }
                if (last != null) {
                    max = Math.max(max, last);
                }
            }
        }
        return max == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(max);
    }

    /** Partition directories named {@code prefix + value}, newest first (the values sort as text: dates, hours). */
    private static List<Path> newestFirst(Path parent, String prefix) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path p : dirs) {
                if (Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return out;
    }
}
