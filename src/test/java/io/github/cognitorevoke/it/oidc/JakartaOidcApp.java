package io.github.cognitorevoke.it.oidc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.OpenIdAuthenticationMechanismDefinition;
import jakarta.security.enterprise.authentication.mechanism.http.openid.ClaimsDefinition;

/**
 * The application's sign-in: Jakarta Security 3's OpenID Connect mechanism against the Cognito stub's
 * managed login, as an application would set it up against Cognito (caller name from
 * {@code cognito:username}); the tokens stay in the session's {@code OpenIdContext}.
 */
@ApplicationScoped
@OpenIdAuthenticationMechanismDefinition(
        providerURI = "${oidcSettings.providerUri}",
        clientId = "${oidcSettings.clientId}",
        clientSecret = "${oidcSettings.clientSecret}",
        redirectURI = "${baseURL}/callback",
        redirectToOriginalResource = true,
        scope = {"openid", "profile"},
        claimsDefinition = @ClaimsDefinition(callerNameClaim = "cognito:username"))
public class JakartaOidcApp {
}
