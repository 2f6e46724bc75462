package io.orderbooks.offload;

/** How one {@code operations/copyfile} job ended. */
public sealed interface CopyOutcome {
    record Copied(long jobId) implements CopyOutcome {}

    record CopyFailed(Failure failure) implements CopyOutcome {}
}
