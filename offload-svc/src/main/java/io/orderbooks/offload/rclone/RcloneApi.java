package io.orderbooks.offload.rclone;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The few calls of rclone's remote-control API (https://rclone.org/rc/) that offload needs. Every rc call is a POST
 * with a JSON object as input and returns a JSON object; errors come back as a non-2xx status with
 * {@code {"error": "...", "status": N}}. Only calls present in both Debian's rclone 1.60.1 (what tests run) and the
 * current release (the image) are used: {@code operations/hashsum} and {@code operations/check} do not exist in
 * 1.60, so verification reads the remote object's MD5 through {@code operations/stat} with {@code showHash}.
 * Replies are read as text and parsed by {@link RcloneClient}: rclone 1.60 labels its JSON replies
 * {@code text/plain; charset=utf-8}, which a JSON entity reader refuses. Inputs are Jackson trees, so nothing here
 * needs reflection in a native image. The URL is
 * {@code quarkus.rest-client.rclone-api.url}, which application.properties takes from {@code offload.rclone-url}.
 */
@RegisterRestClient(configKey = "rclone-api")
@RegisterClientHeaders(RcloneAuthHeaders.class)
@RegisterProvider(RcloneErrorMapper.class)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface RcloneApi {

    /** Cheap liveness call: version of the rclone daemon. */
    @POST
    @Path("core/version")
    String coreVersion(ObjectNode input);

    /** Sets ({@code rate}) the daemon-wide bandwidth limit, like {@code --bwlimit}. */
    @POST
    @Path("core/bwlimit")
    String coreBwlimit(ObjectNode input);

    /** Copies one file {@code srcFs/srcRemote -> dstFs/dstRemote}; with {@code _async:true} returns a job id. */
    @POST
    @Path("operations/copyfile")
    String copyFile(ObjectNode input);

    /** One object's size, time and (with {@code opt.showHash}) hashes, or {@code {"item":null}} when absent. */
    @POST
    @Path("operations/stat")
    String stat(ObjectNode input);

    /** Lists a directory of a remote ({@code fs}, {@code remote}, {@code opt}); readiness lists the remote's folder. */
    @POST
    @Path("operations/list")
    String list(ObjectNode input);

    /** State of an async job: {@code finished}, {@code success}, {@code error}. */
    @POST
    @Path("job/status")
    String jobStatus(ObjectNode input);

    /** Cancels an async job. */
    @POST
    @Path("job/stop")
    String jobStop(ObjectNode input);
}
