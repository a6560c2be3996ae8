package io.github.cognitorevoke.it.oidc;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The test WAR's OpenID Connect settings (the stub's address is known only when the test runs), read from
 * {@code oidc-it.properties} in the WAR and named for the mechanism definition's expressions.
 */
@Named("oidcSettings")
@ApplicationScoped
public class OidcSettings {

    private final Properties p = new Properties();

    /** Reads the WAR's settings. */
    public OidcSettings() {
        try (InputStream in = OidcSettings.class.getResourceAsStream("/oidc-it.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The content of {@code oidc-it.properties}.
     *
     * @param providerUri  the provider's issuer
     * @param clientId     the app client id
     * @param clientSecret the app client secret
     * @return the properties file's text
     */
    public static String properties(String providerUri, String clientId, String clientSecret) {
        return "providerUri=" + providerUri + "\nclientId=" + clientId + "\nclientSecret=" + clientSecret + "\n";
    }

    /** @return the provider's issuer, under which discovery is found */
    public String getProviderUri() {
        return p.getProperty("providerUri");
    }

    /** @return the app client id */
    public String getClientId() {
        return p.getProperty("clientId");
    }

    /** @return the app client secret */
    public String getClientSecret() {
        return p.getProperty("clientSecret");
    }
}
