package io.github.cognitorevoke.example.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * The OpenID Connect settings of the managed-login demo, from the environment ({@code examples/run} sets
 * them; against a real pool, set them yourself): the provider is the user pool's issuer, under which
 * Cognito serves the discovery document.
 */
@Named("demoLogin")
@ApplicationScoped
public class LoginSettings {

    /** @return {@code COGNITO_ISSUER} */
    public String getProviderUri() {
        return System.getenv("COGNITO_ISSUER");
    }

    /** @return {@code COGNITO_CLIENT_ID} */
    public String getClientId() {
        return System.getenv("COGNITO_CLIENT_ID");
    }

    /** @return {@code COGNITO_CLIENT_SECRET} */
    public String getClientSecret() {
        return System.getenv("COGNITO_CLIENT_SECRET");
    }
}
