package io.github.cognitorevoke;

import io.github.cognitorevoke.support.JettyFixture;
import static io.github.cognitorevoke.BrowserApps.LOGOUT_URI;
import static io.github.cognitorevoke.BrowserApps.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.attack.RawHttp;
import io.github.cognitorevoke.testing.ManagedLogoutCall;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Managed login on Jetty: a browser's logout (no bearer header) ends at Cognito's {@code /logout}
 * with exactly the configured parameters, also while Cognito's API is down; an API client's never
 * leaves the application; nothing a request carries changes where the browser goes.
 */
class ManagedLoginLogoutTest {

    @RegisterExtension
    static final BrowserApps apps = new BrowserApps(stub -> Map.of(
            "/managed", BrowserApps.managedLogin(stub, "accessTokenCookie", "AT", "refreshTokenCookie", "RT"),
            "/managed-redirect", BrowserApps.managedLogin(stub, "accessTokenCookie", "AT", "refreshTokenCookie", "RT",
                    "logoutRedirect", "/bye.html")));

    private static String cookieHeader(StubTokens t) {
        return "AT=" + t.accessToken() + "; RT=" + t.refreshToken();
    }

    private static void assertRejected(String context, StubTokens t) throws Exception {
        assertThat(apps.get(context + "/api", "Authorization", "Bearer " + t.accessToken()).statusCode()).isEqualTo(401);
    }

    @Test
    void browserLogout_withCookies_303ToCognitoExactly_tokensRevoked_andCognitoLandsOnLogoutUri() throws Exception {
        StubTokens t = apps.login("alice");

        HttpResponse<String> r = apps.post("/managed/logout", "", "Cookie", cookieHeader(t), "Sec-Fetch-Site", "same-origin");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().allValues("Location")).containsExactly(apps.cognitoLogout());
        assertThat(r.headers().allValues("Set-Cookie"))
                .anySatisfy(c -> assertThat(c).startsWith("AT=").matches(BrowserApps::expired))
                .anySatisfy(c -> assertThat(c).startsWith("RT=").matches(BrowserApps::expired));
        assertThat(apps.stub.isRevoked(t.refreshToken())).isTrue();
        assertRejected("/managed", t);

        HttpResponse<String> atCognito = BrowserApps.follow(r);
        assertThat(atCognito.statusCode()).isEqualTo(302);
        assertThat(atCognito.headers().firstValue("Location")).contains(LOGOUT_URI);
        assertThat(apps.stub.managedLogoutCalls()).last().extracting(ManagedLogoutCall::sessionEnded).isEqualTo(true);
    }

    @Test
    void browserLogout_refreshTokenInTheForm_303ToCognito() throws Exception {
        StubTokens t = apps.login("bob");
        HttpResponse<String> r = apps.post("/managed/logout", form("refresh_token", t.refreshToken()));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains(apps.cognitoLogout());
        assertThat(apps.stub.isRevoked(t.refreshToken())).isTrue();
    }

    @Test
    void browserLogout_winsOverLogoutRedirect() throws Exception {
        StubTokens t = apps.login("carol");
        HttpResponse<String> r = apps.post("/managed-redirect/logout", "", "Cookie", cookieHeader(t));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains(apps.cognitoLogout());
    }

    @Test
    void bearerLogout_neverSentToCognito_204() throws Exception {
        StubTokens t = apps.login("dave");
        HttpResponse<String> r = apps.post("/managed/logout", form("refresh_token", t.refreshToken()),
                "Authorization", "Bearer " + t.accessToken());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertRejected("/managed", t);
    }

    @Test
    void bearerLogout_withLogoutRedirect_303SameOrigin() throws Exception {
        StubTokens t = apps.login("erin");
        HttpResponse<String> r = apps.post("/managed-redirect/logout", "", "Authorization", "Bearer " + t.accessToken());
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l ->
                assertThat(l).endsWith("/managed-redirect/bye.html").doesNotContain(apps.stub.managedLoginDomain().toString()));
    }

    @Test
    void bearerLogout_cognitoDown_202_notRedirected() throws Exception {
        StubTokens t = apps.login("frank");
        apps.stub.failNext(1, "InternalErrorException");
        HttpResponse<String> r = apps.post("/managed/logout", form("refresh_token", t.refreshToken()),
                "Authorization", "Bearer " + t.accessToken());
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void browserLogout_cognitoDown_still303ToCognito_revocationPendingThenDone() throws Exception {
        StubTokens t = apps.login("grace");
        apps.stub.failNext(1, "InternalErrorException");

        HttpResponse<String> r = apps.post("/managed/logout", "", "Cookie", cookieHeader(t));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains(apps.cognitoLogout());
        assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("AT=").matches(BrowserApps::expired));
        assertThat(apps.stub.revokeCalls()).singleElement().satisfies(c -> assertThat(c.errorType()).isEqualTo("InternalErrorException"));
        assertThat(apps.stub.isRevoked(t.refreshToken())).isFalse();
        assertRejected("/managed", t);
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(apps.stub.isRevoked(t.refreshToken())).isTrue());
    }

    @Test
    void browserLogout_forgedCookieToken_401_notRedirected_nothingRevoked() throws Exception {
        StubTokens t = apps.login("heidi");
        String forged = apps.stub.jwt().signWithUnknownKey(t.accessClaims());
        HttpResponse<String> r = apps.post("/managed/logout", "", "Cookie", "AT=" + forged);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(apps.get("/managed/api", "Authorization", "Bearer " + t.accessToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void browserLogout_crossSite_403_notRedirected() throws Exception {
        StubTokens t = apps.login("ivan");
        HttpResponse<String> r = apps.post("/managed/logout", "", "Cookie", cookieHeader(t), "Sec-Fetch-Site", "cross-site");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(apps.stub.isRevoked(t.refreshToken())).isFalse();
    }

    @Test
    void hostileParametersAndHeaders_locationIsExactlyTheConfiguredOne() throws Exception {
        StubTokens t = apps.login("judy");
        String evil = "https://evil.example/phish";
        String query = "?logout_uri=" + evil + "&redirect_uri=" + evil + "&post_logout_redirect_uri=" + evil
                + "&client_id=evil&state=%0D%0ALocation:%20" + evil + "%0D%0ASet-Cookie:%20x=1";
        String body = form("logout_uri", evil) + "&" + form("redirect_uri", evil) + "&" + form("client_id", "evil")
                + "&" + form("state", "\r\nLocation: " + evil) + "&" + form("refresh_token", t.refreshToken());

        HttpResponse<String> r = apps.post("/managed/logout" + query, body, "Cookie", "AT=" + t.accessToken(),
                "Referer", evil, "X-Forwarded-Host", "evil.example", "Forwarded", "host=evil.example;proto=https",
                "X-Forwarded-Proto", "http");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().allValues("Location")).containsExactly(apps.cognitoLogout());
        assertThat(r.headers().allValues("Set-Cookie")).noneSatisfy(c -> assertThat(c).startsWith("x="));
        assertThat(apps.stub.isRevoked(t.refreshToken())).isTrue();
    }

    /** Each row: the init-params (name=value, space-separated), then the parameter the failure names. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cognitoDomain=https://auth.example.com|logoutUri",
            "logoutUri=https://app.example.com/bye|cognitoDomain",
            "cognitoDomain=http://auth.example.com logoutUri=https://app.example.com/bye|cognitoDomain",
            "cognitoDomain=https://auth.example.com/login logoutUri=https://app.example.com/bye|cognitoDomain",
            "cognitoDomain=https://auth.example.com logoutUri=/bye|logoutUri",
            "albSessionCookie=AWSELB;x|albSessionCookie",
            "signOutEverywherePaths=/logout|signOutEverywherePaths"})
    void deployment_badBrowserSetting_failsNamingIt(String initParams, String named) {
        Map<String, String> params = new HashMap<>();
        for (String pair : initParams.split(" ")) {
            params.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        RevocationFilterTest.assertDeploymentFails(JettyFixture.app(apps.stub, "/bad", params),
                "init-param '" + named + "'");
    }

    @Test
    void hostileHostHeader_locationIsExactlyTheConfiguredOne() throws Exception {
        StubTokens t = apps.login("mallory");
        RawHttp.Response r = RawHttp.send(apps.base() + "/managed", "POST", "/logout?logout_uri=https://evil.example/",
                List.of(Map.entry("Host", "evil.example"), Map.entry("Cookie", "AT=" + t.accessToken())), "");
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.head().lines().filter(l -> l.regionMatches(true, 0, "Location:", 0, 9)).toList())
                .containsExactly("Location: " + apps.cognitoLogout());
    }
}
