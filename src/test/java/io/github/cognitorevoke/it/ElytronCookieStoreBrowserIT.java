package io.github.cognitorevoke.it;

import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@link ElytronOidcBrowserIT} with {@code "token-store": "cookie"}: elytron-oidc-client keeps the tokens in
 * its {@code OIDC_STATE} cookie instead of the session and reads the caller back from it on every request,
 * so "Log out" and a session ended for a revoked token must expire that cookie too: else the browser stays
 * signed in with the revoked token, and a page load is sent round for ever. The steps are
 * {@link ServerOidcBrowserCase}'s.
 */
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "wildfly")
class ElytronCookieStoreBrowserIT extends ServerOidcBrowserCase {

    private static final String NAME = "oidc-elytron-cookie";
    private static final String CLIENT = "7elytroncookie8m9n0p1q2r3s4";

    /** Starts the stub first, so that its address can go into the WAR. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        return ElytronOidcBrowserIT.war(NAME, CLIENT, "cookie");
    }

    /** elytron-oidc-client sends the address the sign-in started at as the redirect URI. */
    @Override
    String callback(URL base) {
        return base + "page";
    }
}
