package io.github.cognitorevoke;

import static io.github.cognitorevoke.BrowserApps.ALB;
import static io.github.cognitorevoke.BrowserApps.ALB_HEADER;
import static io.github.cognitorevoke.BrowserApps.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.testing.StubTokens;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code signOutEverywherePaths}: {@code POST} there calls Cognito's {@code GlobalSignOut} and cuts
 * off every older token of the user, with the logout's rules (POST only, cross-site refused, the
 * access token from the bearer header, the cookie or the ALB's header) and answers (a browser goes
 * on to Cognito's {@code /logout}).
 */
class SignOutEverywherePathsTest {

    @RegisterExtension
    static final BrowserApps apps = new BrowserApps(stub -> Map.of(
            "/sso", BrowserApps.managedLogin(stub, "signOutEverywherePaths", "/everywhere, /api/all",
                    "accessTokenCookie", "AT", "albSessionCookie", ALB),
            "/plain", Map.of("signOutEverywherePaths", "/everywhere")));

    private static int status(String context, String token) throws Exception {
        return apps.get(context + "/api/data", "Authorization", "Bearer " + token).statusCode();
    }

    @Test
    void bearer_204_globalSignOutAtCognito_andAnOlderTokenOfTheUserRejected() throws Exception {
        StubTokens laptop = apps.login("alice");
        StubTokens phone = apps.login("alice");
        StubTokens bob = apps.login("bob");
        int before = apps.stub.globalSignOutCount();

        HttpResponse<String> r = apps.post("/plain/everywhere", "", "Authorization", "Bearer " + phone.accessToken());

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(apps.stub.globalSignOutCount()).isEqualTo(before + 1);
        assertThat(apps.stub.isRevoked(laptop.refreshToken())).isTrue();
        assertThat(status("/plain", laptop.accessToken())).isEqualTo(401);
        assertThat(status("/plain", laptop.idToken())).isEqualTo(401);
        assertThat(status("/plain", phone.accessToken())).isEqualTo(401);
        assertThat(status("/plain", bob.accessToken())).isEqualTo(200);
        assertThat(apps.stub.revokeCallCount()).isZero();
    }

    @Test
    void browserCookie_303ToCognito_signedOutEverywhere() throws Exception {
        StubTokens laptop = apps.login("carol");
        StubTokens phone = apps.login("carol");
        int before = apps.stub.globalSignOutCount();

        HttpResponse<String> r = apps.post("/sso/everywhere", "", "Cookie", "AT=" + phone.accessToken(),
                "Sec-Fetch-Site", "same-origin");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().allValues("Location")).containsExactly(apps.cognitoLogout());
        assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("AT=").matches(BrowserApps::expired));
        assertThat(apps.stub.globalSignOutCount()).isEqualTo(before + 1);
        assertThat(status("/sso", laptop.accessToken())).isEqualTo(401);
    }

    @Test
    void albHeader_secondPath_303ToCognito_shardsExpired() throws Exception {
        StubTokens t = apps.login("dave");
        int before = apps.stub.globalSignOutCount();

        HttpResponse<String> r = apps.post("/sso/api/all", "", ALB_HEADER, t.accessToken(), "Cookie", ALB + "-0=s0");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains(apps.cognitoLogout());
        assertThat(r.headers().allValues("Set-Cookie"))
                .anySatisfy(c -> assertThat(c).startsWith(ALB + "-0=").matches(BrowserApps::expired));
        assertThat(apps.stub.globalSignOutCount()).isEqualTo(before + 1);
    }

    @Test
    void get_405AllowPost_nothingSignedOut() throws Exception {
        StubTokens t = apps.login("erin");
        int before = apps.stub.globalSignOutCount();
        HttpResponse<String> r = apps.get("/plain/everywhere", "Authorization", "Bearer " + t.accessToken());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
        assertThat(r.body()).contains("Sign-out everywhere takes POST");
        assertThat(apps.stub.globalSignOutCount()).isEqualTo(before);
    }

    @Test
    void crossSiteCookie_403_nothingSignedOut() throws Exception {
        StubTokens t = apps.login("frank");
        int before = apps.stub.globalSignOutCount();
        HttpResponse<String> r = apps.post("/sso/everywhere", "", "Cookie", "AT=" + t.accessToken(),
                "Origin", "https://evil.example");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(apps.stub.globalSignOutCount()).isEqualTo(before);
        assertThat(status("/sso", t.accessToken())).isEqualTo(200);
    }

    @Test
    void forgedToken_401_nothingSignedOut() throws Exception {
        StubTokens t = apps.login("grace");
        int before = apps.stub.globalSignOutCount();
        HttpResponse<String> r = apps.post("/plain/everywhere", "",
                "Authorization", "Bearer " + apps.stub.jwt().signWithUnknownKey(t.accessClaims()));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(apps.stub.globalSignOutCount()).isEqualTo(before);
        assertThat(status("/plain", t.accessToken())).isEqualTo(200);
    }

    @Test
    void refreshTokenAlone_400_noCognitoCall() throws Exception {
        StubTokens t = apps.login("heidi");
        int before = apps.stub.globalSignOutCount();
        HttpResponse<String> r = apps.post("/plain/everywhere", form("refresh_token", t.refreshToken()));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"error\":\"invalid_request\"");
        assertThat(apps.stub.globalSignOutCount()).isEqualTo(before);
        assertThat(apps.stub.revokeCallCount()).isZero();
        assertThat(apps.stub.isRevoked(t.refreshToken())).isFalse();
    }

    @Test
    void logoutPath_stillAnOrdinaryLogout() throws Exception {
        StubTokens laptop = apps.login("ivan");
        // Another sign-in: the next second (sign-ins of one user in one second end together).
        Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 10);
        StubTokens phone = apps.login("ivan");
        int before = apps.stub.globalSignOutCount();
        assertThat(apps.post("/plain/logout", "", "Authorization", "Bearer " + phone.accessToken()).statusCode())
                .isEqualTo(204);
        assertThat(apps.stub.globalSignOutCount()).isEqualTo(before);
        assertThat(status("/plain", laptop.accessToken())).isEqualTo(200);
    }
}
