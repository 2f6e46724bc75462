package io.orderbooks.offload;

import java.time.Instant;

/**
 * Whether the upload remote can be listed (issue 13 "Honest health": with no Drive remote configured every upload
 * failed while offload reported ready). {@code detail} names the missing section or credential when it cannot.
 */
public record RemoteState(boolean listable, String remote, String detail, Instant checkedAt) {}
