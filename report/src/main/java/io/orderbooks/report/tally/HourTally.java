package io.orderbooks.report.tally;

import io.orderbooks.shared.records.Event;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one stream holds in one UTC hour: the manifests' figures summed, plus what was counted on the lines
 * (events by name, websocket frames and connections, REST rounds and errors, Gamma pages). Filled while files are
 * read, then turned into the report's immutable rows.
 */
final class HourTally {
    final String stream;
    final Instant hour;

    // From the manifests of the closed files.
    long files;
    long records;
    long bytes;
    long uncompressedBytes;
    final Map<String, Long> counts = new TreeMap<>();
    long recovered;
    long openFiles;
    /** Closed files read that an active invalid mark takes in. */
    long markedFiles;

    final Set<String> writers = new TreeSet<>();
    /** Writer instances with any file (closed, open or manifest) in the hour. */
    final Set<String> instances = new TreeSet<>();

    // From the lines.
    final Map<String, Long> events = new TreeMap<>();
    long lostLines;
    long wsFrames;
    long wsNotJson;
    long pausedMs;
    final Set<String> wsConnections = new HashSet<>();
    /** Connection slots ({@code instance/ws-03}) seen in the hour, lines or gaps: the shard-seconds denominator. */
    final Set<String> slots = new TreeSet<>();

    long rounds;
    long planned;
    long received;
    long missing;
    long failedRequests;
    long lateRounds;
    long pages;
    final Map<Integer, Long> errorsByStatus = new TreeMap<>();
    long unreadableLines;

    HourTally(String stream, Instant hour) {
        this.stream = stream;
        this.hour = hour;
    }

    long event(Event event) {
        return events.getOrDefault(event.wire(), 0L);
    }

    /**
     * {@code ws-03.7@3f2a} (or {@code ws-03.7}, written before connection ids carried the run's token) →
     * {@code ws-03}: the connection slot, which keeps its number across reconnects and, per instance, across runs
     * (docs/REPORT.md §2).
     */
    static String slotOf(String conn) {
        if (conn == null) {
            return null;
        }
        int at = conn.indexOf('@');
        if (at >= 0) {
            conn = conn.substring(0, at);
        }
        int dot = conn.lastIndexOf('.');
        return dot > 0 ? conn.substring(0, dot) : conn;
    }
}
