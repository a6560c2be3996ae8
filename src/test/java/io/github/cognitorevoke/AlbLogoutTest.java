package io.github.cognitorevoke;

import static io.github.cognitorevoke.BrowserApps.ALB;
import static io.github.cognitorevoke.BrowserApps.ALB_HEADER;
import static io.github.cognitorevoke.BrowserApps.CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.testing.StubTokens;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Behind an Application Load Balancer ({@code albSessionCookie}): a logout reads the access token
 * from the ALB's header, verifies it, denylists its family (the ALB keeps the refresh token: no
 * Cognito call), expires every {@code <prefix>-N} cookie the request carries and ends at
 * Cognito's {@code /logout}.
 */
class AlbLogoutTest {

    /** The ALB's shards, a look-alike of each kind that must stay, and an unrelated cookie. */
    private static final String COOKIES = ALB + "-0=shard0; " + ALB + "-1=shard1; " + ALB + "-12=shard12; "
            + ALB + "-x=notashard; " + ALB + "X-0=otherprefix; " + ALB + "=noindex; " + ALB + "-=empty; "
            + ALB + "-12345=toolong; theme=dark";
    private static final List<String> SHARDS = List.of(ALB + "-0", ALB + "-1", ALB + "-12");

    @RegisterExtension
    static final BrowserApps apps = new BrowserApps(stub -> Map.of(
            "/alb", BrowserApps.managedLogin(stub, "albSessionCookie", ALB),
            "/alb-only", Map.of("albSessionCookie", ALB),
            "/no-alb", BrowserApps.managedLogin(stub)));

    private static HttpResponse<String> albLogout(String context, String accessToken) throws Exception {
        return apps.post(context + "/logout", "", ALB_HEADER, accessToken, "Cookie", COOKIES,
                "Sec-Fetch-Site", "same-origin");
    }

    /** Exactly the shards, each expired as the ALB sets them: Path=/, Secure, HttpOnly. */
    private static void assertShardsExpired(HttpResponse<String> r) {
        List<String> setCookies = r.headers().allValues("Set-Cookie");
        assertThat(setCookies).extracting(c -> c.substring(0, c.indexOf('='))).containsExactlyInAnyOrderElementsOf(SHARDS);
        assertThat(setCookies).allSatisfy(c -> assertThat(c).matches(BrowserApps::expired)
                .containsIgnoringCase("Path=/;").containsIgnoringCase("Secure").containsIgnoringCase("HttpOnly")
                .doesNotContainIgnoringCase("Domain="));
    }

    private static int status(String context, String header, String token) throws Exception {
        return apps.get(context + "/api", header, header.equals("Authorization") ? "Bearer " + token : token).statusCode();
    }

    @Test
    void logout_albHeader_303ToCognito_familyDenylisted_everyShardExpired_noCognitoCall() throws Exception {
        StubTokens t = apps.login("alice");
        StubTokens sibling = apps.stub.refresh(CLIENT, t.refreshToken());
        assertThat(status("/alb", ALB_HEADER, t.accessToken())).isEqualTo(200);

        HttpResponse<String> r = albLogout("/alb", t.accessToken());

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().allValues("Location")).containsExactly(apps.cognitoLogout());
        assertShardsExpired(r);
        assertThat(apps.stub.revokeCallCount()).isZero();
        assertThat(status("/alb", ALB_HEADER, t.accessToken())).isEqualTo(401);
        assertThat(status("/alb", "Authorization", sibling.accessToken())).isEqualTo(401);
        assertThat(status("/alb", ALB_HEADER, sibling.idToken())).isEqualTo(401);
        assertThat(status("/alb", ALB_HEADER, apps.login("bob").accessToken())).isEqualTo(200);
    }

    @Test
    void logout_forgedAlbToken_401_nothingDenylisted_notRedirected_butShardsExpired() throws Exception {
        StubTokens t = apps.login("carol");
        String forged = apps.stub.jwt().signWithUnknownKey(t.accessClaims());

        HttpResponse<String> r = albLogout("/alb", forged);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        // The ALB's cookies are the browser's own login: ending it is what the user asked for.
        assertShardsExpired(r);
        assertThat(status("/alb", ALB_HEADER, t.accessToken())).isEqualTo(200);
    }

    @Test
    void logout_anotherClientsToken_401_nothingDenylisted() throws Exception {
        apps.stub.addClient("otherclient", null, true);
        StubTokens foreign = apps.stub.login("otherclient", "dave");
        HttpResponse<String> r = albLogout("/alb", foreign.accessToken());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(status("/alb", ALB_HEADER, foreign.accessToken())).isEqualTo(200);
    }

    @Test
    void logout_albWithoutManagedLogin_204_shardsExpired() throws Exception {
        StubTokens t = apps.login("erin");
        HttpResponse<String> r = albLogout("/alb-only", t.accessToken());
        assertThat(r.statusCode()).isEqualTo(204);
        assertShardsExpired(r);
        assertThat(status("/alb-only", ALB_HEADER, t.accessToken())).isEqualTo(401);
    }

    @Test
    void logout_crossSite_403_shardsKept() throws Exception {
        StubTokens t = apps.login("frank");
        HttpResponse<String> r = apps.post("/alb/logout", "", ALB_HEADER, t.accessToken(), "Cookie", COOKIES,
                "Sec-Fetch-Site", "cross-site");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(status("/alb", ALB_HEADER, t.accessToken())).isEqualTo(200);
    }

    @Test
    void logout_get_405_shardsKept() throws Exception {
        StubTokens t = apps.login("grace");
        HttpResponse<String> r = apps.get("/alb/logout", ALB_HEADER, t.accessToken(), "Cookie", COOKIES);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void logout_twoAlbHeaders_400() throws Exception {
        StubTokens t = apps.login("heidi");
        HttpResponse<String> r = apps.post("/alb/logout", "", ALB_HEADER, t.accessToken(), ALB_HEADER, t.accessToken());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(status("/alb", ALB_HEADER, t.accessToken())).isEqualTo(200);
    }

    @Test
    void logout_bearerAndAlbHeader_bearerIsTheLogoutsToken_noCrossOriginRedirect() throws Exception {
        StubTokens api = apps.login("ivan");
        StubTokens alb = apps.login("judy");
        HttpResponse<String> r = apps.post("/alb/logout", "", "Authorization", "Bearer " + api.accessToken(),
                ALB_HEADER, alb.accessToken(), "Cookie", COOKIES);
        assertThat(r.statusCode()).isEqualTo(204);
        assertShardsExpired(r);
        assertThat(status("/alb", "Authorization", api.accessToken())).isEqualTo(401);
        assertThat(status("/alb", ALB_HEADER, alb.accessToken())).isEqualTo(200);
    }

    @Test
    void logout_withoutAlbSessionCookieSetting_albHeaderNotReadAtLogout_400() throws Exception {
        StubTokens t = apps.login("kim");
        HttpResponse<String> r = albLogout("/no-alb", t.accessToken());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(status("/no-alb", ALB_HEADER, t.accessToken())).isEqualTo(200);
    }
}
