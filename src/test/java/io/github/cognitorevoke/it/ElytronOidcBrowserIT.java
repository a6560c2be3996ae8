package io.github.cognitorevoke.it;

import io.github.cognitorevoke.it.oidc.PageServlet;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * WildFly's elytron-oidc-client ({@code <auth-method>OIDC</auth-method>}, {@code WEB-INF/oidc.json}) on the
 * real server, signing in through the Cognito stub's managed login in a real headless browser; the filter
 * finds the tokens in the request's {@code OidcSecurityContext} without any setting and without WildFly's
 * classes. The steps are {@link ServerOidcBrowserCase}'s.
 */
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "wildfly")
class ElytronOidcBrowserIT extends ServerOidcBrowserCase {

    private static final String NAME = "oidc-elytron";
    private static final String CLIENT = "6elytronoidc7l8m9n0p1q2r3s4";

    /** Starts the stub first, so that its address can go into the WAR. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        return war(NAME, CLIENT, null);
    }

    /**
     * The WAR of an elytron-oidc-client application on the stub.
     *
     * @param tokenStore {@code "cookie"} for the cookie token store, null for the session (the default)
     */
    static WebArchive war(String name, String client, String tokenStore) {
        Map<String, String> params = startStubAndFilterParams(client);
        String oidcJson = "{\n"
                + "  \"client-id\": \"" + client + "\",\n"
                + "  \"provider-url\": \"" + stub().openIdProviderUri() + "\",\n"
                + "  \"ssl-required\": \"NONE\",\n"
                + "  \"principal-attribute\": \"cognito:username\",\n"
                + (tokenStore == null ? "" : "  \"token-store\": \"" + tokenStore + "\",\n")
                + "  \"credentials\": {\"secret\": \"" + SECRET + "\"}\n"
                + "}\n";
        return TestWars.app(name, params, PageServlet.class)
                .setWebXML(new StringAsset(TestWars.webXml(params, CONSTRAINT
                        + "  <login-config><auth-method>OIDC</auth-method></login-config>\n")))
                .addAsWebInfResource(new StringAsset(oidcJson), "oidc.json");
    }

    /** elytron-oidc-client sends the address the sign-in started at as the redirect URI. */
    @Override
    String callback(URL base) {
        return base + "page";
    }
}
