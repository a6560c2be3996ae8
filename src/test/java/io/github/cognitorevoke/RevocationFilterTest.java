package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cognitorevoke.support.JettyFixture;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The filter in a real servlet container (embedded Jetty), over real HTTP, against the Cognito wire
 * stub. Every answer a client can get is pinned here.
 */
class RevocationFilterTest {

    private static final String CLIENT = "webclient";
    private static final String REVOKED_HEADER =
            "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked\"";

    private static CognitoStub stub;
    private static JettyFixture jetty;
    private static String base;
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void startServer() throws Exception {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, null, true);
        jetty = JettyFixture.start(
                context("/app", Map.of()),
                context("/cookies", Map.of(
                        "accessTokenCookie", "AT", "refreshTokenCookie", "RT",
                        "logoutPaths", "/logout, /auth/signout", "logoutRedirect", "/bye.html")),
                context("/custom", Map.of("tokenResolver", HeaderTokenResolver.class.getName())));
        base = jetty.base();
    }

    private static ServletContextHandler context(String path, Map<String, String> extra) {
        return JettyFixture.app(stub, path, extra);
    }

    @AfterAll
    static void stopServer() throws Exception {
        jetty.close();
        stub.close();
    }

    @BeforeEach
    void clear() {
        stub.clearRevokeCalls();
    }

    // ------------------------------------------------------------------ requests

    private static final java.util.concurrent.atomic.AtomicInteger USERS = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A user of this test alone: the tests share the stub, and a logout ends its token's sign-in
     * (sub + auth_time), which another test's sign-in of the same user in the same second shares.
     */
    private static String someone() {
        return "alice-" + USERS.incrementAndGet();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String refreshForm(String refreshToken) {
        return "refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8);
    }

    /** Max-Age=0, or the epoch Expires that containers write for it. */
    private static boolean expired(String setCookie) {
        return setCookie.contains("Max-Age=0") || setCookie.contains("Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static void assertError(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        assertThat(r.body()).contains("\"error\":\"" + error + "\"").contains("\"error_description\":\"");
    }

    // ------------------------------------------------------------------ logout

    @Test
    void logout_withBothTokens_204_thenTokenAndSiblingsRejectedWithRfc6750Header() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        StubTokens sibling = stub.refresh(CLIENT, t.refreshToken());
        StubTokens bob = stub.login(CLIENT, "bob");
        assertThat(get("/app/api/data", "Authorization", bearer(t.accessToken())).statusCode()).isEqualTo(200);

        HttpResponse<String> logout = post("/app/logout", refreshForm(t.refreshToken()),
                "Authorization", bearer(t.accessToken()));

        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
        for (String token : List.of(t.accessToken(), sibling.accessToken(), sibling.idToken())) {
            HttpResponse<String> r = get("/app/api/data", "Authorization", bearer(token));
            assertError(r, 401, "invalid_token");
            assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly(REVOKED_HEADER);
        }
        assertThat(get("/app/api/data", "Authorization", bearer(bob.accessToken())).body()).startsWith("ok");
    }

    @Test
    void logout_invalidatesExistingSession() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        HttpResponse<String> login = get("/app/api/data?session=1", "Authorization", bearer(t.accessToken()));
        String sessionCookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(get("/app/api/data", "Cookie", sessionCookie).body()).isEqualTo("ok session");

        assertThat(post("/app/logout", "", "Authorization", bearer(t.accessToken()), "Cookie", sessionCookie)
                .statusCode()).isEqualTo(204);

        assertThat(get("/app/api/data", "Cookie", sessionCookie).body()).isEqualTo("ok nosession");
    }

    @Test
    void logout_withCookies_303ToContextRelativeRedirect_andCookiesExpired() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        String cookies = "AT=" + t.accessToken() + "; RT=" + t.refreshToken();

        HttpResponse<String> logout = post("/cookies/auth/signout", "", "Cookie", cookies);

        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Location")).hasValueSatisfying(
                l -> assertThat(l).endsWith("/cookies/bye.html"));
        assertThat(logout.headers().allValues("Set-Cookie"))
                .anySatisfy(c -> assertThat(c).startsWith("AT=").matches(RevocationFilterTest::expired).contains("Path=/cookies"))
                .anySatisfy(c -> assertThat(c).startsWith("RT=").matches(RevocationFilterTest::expired));
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
        HttpResponse<String> after = get("/cookies/api", "Cookie", "AT=" + t.accessToken());
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.headers().firstValue("WWW-Authenticate")).contains(REVOKED_HEADER);
    }

    @Test
    void logout_accessTokenOnly_204_noCognitoCall() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        assertThat(post("/app/logout", "", "Authorization", bearer(t.accessToken())).statusCode()).isEqualTo(204);
        assertThat(stub.revokeCallCount()).isZero();
        assertThat(get("/app/x", "Authorization", bearer(t.accessToken())).statusCode()).isEqualTo(401);
    }

    @Test
    void logout_refreshTokenOnly_204_revokedAtCognito() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        assertThat(post("/app/logout", refreshForm(t.refreshToken())).statusCode()).isEqualTo(204);
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
    }

    @Test
    void logout_customResolver_readsItsHeaders() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        assertThat(post("/custom/logout", "", "X-Access-Token", t.accessToken(), "X-Refresh-Token", t.refreshToken())
                .statusCode()).isEqualTo(204);
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
        assertThat(get("/custom/x", "X-Access-Token", t.accessToken()).statusCode()).isEqualTo(401);
    }

    @Test
    void logout_withoutTokens_400InvalidRequest() throws Exception {
        assertError(post("/app/logout", ""), 400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE"})
    void logout_otherMethod_405AllowPost(String method) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/app/logout"))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertError(r, 405, "invalid_request");
        assertThat(r.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void logout_forgedAccessToken_401_nothingRevoked_realTokenStillWorks() throws Exception {
        StubTokens victim = stub.login(CLIENT, someone());
        String forged = stub.jwt().signWithUnknownKey(victim.accessClaims());

        HttpResponse<String> r = post("/app/logout", refreshForm(victim.refreshToken()), "Authorization", bearer(forged));

        assertError(r, 401, "invalid_token");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                h -> assertThat(h).startsWith("Bearer error=\"invalid_token\""));
        assertThat(stub.revokeCallCount()).isZero();
        assertThat(get("/app/x", "Authorization", bearer(victim.accessToken())).statusCode()).isEqualTo(200);
    }

    @Test
    void logout_cognitoThrottling_202_thenRevokedInBackground() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        stub.failNext(1, "TooManyRequestsException");

        HttpResponse<String> r = post("/app/logout", refreshForm(t.refreshToken()), "Authorization", bearer(t.accessToken()));

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"status\":\"pending\"");
        assertThat(get("/app/x", "Authorization", bearer(t.accessToken())).statusCode()).isEqualTo(401);
        // The retry thread's first attempt comes after about a second of backoff.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(stub.isRevoked(t.refreshToken())).isTrue());
    }

    @Test
    void logout_revocationNotEnabled_502ServerError_localLogoutStands() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        stub.failNext(1, "UnsupportedOperationException");

        HttpResponse<String> r = post("/app/logout", refreshForm(t.refreshToken()), "Authorization", bearer(t.accessToken()));

        assertError(r, 502, "server_error");
        assertThat(get("/app/x", "Authorization", bearer(t.accessToken())).statusCode()).isEqualTo(401);
    }

    @Test
    void logout_accessTokenAsRefreshToken_400UnsupportedTokenType() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        assertError(post("/app/logout", refreshForm(t.accessToken())), 400, "unsupported_token_type");
    }

    @Test
    void logout_refreshTokenAloneNotShapedLikeOne_400InvalidRequest_noCognitoCall() throws Exception {
        assertError(post("/app/logout", refreshForm("garbage")), 400, "invalid_request");
        assertThat(stub.revokeCallCount()).isZero();
    }

    @Test
    void logout_jwksUnreachable_503_nothingChanged() throws Exception {
        // Its own pool and server: breaking the key set must not disturb the other tests.
        try (CognitoStub own = CognitoStub.start()) {
            own.addClient(CLIENT, null, true);
            StubTokens t = own.login(CLIENT, "alice");
            own.failJwksNext(100);
            try (JettyFixture alone = JettyFixture.start(JettyFixture.app(own, "/solo", Map.of()))) {
                HttpRequest logout = HttpRequest.newBuilder(URI.create(alone.base() + "/solo/logout"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", bearer(t.accessToken()))
                        .POST(HttpRequest.BodyPublishers.ofString(refreshForm(t.refreshToken()))).build();
                HttpResponse<String> r = http.send(logout, HttpResponse.BodyHandlers.ofString());

                assertError(r, 503, "temporarily_unavailable");
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(own.isRevoked(t.refreshToken())).isFalse();
                assertThat(own.revokeCallCount()).isZero();
            }
        }
    }

    // ------------------------------------------------------------------ malformed requests

    @Test
    void logout_twoAuthorizationHeaders_400() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        assertError(post("/app/logout", "", "Authorization", bearer(t.accessToken()),
                "Authorization", bearer(t.accessToken())), 400, "invalid_request");
        assertThat(get("/app/x", "Authorization", bearer(t.accessToken())).statusCode()).isEqualTo(200);
    }

    @Test
    void logout_twoRefreshTokens_400() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        assertError(post("/app/logout", refreshForm(t.refreshToken()) + "&" + refreshForm(t.refreshToken())),
                400, "invalid_request");
        assertThat(stub.revokeCallCount()).isZero();
    }

    @Test
    void logout_refreshTokenInQueryString_400() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        assertError(post("/app/logout?" + refreshForm(t.refreshToken()), ""), 400, "invalid_request");
        assertThat(stub.revokeCallCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer a b", "Bearer ä", "Bearer =abc", "bearer\tabc",
            "Bearer " + "eyJhbGciOiJSUzI1NiJ9.e30.c2ln!!", "Bearerabc"})
    void logout_malformedBearerHeader_4xx(String header) throws Exception {
        HttpResponse<String> r = post("/app/logout", "", "Authorization", header);
        assertThat(r.statusCode()).isBetween(400, 499);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer a b", "Bearer ä", "Basic dXNlcjpwYXNz", "Bearer a.b.c",
            "Bearer eyJ.eyJ.x", "Bearer ....", "Bearer e30.e30.e30", "Bearer W10.W10.W10", "Negotiate", ""})
    void request_malformedAuthorization_passesThrough(String header) throws Exception {
        assertThat(get("/app/x", "Authorization", header).statusCode()).isEqualTo(200);
    }

    @Test
    void request_twoAuthorizationHeaders_passesThrough() throws Exception {
        assertThat(get("/app/x", "Authorization", "Bearer a.b.c", "Authorization", "Bearer d.e.f").statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(ints = {8 * 1024, 17 * 1024, 64 * 1024})
    void request_oversizedAuthorization_neverServerError(int size) throws Exception {
        String header = "Bearer " + "a".repeat(size);
        assertThat(get("/app/x", "Authorization", header).statusCode()).isLessThan(500);
        assertThat(post("/app/logout", "", "Authorization", header).statusCode()).isBetween(400, 499);
    }

    @Test
    void request_revokedTokenWithDifferentSchemeCase_stillRejected() throws Exception {
        StubTokens t = stub.login(CLIENT, someone());
        post("/app/logout", "", "Authorization", bearer(t.accessToken()));
        assertThat(get("/app/x", "Authorization", "bEaReR " + t.accessToken()).statusCode()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ deployment

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "logoutRedirect|https://evil.example/", "tokenResolver|com.example.Missing",
            "tokenResolver|java.lang.String", "clientSecret|${env:COGNITO_REVOKE_TEST_UNSET}",
            "clientSecert|typo", "clockSkew|fast"})
    void deployment_badInitParam_failsNamingIt(String name, String value) {
        assertDeploymentFails(context("/bad", Map.of(name, value)), "'" + name + "'");
    }

    @Test
    void deployment_filterDeclaredTwice_fails() {
        ServletContextHandler context = context("/twice", Map.of());
        FilterHolder second = new FilterHolder(RevocationFilter.class);
        StubSettings.initParameters(stub, CLIENT).forEach(second::setInitParameter);
        context.addFilter(second, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        assertDeploymentFails(context, "declared more than once");
    }

    static void assertDeploymentFails(ServletContextHandler context, String message) {
        assertThatThrownBy(() -> JettyFixture.start(context).close()).hasStackTraceContaining(message);
    }
}
