package io.orderbooks.discovery;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Gamma, read-only: {@code GET /markets/keyset} returns {@code {"markets":[…],"next_cursor":"…"}}; the next page is
 * asked for with {@code after_cursor} (docs list-markets-keyset-pagination). The body is taken as raw bytes: it is
 * stored verbatim and parsed with Jackson's tree API, never bound to classes.
 */
@RegisterRestClient(configKey = "gamma-api")
@ClientHeaderParam(name = "User-Agent", value = "{io.orderbooks.support.UserAgent.value}")
public interface GammaApi {
    @GET
    @Path("/markets/keyset")
    @Produces(MediaType.APPLICATION_JSON)
    RestResponse<byte[]> marketsKeyset(@RestQuery MultivaluedMap<String, String> query);
}
