package io.github.cognitorevoke.it;

import io.github.cognitorevoke.support.StubSettings;
import static io.github.cognitorevoke.it.AppClient.REVOKED_CHALLENGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Managed login and the load balancer in a real server (WildFly or Payara, one deployment) against
 * the Cognito wire stub in this test JVM: a browser's logout answers 303 to exactly the configured
 * Cognito {@code /logout}, which the stub accepts and sends on to {@code logoutUri}, and the tokens
 * are rejected afterwards; a logout through the load balancer's header expires its session cookies.
 *
 * <p>Runs in the Failsafe executions {@code it-wildfly} and {@code it-payara} (the Arquillian
 * ones); disabled elsewhere, so that {@code -Dit.test=ManagedLoginLogoutIT} does not start it in
 * {@code it-cluster}, which has no Arquillian adapter.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "wildfly|payara")
class ManagedLoginLogoutIT {

    private static final String CLIENT = "3managedlogin4k1j5g6f7d8s9a"; // a Cognito-shaped client id
    private static final String LOGOUT_URI = "http://127.0.0.1:8080/managed/signed-out";
    private static final String LOGOUT_URI_ENCODED = "http%3A%2F%2F127.0.0.1%3A8080%2Fmanaged%2Fsigned-out";
    private static final String ALB = "AWSELBAuthSessionCookie";
    private static final String ALB_HEADER = "X-Amzn-Oidc-Accesstoken";

    private static CognitoStub stub;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @ArquillianResource
    private URL base;

    private static AppClient app;

    /** Runs before any beforeAll: starts the stub here, so its port can go into web.xml. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, null, true);
        stub.setLogoutUrls(CLIENT, LOGOUT_URI);
        Map<String, String> params = StubSettings.initParameters(stub, CLIENT);
        params.put("cognitoDomain", stub.managedLoginDomain().toString());
        params.put("logoutUri", LOGOUT_URI);
        params.put("accessTokenCookie", "AT");
        params.put("refreshTokenCookie", "RT");
        params.put("albSessionCookie", ALB);
        return TestWars.app("managed", params);
    }

    @AfterAll
    static void stopStub() {
        if (stub != null) {
            stub.close();
        }
    }

    @BeforeEach
    void setUp() {
        if (app == null) {
            app = new AppClient(base).requireDeployed();
        }
        stub.clearRevokeCalls();
    }

    private static StubTokens login(String username) {
        StubTokens t = stub.login(CLIENT, username);
        RunSecrets.remember(t.accessToken());
        RunSecrets.remember(t.idToken());
        RunSecrets.remember(t.refreshToken());
        return t;
    }

    private static String cognitoLogout() {
        return stub.managedLoginDomain() + "/logout?client_id=" + CLIENT + "&logout_uri=" + LOGOUT_URI_ENCODED;
    }

    /** {@code POST logout} as a browser sends it: no bearer header, these headers, an empty form. */
    private HttpResponse<String> browserLogout(String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString().replaceFirst("/?$", "/logout")))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString(""));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRejectedAsRevoked(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("status for a revoked token").isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(REVOKED_CHALLENGE);
    }

    private HttpResponse<String> protectedWithAlbHeader(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base.toString().replaceFirst("/?$", "/protected")))
                .timeout(Duration.ofSeconds(30)).header(ALB_HEADER, token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Max-Age=0, or an Expires in 1970 (Undertow writes {@code 01-Jan-1970}). */
    private static boolean expired(String setCookie) {
        return setCookie.contains("Max-Age=0") || setCookie.contains("1970");
    }

    @Test
    void browserLogoutWithCookies_303ToCognitosLogoutExactly_thenTheTokensAre401() throws Exception {
        StubTokens alice = login("alice");
        assertThat(app.get("protected", alice.accessToken()).statusCode()).isEqualTo(200);

        HttpResponse<String> r = browserLogout("Cookie", "AT=" + alice.accessToken() + "; RT=" + alice.refreshToken());

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().allValues("Location")).containsExactly(cognitoLogout());
        assertThat(stub.isRevoked(alice.refreshToken())).isTrue();
        assertRejectedAsRevoked(app.get("protected", alice.accessToken()));
        assertRejectedAsRevoked(app.get("protected", alice.idToken()));

        HttpResponse<String> atCognito = http.send(HttpRequest.newBuilder(URI.create(cognitoLogout())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(atCognito.statusCode()).as("the stub's managed login accepts the Location").isEqualTo(302);
        assertThat(atCognito.headers().firstValue("Location")).contains(LOGOUT_URI);
    }

    @Test
    void bearerLogout_isNotSentToCognito() throws Exception {
        StubTokens bob = login("bob");
        HttpResponse<String> r = app.logout(bob.accessToken(), bob.refreshToken());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void logoutThroughTheLoadBalancer_expiresItsSessionCookies_redirects_andTheTokenIs401() throws Exception {
        StubTokens carol = login("carol");
        assertThat(protectedWithAlbHeader(carol.accessToken()).statusCode()).isEqualTo(200);

        HttpResponse<String> r = browserLogout(ALB_HEADER, carol.accessToken(),
                "Cookie", ALB + "-0=shard0; " + ALB + "-1=shard1; theme=dark");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().allValues("Location")).containsExactly(cognitoLogout());
        List<String> setCookies = r.headers().allValues("Set-Cookie");
        for (String shard : List.of(ALB + "-0=", ALB + "-1=")) {
            assertThat(setCookies).as("Set-Cookie for " + shard).anySatisfy(c -> assertThat(c).startsWith(shard)
                    .matches(ManagedLoginLogoutIT::expired).containsIgnoringCase("path=/")
                    .containsIgnoringCase("secure").containsIgnoringCase("httponly"));
        }
        assertThat(setCookies).noneSatisfy(c -> assertThat(c).startsWith("theme="));
        assertThat(stub.revokeCalls()).as("the load balancer keeps the refresh token").isEmpty();
        assertRejectedAsRevoked(protectedWithAlbHeader(carol.accessToken()));
        assertRejectedAsRevoked(app.get("protected", carol.accessToken()));
    }
}
