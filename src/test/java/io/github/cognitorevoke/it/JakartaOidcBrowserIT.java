package io.github.cognitorevoke.it;

import io.github.cognitorevoke.it.oidc.JakartaOidcApp;
import io.github.cognitorevoke.it.oidc.OidcSettings;
import io.github.cognitorevoke.it.oidc.PageServlet;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Jakarta Security 3's OpenID Connect mechanism ({@code @OpenIdAuthenticationMechanismDefinition}) on the
 * real server, signing in through the Cognito stub's managed login in a real headless browser; the filter
 * finds the tokens in the session's {@code OpenIdContext} without any setting. The steps are
 * {@link ServerOidcBrowserCase}'s.
 */
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "wildfly|payara")
class JakartaOidcBrowserIT extends ServerOidcBrowserCase {

    private static final String NAME = "oidc-jakarta";
    private static final String CLIENT = "5jakartaoidc6k7l8m9n0p1q2r3";

    /** Starts the stub first, so that its address can go into the WAR. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> params = startStubAndFilterParams(CLIENT);
        return TestWars.app(NAME, params, PageServlet.class, OidcSettings.class, JakartaOidcApp.class)
                .setWebXML(new StringAsset(TestWars.webXml(params, CONSTRAINT)))
                .addAsResource(new StringAsset(settings(stub(), CLIENT)),
                        "oidc-it.properties")
                .addAsWebInfResource(new StringAsset(
                        "<jboss-web><security-domain>" + SecuredApp.WILDFLY_DOMAIN + "</security-domain></jboss-web>\n"),
                        "jboss-web.xml");
    }

    @Override
    String callback(URL base) {
        return base + "callback";
    }
}
