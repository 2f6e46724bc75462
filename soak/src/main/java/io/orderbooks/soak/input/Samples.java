package io.orderbooks.soak.input;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code samples.csv}: one row per sample (docs/SOAK.md "Sampling"): {@code utc, epoch_s}, then per service
 * {@code <svc>_pid, _rss_kb, _cpu_s, _fds, _threads, _up}, then the data dir and pipeline figures. Rows with another
 * number of fields than the header (a sample cut short by the stop) are left out.
 */
public record Samples(List<String> header, List<Row> rows) {
    public static final List<String> SERVICES = List.of("sim", "rclone", "discovery", "collector", "offload");
    public static final List<String> TOTALS = List.of(
            "data_bytes",
            "disk_free_bytes",
            "open_files",
            "closed_files",
            "ledger_verified",
            "offload_pending",
            "sim_frames_sent",
            "sim_open_connections",
            "tokens");

    /** One row; fields by column name, empty when the value was not known. */
    public record Row(long epochS, Map<String, String> fields) {
        public String get(String column) {
            return fields.getOrDefault(column, "");
        }

        /** The figures of one service in this row; {@code pid} and {@code rss_kb} are empty when it was not running. */
        public ServiceSample service(String svc) {
            return new ServiceSample(
                    get(svc + "_pid"),
                    get(svc + "_rss_kb"),
                    Inputs.parseDouble(get(svc + "_cpu_s")),
                    Inputs.parseDouble(get(svc + "_fds")),
                    Inputs.parseDouble(get(svc + "_threads")),
                    get(svc + "_up"));
        }
    }

    /** {@code up}: 1 answers its probe, 0 alive but not answering, empty when not running (or being restarted). */
    public record ServiceSample(String pid, String rssKb, double cpuS, double fds, double threads, String up) {
        public boolean running() {
            return !pid.isEmpty() && !rssKb.isEmpty();
        }

        public double rssMb() {
            return Double.parseDouble(rssKb) / 1024.0;
        }
    }

    public static Samples read(Path p) throws IOException {
        List<String> lines = Inputs.lines(p);
        if (lines.isEmpty()) {
            return new Samples(List.of(), List.of());
        }
        String[] head = lines.get(0).split(",", -1);
        List<Row> rows = lines.subList(1, lines.size()).stream()
                .map(l -> l.split(",", -1))
                .filter(r -> r.length == head.length)
                .map(r -> {
                    Map<String, String> m = new HashMap<>();
                    for (int i = 0; i < head.length; i++) {
                        m.put(head[i], r[i]);
                    }
                    return new Row((long) Double.parseDouble(r[1]), m);
                })
                .toList();
        return new Samples(List.of(head), rows);
    }
}
