package io.github.cognitorevoke.bench;

import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The benchmark's protected resource, shaped like the example's: {@code GET /api/hello} with
 * {@code Authorization: Bearer <access token>}, verified locally. On its own it accepts a token
 * after logout; {@code RevocationFilter} in front of it (in one of the two WARs) turns that into a 401.
 */
@Path("hello")
@RequestScoped
public class HelloResource {

    @Inject
    TokenVerifier verifier;

    @GET
    public Response hello(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Response.status(401).build();
        }
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(authorization.substring(7).trim());
        } catch (Exception e) {
            return Response.status(403).build();
        }
        return Response.ok("{\"message\":\"Hello, " + claims.getSubject() + "\"}", MediaType.APPLICATION_JSON).build();
    }
}
