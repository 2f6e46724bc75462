package io.orderbooks.offload.rclone;

/** One poll of an rclone async job ({@code job/status}). */
public record JobStatus(long id, boolean finished, boolean success, String error) {}
