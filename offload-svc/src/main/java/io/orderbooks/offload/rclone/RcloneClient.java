package io.orderbooks.offload.rclone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderbooks.shared.records.Json;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.vertx.core.VertxException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The thin client bean that carries the fault tolerance for rclone's rc API: a timeout per call, a few retries with
 * exponential backoff when rclone cannot be reached, and a circuit breaker per call (SmallRye refuses one named
 * breaker on several methods), which opens when rclone is down so callers fail fast instead of waiting on it. rc errors (rclone
 * answered: the remote refused, a quota, a missing file) are {@link RcloneCallException}s: never retried here and
 * never counted by the breaker, because rclone itself is fine; the caller decides what they mean.
 *
 * <p>Settings can be tuned per MicroProfile Fault Tolerance config, e.g.
 * {@code io.orderbooks.offload.rclone.RcloneClient/CircuitBreaker/delay=30000}.
 */
@ApplicationScoped
@Retry(
        maxRetries = 3,
        delay = 500,
        jitter = 250,
        retryOn = RcloneUnavailableException.class,
        abortOn = RcloneCallException.class)
@ExponentialBackoff(factor = 2, maxDelay = 8000)
@CircuitBreaker(
        requestVolumeThreshold = 4,
        failureRatio = 0.75,
        delay = 30_000,
        successThreshold = 1,
        failOn = {RcloneUnavailableException.class, TimeoutException.class},
        skipOn = RcloneCallException.class)
public class RcloneClient {

    @Inject
    @RestClient
    RcloneApi api;

    /** {@code core/version}: the daemon's version string ({@code v1.60.1-DEV}). */
    @Timeout(10_000)
    public String version() {
        return call(() -> api.coreVersion(Json.MAPPER.createObjectNode()))
                .path("version")
                .asText("unknown");
    }

    /** {@code core/bwlimit}: sets the daemon-wide bandwidth limit and returns the rate rclone reports back. */
    @Timeout(10_000)
    public String bandwidthLimit(String rate) {
        ObjectNode in = Json.MAPPER.createObjectNode().put("rate", rate);
        return call(() -> api.coreBwlimit(in)).path("rate").asText(rate);
    }

    /**
     * Starts {@code operations/copyfile} as an async job ({@code _async:true}, https://rclone.org/rc/#running-asynchronous-jobs-with-async-true)
     * so a large upload never holds an HTTP request open, and returns the job id. {@code _config.CheckSum=true}
     * (https://rclone.org/docs/#c-checksum) makes rclone compare size and hash rather than modification time when
     * the destination already exists, so an identical object left by an interrupted run is not sent twice, and a
     * corrupted one (other hash) is always replaced.
     */
    @Timeout(30_000)
    public long startCopy(String srcFs, String srcRemote, String dstFs, String dstRemote) {
        ObjectNode in = Json.MAPPER
                .createObjectNode()
                .put("srcFs", srcFs)
                .put("srcRemote", srcRemote)
                .put("dstFs", dstFs)
                .put("dstRemote", dstRemote)
                .put("_async", true);
        in.putObject("_config").put("CheckSum", true);
        JsonNode out = call(() -> api.copyFile(in));
        if (!out.has("jobid")) {
            throw new RcloneCallException(500, "copyfile with _async returned no jobid");
        }
        return out.get("jobid").asLong();
    }

    @Timeout(10_000)
    public JobStatus jobStatus(long jobId) {
        ObjectNode in = Json.MAPPER.createObjectNode().put("jobid", jobId);
        JsonNode out = call(() -> api.jobStatus(in));
        return new JobStatus(
                jobId,
                out.path("finished").asBoolean(false),
                out.path("success").asBoolean(false),
                out.path("error").asText(""));
    }

    @Timeout(10_000)
    public void stopJob(long jobId) {
        ObjectNode in = Json.MAPPER.createObjectNode().put("jobid", jobId);
        call(() -> api.jobStop(in));
    }

    /**
     * {@code operations/stat} with {@code opt.showHash} and {@code opt.hashTypes=["md5"]}: the remote's own size and
     * MD5. On Google Drive the MD5 is metadata Drive computed from the received bytes; on a local or sftp remote
     * rclone hashes the stored bytes. Empty when the object does not exist ({@code {"item":null}}). The timeout is
     * long because local and sftp remotes read the whole object to hash it.
     */
    @Timeout(300_000)
    public Optional<RemoteObject> stat(String fs, String remote) {
        ObjectNode in = Json.MAPPER.createObjectNode().put("fs", fs).put("remote", remote);
        ObjectNode opt = in.putObject("opt").put("showHash", true);
        opt.putArray("hashTypes").add("md5");
        JsonNode item = call(() -> api.stat(in)).get("item");
        if (item == null || item.isNull()) {
            return Optional.empty();
        }
        JsonNode md5 = item.path("Hashes").get("md5");
        return Optional.of(new RemoteObject(
                item.path("Size").asLong(-1),
                md5 == null || md5.isNull() || md5.asText().isEmpty()
                        ? null
                        : md5.asText().toLowerCase(java.util.Locale.ROOT)));
    }

    /**
     * {@code operations/list} of the top level of {@code fs} (directories only, no hashes): the cheapest call that
     * makes rclone open the remote, so a missing config section or credential shows here rather than in every upload.
     */
    @Timeout(60_000)
    public int listTopDirs(String fs) {
        ObjectNode in = Json.MAPPER.createObjectNode().put("fs", fs).put("remote", "");
        in.putObject("opt").put("dirsOnly", true).put("noModTime", true).put("noMimeType", true);
        return call(() -> api.list(in)).path("list").size();
    }

    static JsonNode call(Supplier<String> rc) {
        String body;
        try {
            body = rc.get();
        } catch (ProcessingException | VertxException | UncheckedIOException e) {
            // The REST client's transport failure: connection refused/reset or read timeout. rclone is unreachable.
            // A connection that closes while a request is in flight (rclone killed mid-call) surfaces as Vert.x's
            // own HttpClosedException, unwrapped, rather than as a ProcessingException: it means the same thing.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new RcloneUnavailableException("rclone rc API unreachable: " + root, e);
        }
        if (body == null || body.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            return Json.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new RcloneCallException(
                    200, "rc reply is not JSON: " + body.substring(0, Math.min(200, body.length())));
        }
    }
}
