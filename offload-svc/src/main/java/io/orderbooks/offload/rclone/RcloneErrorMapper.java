package io.orderbooks.offload.rclone;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderbooks.shared.records.Json;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Turns an rc error reply into {@link RcloneCallException}. Only the {@code error} text is kept: the reply also echoes
 * the call's {@code input}, which may hold an on-the-fly remote's (obscured) password.
 */
public class RcloneErrorMapper implements ResponseExceptionMapper<RcloneCallException> {
    @Override
    public RcloneCallException toThrowable(Response response) {
        String message = "HTTP " + response.getStatus();
        try {
            String body = response.readEntity(String.class);
            JsonNode n = body == null || body.isBlank() ? null : Json.parse(body.getBytes(StandardCharsets.UTF_8));
            if (n != null && n.hasNonNull("error")) {
                message = n.get("error").asText();
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON (a proxy, or the wrong port): the status alone is the message.
        }
        return new RcloneCallException(response.getStatus(), message);
    }

    @Override
    public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }
}
