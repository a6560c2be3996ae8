package io.github.cognitorevoke.example;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.cognitorevoke.TokenRevocationService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.text.ParseException;

/**
 * The protected resource: {@code GET /api/hello} with {@code Authorization: Bearer <access token>}.
 *
 * <p>It checks the token the way an application does without cognito-revoke (signature, issuer,
 * expiry; no call to Cognito), so on its own it would accept a token after logout. The filter in
 * front of it is what turns that into a 401. The same class also answers at
 * {@code /unprotected/hello} (see {@link UnprotectedApplication}), outside the filter, where a revoked
 * token still gets 200.
 */
@Path("hello")
@RequestScoped
public class HelloResource {

    @Inject
    DemoCognito cognito;

    @Inject
    TokenRevocationService revocations;

    @GET
    public Response hello(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized("Bearer realm=\"demo\"", "invalid_request", "send Authorization: Bearer <access token>");
        }
        String token = authorization.substring(7).trim();
        JWTClaimsSet claims;
        try {
            claims = cognito.verify(token);
        } catch (ParseException | BadJOSEException e) {
            return unauthorized("Bearer realm=\"demo\", error=\"invalid_token\"", "invalid_token", e.getMessage());
        } catch (JOSEException e) {
            return Response.status(503).type(MediaType.APPLICATION_JSON)
                    .entity(Json.createObjectBuilder().add("error", "temporarily_unavailable")
                            .add("error_description", "cannot fetch the pool's keys").build().toString())
                    .build();
        }
        String username = claims.getClaim("username") instanceof String u ? u : claims.getSubject();
        JsonObjectBuilder answer = Json.createObjectBuilder()
                .add("message", "Hello, " + username)
                .add("username", username)
                .add("expiresAt", claims.getExpirationTime().toInstant().toString())
                // The library's CDI bean, from application code. Always false under /api: the filter
                // has already turned revoked tokens away. True under /unprotected after a logout.
                .add("revoked", revocations.isRevoked(token))
                .add("pendingRevocations", revocations.pendingRevocations());
        if (!DemoNode.name().isEmpty()) {
            answer.add("node", DemoNode.name()); // which node answered (examples/run --cluster)
        }
        return Response.ok(answer.build().toString(), MediaType.APPLICATION_JSON).build();
    }

    private static Response unauthorized(String challenge, String error, String description) {
        return Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, challenge).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", error)
                        .add("error_description", description == null ? "" : description).build().toString())
                .build();
    }
}
