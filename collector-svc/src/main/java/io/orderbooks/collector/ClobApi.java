package io.orderbooks.collector;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

/** CLOB REST, read-only: {@code POST /books} (body {@code [{"token_id":…}]}, at most 500; docs prices-order-books). */
@RegisterRestClient(configKey = "clob-api")
@ClientHeaderParam(name = "User-Agent", value = "{io.orderbooks.support.UserAgent.value}")
public interface ClobApi {
    /** Raw bytes: the books are stored verbatim, never re-serialised. */
    @POST
    @Path("/books")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    RestResponse<byte[]> books(byte[] body);
}
