package io.orderbooks.offload.rclone;

import io.orderbooks.offload.RcCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/** HTTP basic auth for the rc API ({@code rclone rcd --rc-user/--rc-pass}), from {@link RcCredentials}. */
@ApplicationScoped
public class RcloneAuthHeaders implements ClientHeadersFactory {
    @Inject
    RcCredentials credentials;

    @Override
    public MultivaluedMap<String, String> update(
            MultivaluedMap<String, String> incoming, MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        headers.add("Authorization", credentials.basicAuth());
        return headers;
    }
}
