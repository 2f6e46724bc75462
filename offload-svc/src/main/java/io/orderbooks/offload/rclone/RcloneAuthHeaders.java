package io.orderbooks.offload.rclone;

import io.orderbooks.offload.OffloadConfig;
import io.orderbooks.offload.RcPassword;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/** HTTP basic auth for the rc API ({@code rclone rcd --rc-user/--rc-pass}). */
@ApplicationScoped
public class RcloneAuthHeaders implements ClientHeadersFactory {
    @Inject
    OffloadConfig config;

    /** Read once: a generated password file only changes with a new `up`, which restarts this service too. */
    private volatile String header;

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
                                                 MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        if (header == null) {
            String token = config.rcloneUser() + ":" + RcPassword.resolve(config.rclonePass().orElse(""), config.rclonePassFile()).password();
            header = "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        }
        headers.add("Authorization", header);
        return headers;
    }
}
