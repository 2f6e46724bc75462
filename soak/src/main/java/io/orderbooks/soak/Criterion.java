package io.orderbooks.soak;

/**
 * Every way a soak can FAIL (docs/SOAK.md "How PASS/FAIL is decided"), by family. The verdict is PASS when no
 * criterion failed; one failure line is reported per offending connection, token, process or file group.
 */
public enum Criterion {
    // websocket: the oracle against the recording
    WS_NO_ORACLE("no final oracle was saved"),
    WS_SIM_RESTARTED("the simulator exited during the run, so its oracle covers only part of it"),
    WS_EXTRA_FRAMES("more frames recorded on a connection than were sent"),
    WS_ALTERED("the same frame count as sent, another SHA-256"),
    WS_PREFIX_DIFFERS("the recorded part of a truncated connection differs from the first frames sent (sidecar)"),
    WS_MISSING_UNEXPLAINED("frames missing that no collector crash or queue-full gap explains"),
    WS_UNMATCHED_CONNECTION("a recorded connection the oracle has no connection for"),
    TORN_LINES("unterminated lines in closed raw files"),
    // REST
    REST_ALTERED("a token's stored books differ from the ones served (same count)"),
    REST_EXTRA_BOOKS("more books stored for a token than were served"),
    REST_UNSERVED_TOKENS("books stored for tokens the simulator has no record of serving"),
    // offload
    OFFLOAD_NOT_ON_REMOTE("a local closed file not on the remote with its manifest's MD5"),
    OFFLOAD_DELETED_UNVERIFIED("a file deleted locally without a verified upload before"),
    OFFLOAD_OPEN_LEFT(".open files left after the final stop"),
    OFFLOAD_NO_MANIFEST("a closed data file without a manifest"),
    OFFLOAD_FLUSH_INCOMPLETE("the final offload flush did not report an empty backlog"),
    // processes
    PROCESS_NOT_UP("a start that never answered its health probe"),
    PROCESS_IGNORED_SIGTERM("a service that ignored SIGTERM for 30 s"),
    PROCESS_UNEXPECTED_EXIT("a service exited without being told to"),
    PROCESS_PROBE_FAILURES("a running service failed its probe in 3 samples in a row"),
    FAULT_NOT_APPLIED("a fault the simulator (or the script) could not apply"),
    // resources
    RESOURCES_NO_SAMPLES("no resource samples"),
    RESOURCES_RSS_GROWTH("RSS growth above the limit"),
    // data quality
    QUALITY_PROBLEMS("the data-quality report found integrity problems (exit 1)"),
    QUALITY_TOOL_FAILED("the data-quality report failed to run");

    private final String meaning;

    Criterion(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}
