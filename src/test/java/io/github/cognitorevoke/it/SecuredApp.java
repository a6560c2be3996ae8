package io.github.cognitorevoke.it;

import static io.github.cognitorevoke.it.AppClient.REVOKED_CHALLENGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.it.app.BearerTokenMechanism;
import io.github.cognitorevoke.it.app.ConstrainedServlet;
import io.github.cognitorevoke.it.app.SessionTokenResolver;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * A test application whose container authenticates bearer tokens itself (a Jakarta Security
 * {@link BearerTokenMechanism}) and guards {@code /constrained} with a {@code security-constraint} (role
 * {@code user}), with {@code RevocationFilter} on {@code /*} as usual; and a client for it that sends the
 * session cookie only when told to (it keeps no cookies of its own).
 *
 * <p>On WildFly the WAR names the application security domain {@value #WILDFLY_DOMAIN} in
 * {@code jboss-web.xml}: the build adds it to the test server's {@code standalone.xml}
 * ({@code src/it/wildfly/jakarta-security.cli}), mapped to {@code ApplicationDomain} with
 * {@code integrated-jaspi=false}, so that the mechanism's callers need not exist in a realm of the server.
 * Payara ignores that file and maps the group {@code user} to the role {@code user} by default.
 */
final class SecuredApp {

    /** The application security domain the build adds to the test WildFly. */
    static final String WILDFLY_DOMAIN = "cognito-revoke-it";
    /** The session cookie of both servers. */
    static final String SESSION_COOKIE = "JSESSIONID";

    private static final String SECURITY = """
              <security-constraint>
                <web-resource-collection>
                  <web-resource-name>constrained</web-resource-name>
                  <url-pattern>/constrained/*</url-pattern>
                </web-resource-collection>
                <auth-constraint>
                  <role-name>user</role-name>
                </auth-constraint>
              </security-constraint>
              <security-role>
                <role-name>user</role-name>
              </security-role>
            """;

    private final URI base;
    private final AppClient client;

    /**
     * A client for one deployment.
     *
     * @param base the deployment's URL, as Arquillian injects it
     */
    SecuredApp(URL base) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.client = new AppClient(base);
    }

    /**
     * The WAR: {@link TestWars#app} with the mechanism, {@link ConstrainedServlet} and the constraint, and
     * {@link SessionTokenResolver} for a filter that names it.
     *
     * @param name the WAR's name, without {@code .war}
     * @param initParams the filter's init-params
     * @param mechanism the one concrete mechanism of the application
     * @return the WAR
     */
    static WebArchive war(String name, Map<String, String> initParams,
                          Class<? extends BearerTokenMechanism> mechanism) {
        return TestWars.app(name, initParams, BearerTokenMechanism.class, mechanism, ConstrainedServlet.class,
                        SessionTokenResolver.class)
                .setWebXML(new StringAsset(TestWars.webXml(initParams, SECURITY)))
                .addAsWebInfResource(new StringAsset(
                        "<jboss-web><security-domain>" + WILDFLY_DOMAIN + "</security-domain></jboss-web>\n"),
                        "jboss-web.xml");
    }

    /**
     * {@code GET path}.
     *
     * @param path relative to the context root
     * @param bearer the access token for {@code Authorization: Bearer}, or null
     * @param sessionCookie {@code JSESSIONID=...} for a {@code Cookie} header, or null
     * @return the response
     */
    HttpResponse<String> get(String path, String bearer, String sessionCookie) {
        return client.send(request(path, bearer, sessionCookie).GET());
    }

    /**
     * The filter's logout: {@code POST /logout}, the access token as bearer, an empty form.
     *
     * @param bearer the access token
     * @param sessionCookie {@code JSESSIONID=...}, or null
     * @return the response
     */
    HttpResponse<String> logout(String bearer, String sessionCookie) {
        return client.send(request("logout", bearer, sessionCookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")));
    }

    /**
     * {@code GET /constrained} with the token alone: 200, and the session cookie, if the container opened a
     * session.
     *
     * @param accessToken a live access token
     * @return {@code JSESSIONID=<id>}, or empty
     */
    Optional<String> constrainedWith(String accessToken) {
        HttpResponse<String> r = get("constrained", accessToken, null);
        assertThat(r.statusCode()).as("GET constrained with a live token").isEqualTo(200);
        return sessionCookie(r);
    }

    /**
     * {@code GET /constrained} with the token alone, for a container that keeps callers in the session.
     *
     * @param accessToken a live access token
     * @return the session cookie the container set, {@code JSESSIONID=<id>}
     */
    String openSession(String accessToken) {
        return constrainedWith(accessToken).orElseThrow(() -> new AssertionError("the container opened no session"));
    }

    /**
     * Asserts that the constrained resource answers to this caller.
     *
     * @param user the caller the container is expected to establish
     * @param bearer the access token, or null
     * @param sessionCookie {@code JSESSIONID=...}, or null
     */
    void assertServes(StubTokens user, String bearer, String sessionCookie) {
        HttpResponse<String> r = get("constrained", bearer, sessionCookie);
        assertThat(r.statusCode()).as("GET constrained").isEqualTo(200);
        assertThat(r.body()).as("the caller the container established")
                .isEqualTo(ConstrainedServlet.BODY + user.accessClaims().getSubject());
    }

    /**
     * Asserts the filter's 401 for a revoked token (its {@code WWW-Authenticate}, not the container's),
     * without the resource's body.
     *
     * @param path {@code constrained} or {@code protected}
     * @param bearer the access token, or null
     * @param sessionCookie {@code JSESSIONID=...}, or null
     * @return the response
     */
    HttpResponse<String> assertRevokedByTheFilter(String path, String bearer, String sessionCookie) {
        HttpResponse<String> r = get(path, bearer, sessionCookie);
        assertThat(r.statusCode()).as("GET " + path).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).as("who answered GET " + path)
                .hasValue(REVOKED_CHALLENGE);
        assertThat(r.body()).doesNotContain(ConstrainedServlet.BODY).doesNotContain("protected resource");
        return r;
    }

    /**
     * Asserts the container's own 401 for {@code GET /constrained} (the mechanism's challenge).
     *
     * @param bearer the access token, or null
     * @param sessionCookie {@code JSESSIONID=...}, or null
     */
    void assertRefusedByTheContainer(String bearer, String sessionCookie) {
        HttpResponse<String> r = get("constrained", bearer, sessionCookie);
        assertThat(r.statusCode()).as("GET constrained").isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).as("who answered")
                .hasValue(BearerTokenMechanism.CHALLENGE);
        assertThat(r.body()).doesNotContain(ConstrainedServlet.BODY);
    }

    /**
     * The session cookie a response sets.
     *
     * @param r a response
     * @return {@code JSESSIONID=<id>}, ready for a {@code Cookie} header, if the response sets one
     */
    static Optional<String> sessionCookie(HttpResponse<?> r) {
        return r.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(SESSION_COOKIE + "="))
                .map(c -> c.split(";", 2)[0])
                .findFirst();
    }

    private HttpRequest.Builder request(String path, String bearer, String sessionCookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            RunSecrets.remember(bearer);
            b.header("Authorization", "Bearer " + bearer);
        }
        if (sessionCookie != null) {
            b.header("Cookie", sessionCookie);
        }
        return b;
    }
}
