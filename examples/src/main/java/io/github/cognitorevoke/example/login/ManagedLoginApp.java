package io.github.cognitorevoke.example.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.OpenIdAuthenticationMechanismDefinition;
import jakarta.security.enterprise.authentication.mechanism.http.openid.ClaimsDefinition;

/**
 * The sign-in of the managed-login demo ({@code demo-login.war}, {@code examples/run --managed-login}): the
 * server's own OpenID Connect client (Jakarta Security 3) against Cognito's managed login, the caller named
 * by {@code cognito:username}. The tokens stay in the server's session; cognito-revoke finds them there
 * without configuration.
 */
@ApplicationScoped
@OpenIdAuthenticationMechanismDefinition(
        providerURI = "${demoLogin.providerUri}",
        clientId = "${demoLogin.clientId}",
        clientSecret = "${demoLogin.clientSecret}",
        redirectURI = "${baseURL}/callback",
        redirectToOriginalResource = true,
        scope = {"openid", "profile"},
        claimsDefinition = @ClaimsDefinition(callerNameClaim = "cognito:username"))
public class ManagedLoginApp {
}
