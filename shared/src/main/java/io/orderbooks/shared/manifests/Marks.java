package io.orderbooks.shared.manifests;

import io.orderbooks.shared.layout.AtomicFiles;
import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.DataDirScan;
import io.orderbooks.shared.layout.RawFile;
import io.orderbooks.shared.layout.StreamName;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The invalid marks of a data dir (docs/DATA-FORMAT.md §8): the one writer and the one reader of {@code marks/}. The
 * reader is lenient: a mark file that cannot be used is listed in {@link Loaded#bad()} with its reason and the good
 * rest still applies, so one broken file never hides every other mark.
 */
public final class Marks {
    private Marks() {}

    /** A mark file that was not used, and why. */
    public record BadMark(String file, String reason) {}

    /** A mark and the later mark that withdrew it. */
    public record Revoked(InvalidMark mark, InvalidMark revocation) {}

    /**
     * What {@code marks/} says.
     *
     * @param active  marks in force (not withdrawn), oldest first
     * @param revoked withdrawn marks with their revocation
     * @param bad     mark files not used, with the reason
     */
    public record Loaded(List<InvalidMark> active, List<Revoked> revoked, List<BadMark> bad) {
        public static final Loaded NONE = new Loaded(List.of(), List.of(), List.of());

        /** The marks in force that take in the raw file {@code f}. */
        public List<InvalidMark> covering(RawFile f) {
            return active.stream().filter(m -> m.covers(f)).toList();
        }

        /** The marks in force that take in some file of {@code stream} in the hour starting at {@code hour}. */
        public List<InvalidMark> coveringHour(StreamName stream, Instant hour) {
            return active.stream().filter(m -> m.coversHour(stream, hour)).toList();
        }

        /** The active mark of this id, if any. */
        public InvalidMark active(String id) {
            return active.stream().filter(m -> m.id().equals(id)).findFirst().orElse(null);
        }
    }

    /** Writes a new mark where {@link InvalidMark#relativePath()} puts it, atomically; never replaces one. */
    public static Path write(DataDir dir, InvalidMark mark) throws IOException {
        Path target = dir.root().resolve(mark.relativePath());
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a mark is never replaced");
        }
        AtomicFiles.replace(target, mark.toJson());
        return target;
    }

    /** Reads every mark file of the data dir; never throws for a bad mark file. */
    public static Loaded read(DataDir dir) {
        Map<String, InvalidMark> marks = new LinkedHashMap<>();
        List<InvalidMark> revocations = new ArrayList<>();
        List<BadMark> bad = new ArrayList<>();
        for (Path p : DataDirScan.marks(dir)) {
            String rel = dir.relative(p);
            InvalidMark m;
            try {
                m = InvalidMark.parse(Files.readAllBytes(p));
            } catch (IOException e) {
                bad.add(new BadMark(rel, e.getMessage()));
                continue;
            }
            if (!m.relativePath().equals(rel)) {
                // offload puts a mark beside the files its path names: one elsewhere would land in the wrong folder
                bad.add(new BadMark(rel, "not where its scope puts it (" + m.relativePath() + ")"));
            } else if (marks.containsKey(m.id()) || revocations.stream().anyMatch(r -> r.id().equals(m.id()))) {
                bad.add(new BadMark(rel, "a second mark with id " + m.id()));
            } else if (m.action() == InvalidMark.Action.REVOKE) {
                revocations.add(m);
            } else {
                marks.put(m.id(), m);
            }
        }
        List<Revoked> revoked = new ArrayList<>();
        for (InvalidMark r : revocations) {
            InvalidMark target = marks.get(r.revokes());
            if (target == null) {
                bad.add(new BadMark(r.relativePath(), "revokes " + r.revokes() + ", which is no mark in force"));
            } else if (!sameScope(target, r)) {
                bad.add(new BadMark(r.relativePath(), "revokes " + r.revokes() + " but names another scope"));
            } else {
                marks.remove(r.revokes());
                revoked.add(new Revoked(target, r));
            }
        }
        List<InvalidMark> active = new ArrayList<>(marks.values());
        active.sort((a, b) -> a.at().compareTo(b.at()) != 0 ? a.at().compareTo(b.at()) : a.id().compareTo(b.id()));
        return new Loaded(List.copyOf(active), List.copyOf(revoked), List.copyOf(bad));
    }

    private static boolean sameScope(InvalidMark a, InvalidMark b) {
        return a.scope() == b.scope()
                && java.util.Objects.equals(a.file(), b.file())
                && a.stream().equals(b.stream())
                && java.util.Objects.equals(a.instance(), b.instance())
                && a.from().equals(b.from())
                && a.to().equals(b.to());
    }
}
