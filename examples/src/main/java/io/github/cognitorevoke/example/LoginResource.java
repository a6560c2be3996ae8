package io.github.cognitorevoke.example;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;

/**
 * Login for the demo page: {@code POST /api/login} (form {@code username}, {@code password}) and
 * {@code POST /api/refresh} (form {@code username}, {@code refresh_token}) call Cognito's
 * {@code InitiateAuth} and hand the tokens to the page. Tokens are never logged.
 */
@Path("")
@RequestScoped
public class LoginResource {

    @Inject
    DemoCognito cognito;

    @Inject
    ServletContext servletContext;

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@FormParam("username") String username, @FormParam("password") String password) {
        if (blank(username) || blank(password)) {
            return error(400, "invalid_request", "username and password are required");
        }
        try {
            InitiateAuthResponse answer = cognito.login(username.trim(), password);
            if (answer.authenticationResult() == null) {
                return error(409, "challenge", "Cognito asks for " + answer.challengeNameAsString()
                        + "; this demo only handles users with a permanent password");
            }
            return tokens(answer.authenticationResult());
        } catch (CognitoIdentityProviderException e) {
            return cognitoError(e);
        } catch (SdkClientException e) {
            return error(502, "cognito_unreachable", e.getMessage());
        }
    }

    @POST
    @Path("refresh")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response refresh(@FormParam("username") String username, @FormParam("refresh_token") String refreshToken) {
        if (blank(refreshToken)) {
            return error(400, "invalid_request", "refresh_token is required");
        }
        try {
            return tokens(cognito.refresh(username, refreshToken.trim()));
        } catch (CognitoIdentityProviderException e) {
            return cognitoError(e);
        } catch (SdkClientException e) {
            return error(502, "cognito_unreachable", e.getMessage());
        }
    }

    /** What the page shows in its header: which server and node, which Cognito; the other node, if any. */
    @GET
    @Path("info")
    public Response info() {
        String endpoint = System.getenv("COGNITO_ENDPOINT");
        return Response.ok(Json.createObjectBuilder()
                .add("server", servletContext.getServerInfo())
                .add("cognito", endpoint == null || endpoint.isBlank()
                        ? "AWS Cognito, " + System.getenv().getOrDefault("COGNITO_REGION", "eu-west-1") : endpoint)
                .add("userPoolId", String.valueOf(System.getenv("COGNITO_USER_POOL_ID")))
                .add("clientId", cognito.clientId())
                .add("node", DemoNode.name())
                .add("peer", DemoNode.peer().map(Object::toString).orElse(""))
                .build().toString(), MediaType.APPLICATION_JSON).build();
    }

    private static Response tokens(AuthenticationResultType result) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("access_token", result.accessToken())
                .add("id_token", result.idToken());
        // cognito-local leaves these out; Cognito sends "Bearer" and the lifetime in seconds.
        if (result.tokenType() != null) {
            json.add("token_type", result.tokenType());
        }
        if (result.expiresIn() != null) {
            json.add("expires_in", result.expiresIn());
        }
        if (result.refreshToken() != null) { // REFRESH_TOKEN_AUTH answers without one
            json.add("refresh_token", result.refreshToken());
        }
        String username = usernameOf(result.accessToken());
        if (username != null) {
            json.add("username", username);
        }
        return Response.ok(json.build().toString(), MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store").build();
    }

    /** The {@code username} claim, read without verification: the token comes straight from Cognito. */
    private static String usernameOf(String accessToken) {
        try {
            String payload = accessToken.split("\\.")[1];
            return Json.createReader(new java.io.StringReader(
                    new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)))
                    .readObject().getString("username", null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Response cognitoError(CognitoIdentityProviderException e) {
        String name = e.awsErrorDetails() == null ? "CognitoError" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        int status = switch (String.valueOf(name)) {
            case "NotAuthorizedException", "UserNotFoundException", "PasswordResetRequiredException",
                    "UserNotConfirmedException",
                    "InvalidPasswordException" -> 401; // cognito-local's answer to a wrong password
            case "InvalidParameterException" -> 400;
            case "TooManyRequestsException" -> 429;
            default -> 502;
        };
        return error(status, name, message);
    }

    private static Response error(int status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", error)
                        .add("error_description", description == null ? "" : description).build().toString())
                .build();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
