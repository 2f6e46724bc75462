package io.orderbooks.soak.input;

import java.nio.file.Path;

/** The layout of a soak directory (docs/SOAK.md "Layout of SOAK_DIR"): what scripts/soak.sh leaves for the reconciliation. */
public record SoakDir(Path root) {
    public SoakDir {
        root = root.toAbsolutePath().normalize();
    }

    public static SoakDir of(Path root) {
        return new SoakDir(root);
    }

    /** The services' data dir. */
    public Path data() {
        return root.resolve("data");
    }

    /** The stand-in for Drive: what offload uploaded, under the same relative paths. */
    public Path remote() {
        return root.resolve("remote");
    }

    public Path file(String name) {
        return root.resolve(name);
    }

    public Path soakEnv() {
        return file("soak.env");
    }

    public Path faultsLog() {
        return file("faults.log");
    }

    public Path eventsLog() {
        return file("events.log");
    }

    public Path samples() {
        return file("samples.csv");
    }

    public Path oracle() {
        return file("oracle-final.json");
    }

    public Path oracleRest() {
        return file("oracle-rest.jsonl");
    }

    /** The simulator's sidecar of every frame sent (runs of 2 h or less). */
    public Path oracleFrames() {
        return file("oracle-frames.jsonl");
    }

    public Path processLog(String service) {
        return root.resolve("process-logs").resolve(service + ".log");
    }

    public Path report() {
        return file("report.md");
    }
}
