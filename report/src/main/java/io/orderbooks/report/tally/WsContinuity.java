package io.orderbooks.report.tally;

import io.orderbooks.report.model.HourRange;
import io.orderbooks.report.model.QualityReport.Hole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that every websocket connection's {@code seq} runs 0, 1, 2, … without holes (SPEC: a missing number is a
 * lost frame). Lines must arrive in file order (hour, instance, sequence number), which is each connection's order.
 * <p>
 * A connection is keyed by writer instance and {@code conn}: two collectors (shards) both have a {@code ws-00.0@…}.
 * A run's ids end with its run token ({@code ws-00.0@3f2a}), so two runs never share one; ids written before that
 * ({@code ws-00.0}) restarted with every run, so a {@code connected} event (or a seq starting again at 0) begins a
 * new connection under the same id. Holes are found between consecutive frames,
 * before the first frame of a connection whose {@code connected} event was read, and at its end when its
 * {@code disconnected} event says how many frames it received. Each is then explained by a {@code queue-full} /
 * {@code write-error} gap ({@link LossGaps}), or by the connection having started before the first file read (its
 * first frames are outside the reported range), or is unexplained: an integrity problem.
 */
final class WsContinuity {
    static final int EXAMPLES = 20;

    /** Holes and frames of one kind of explanation, with the first few holes as examples. */
    static final class Tally {
        long holes;
        long frames;
        final List<Hole> examples = new ArrayList<>();

        void add(Hole h) {
            holes++;
            frames += h.frames();
            if (examples.size() < EXAMPLES) {
                examples.add(h);
            }
        }
    }

    static final String LOSS_GAP = Hole.LOSS_GAP;
    static final String OUTSIDE_RANGE = Hole.OUTSIDE_RANGE;
    static final String UNEXPLAINED = Hole.UNEXPLAINED;

    private static final class Connection {
        final boolean startSeen;
        long lastSeq = -1;
        long lastRecvUs;
        long frames;

        Connection(boolean startSeen, long startRecvUs) {
            this.startSeen = startSeen;
            this.lastRecvUs = startRecvUs;
        }
    }

    private final LossGaps lossGaps;
    private final Map<String, Connection> open = new HashMap<>();
    final Tally explainedByLossGap = new Tally();
    final Tally outsideRange = new Tally();
    final Tally unexplained = new Tally();
    /** A seq at or below one already seen on the same connection (not a restart at 0): a frame twice, or disorder. */
    final Tally outOfOrder = new Tally();

    long connections;
    long frames;

    WsContinuity(LossGaps lossGaps) {
        this.lossGaps = lossGaps;
    }

    private static String key(String instance, String conn) {
        return instance + '/' + conn;
    }

    void connected(String instance, String conn, long recvUs) {
        open.put(key(instance, conn), new Connection(true, recvUs));
        connections++;
    }

    void frame(String instance, String conn, long seq, long recvUs) {
        frames++;
        String key = key(instance, conn);
        Connection c = open.get(key);
        if (c == null || (seq == 0 && c.lastSeq >= 0)) {
            // First sight of this connection in the files read, or its id reused by a later run that lost its
            // connected event: either way a new connection.
            c = new Connection(seq == 0, recvUs);
            open.put(key, c);
            connections++;
            if (seq > 0) {
                outsideRange.add(new Hole(instance, conn, 0, seq - 1, 0, recvUs, OUTSIDE_RANGE));
            }
        } else if (seq > c.lastSeq + 1) {
            hole(instance, conn, c.lastSeq + 1, seq - 1, c.lastRecvUs, recvUs);
        } else if (seq <= c.lastSeq) {
            outOfOrder.add(
                    new Hole(instance, conn, seq, seq, c.lastRecvUs, recvUs, "seq " + seq + " after " + c.lastSeq));
            return;
        }
        c.lastSeq = seq;
        c.lastRecvUs = recvUs;
        c.frames++;
    }

    /** {@code frames} is the connection's own count of frames received (-1 when the event has none). */
    void disconnected(String instance, String conn, long frames, long recvUs) {
        Connection c = open.remove(key(instance, conn));
        if (c == null || frames < 0 || (!c.startSeen && c.lastSeq < 0)) {
            return;
        }
        if (frames > c.lastSeq + 1) {
            hole(instance, conn, c.lastSeq + 1, frames - 1, c.lastRecvUs, recvUs);
        }
    }

    private void hole(String instance, String conn, long fromSeq, long toSeq, long afterUs, long beforeUs) {
        LossGaps.LossGap g = lossGaps.explain(instance, conn, afterUs, beforeUs, toSeq - fromSeq + 1);
        if (g != null) {
            explainedByLossGap.add(new Hole(
                    instance,
                    conn,
                    fromSeq,
                    toSeq,
                    afterUs,
                    beforeUs,
                    g.reason + " gap " + HourRange.ofMicros(g.fromUs) + " .. " + HourRange.ofMicros(g.toUs)));
        } else {
            unexplained.add(new Hole(instance, conn, fromSeq, toSeq, afterUs, beforeUs, UNEXPLAINED));
        }
    }

    long holes() {
        return explainedByLossGap.holes + outsideRange.holes + unexplained.holes;
    }

    long missingFrames() {
        return explainedByLossGap.frames + outsideRange.frames + unexplained.frames;
    }
}
