package io.orderbooks.report.tally;

import io.orderbooks.shared.records.GapReason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code queue-full} and {@code write-error} gaps of one stream, per writer instance: the only records that say
 * lines were dropped on purpose. A websocket seq hole is explained when such a gap's time span overlaps the hole
 * and the gap's {@code lost_lines} can cover it. The spans come from the manifests (known before any data file is
 * read); {@code lost_lines} is only in the in-band gap event, so it is filled in while reading.
 */
final class LossGaps {
    static boolean isLoss(String reason) {
        return GapReason.fromWire(reason).isLoss();
    }

    /** One loss gap: its span, the lines it says were lost (-1 until its event is read) and the frames holes claim. */
    static final class LossGap {
        final String instance;
        final String conn;
        final long fromUs;
        final long toUs;
        final String reason;
        long lostLines = -1;
        long claimedFrames;

        LossGap(String instance, String conn, long fromUs, long toUs, String reason) {
            this.instance = instance;
            this.conn = conn;
            this.fromUs = fromUs;
            this.toUs = toUs;
            this.reason = reason;
        }

        boolean hasRoomFor(long frames) {
            return lostLines >= 0 && claimedFrames + frames <= lostLines;
        }
    }

    private final Map<String, List<LossGap>> byInstance = new HashMap<>();
    private final Map<String, LossGap> byKey = new HashMap<>();
    private final Map<String, long[]> maxTo = new HashMap<>();
    private boolean sorted;

    void add(String instance, String conn, long fromUs, long toUs, String reason) {
        String key = key(instance, fromUs, toUs, reason);
        if (byKey.containsKey(key)) {
            return;
        }
        LossGap g = new LossGap(instance, conn, fromUs, toUs, reason);
        byKey.put(key, g);
        byInstance.computeIfAbsent(instance, i -> new ArrayList<>()).add(g);
        sorted = false;
    }

    /** The gap event was read: remember how many lines it says were lost. */
    void lostLines(String instance, long fromUs, long toUs, String reason, long lostLines) {
        LossGap g = byKey.get(key(instance, fromUs, toUs, reason));
        if (g != null) {
            g.lostLines = Math.max(0, lostLines);
        }
    }

    private static String key(String instance, long fromUs, long toUs, String reason) {
        return instance + '|' + fromUs + '|' + toUs + '|' + reason;
    }

    /**
     * The loss gap that explains {@code frames} missing frames of {@code conn} received between {@code fromUs} and
     * {@code toUs}, or null. Prefers a gap whose known lost_lines still has room, then one whose lost_lines is not
     * known yet; the frames are claimed against it, and {@link #overClaimed} finds gaps claimed beyond their lines.
     */
    LossGap explain(String instance, String conn, long fromUs, long toUs, long frames) {
        List<LossGap> gaps = byInstance.get(instance);
        if (gaps == null) {
            return null;
        }
        sortIfNeeded();
        long[] prefixMaxTo = maxTo.get(instance);
        // The first gap whose span (or an earlier one's) reaches fromUs; gaps are sorted by start.
        int lo = 0;
        int hi = gaps.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (prefixMaxTo[mid] < fromUs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        LossGap roomy = null;
        LossGap unknown = null;
        LossGap any = null;
        for (int i = lo; i < gaps.size() && gaps.get(i).fromUs <= toUs; i++) {
            LossGap g = gaps.get(i);
            if (g.toUs < fromUs || (g.conn != null && !g.conn.equals(conn))) {
                continue;
            }
            if (roomy == null && g.hasRoomFor(frames)) {
                roomy = g;
            } else if (unknown == null && g.lostLines < 0) {
                unknown = g;
            } else if (any == null) {
                any = g;
            }
        }
        LossGap chosen = roomy != null ? roomy : unknown != null ? unknown : any;
        if (chosen != null) {
            chosen.claimedFrames += frames;
        }
        return chosen;
    }

    /** Gaps whose holes claim more frames than the gap says it lost: the difference is unexplained. */
    List<LossGap> overClaimed() {
        return byKey.values().stream()
                .filter(g -> g.lostLines >= 0 && g.claimedFrames > g.lostLines)
                .sorted(Comparator.comparingLong(g -> g.fromUs))
                .toList();
    }

    private void sortIfNeeded() {
        if (sorted) {
            return;
        }
        maxTo.clear();
        for (Map.Entry<String, List<LossGap>> e : byInstance.entrySet()) {
            List<LossGap> gaps = e.getValue();
            gaps.sort(Comparator.comparingLong(g -> g.fromUs));
            long[] prefix = new long[gaps.size()];
            long max = Long.MIN_VALUE;
            for (int i = 0; i < gaps.size(); i++) {
                max = Math.max(max, gaps.get(i).toUs);
                prefix[i] = max;
            }
            maxTo.put(e.getKey(), prefix);
        }
        sorted = true;
    }
}
