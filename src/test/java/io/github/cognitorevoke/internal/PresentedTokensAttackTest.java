package io.github.cognitorevoke.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.RevocationSettings;
import io.github.cognitorevoke.support.EngineFixture;
import io.github.cognitorevoke.support.FakeRequest;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attack review of what the filter searches on every request ({@link PresentedTokens} with
 * {@link RevocationEngine#search()}), with real stub-issued tokens: a revoked token anywhere an
 * application could read it must be found.
 */
class PresentedTokensAttackTest {

    private static final String CLIENT = "webclient";
    private static CognitoStub stub;
    private static RevocationEngine engine;
    private static RevocationSettings settings;
    private static StubTokens revoked;
    private static StubTokens live;

    @BeforeAll
    static void start() {
        TestClock clock = TestClock.atNow();
        stub = CognitoStub.builder().clock(clock).start();
        stub.addClient(CLIENT, null, true);
        engine = EngineFixture.against(stub).clock(clock)
                .settings(s -> s.accessTokenCookie("AT").cognitoTimeout(Duration.ofSeconds(3))).build();
        settings = engine.settings();
        revoked = stub.login(CLIENT, "mallory");
        live = stub.login(CLIENT, "alice");
        engine.logout(revoked.accessToken(), revoked.refreshToken());
        assertThat(engine.isRevoked(revoked.accessToken())).isTrue();
        assertThat(engine.isRevoked(live.accessToken())).isFalse();
    }

    @AfterAll
    static void stop() {
        engine.close();
        stub.close();
    }

    private static boolean rejected(HttpServletRequest request) {
        RevocationEngine.Search search = engine.search();
        return new PresentedTokens(settings).find(request, search) != null || search.incomplete();
    }

    // ------------------------------------------------------------------ the load balancer's header

    /**
     * The "no way around it" rule covers "the {@code X-Amzn-Oidc-Accesstoken}
     * header that an AWS Application Load Balancer adds" among the places a revoked token must be
     * rejected from. Unsearched, behind an ALB with Cognito authentication, an application that
     * verifies the header the ALB forwards serves a revoked access token with 200. Input: a request
     * whose only token is {@code X-Amzn-Oidc-Accesstoken: <revoked access token>}.
     */
    @Test
    void albAccessTokenHeader_revokedToken_isRejected() {
        assertThat(rejected(FakeRequest.get(null, "X-Amzn-Oidc-Accesstoken", revoked.accessToken()))).isTrue();
    }

    // ------------------------------------------------------------------ held

    /** HELD: the places docs/http-behaviour.md lists, in the shapes an application could read. */
    @Test
    void revokedTokenInEveryListedShape_isRejected() {
        String at = revoked.accessToken();
        String pct = at.replace(".", "%2E").replace("-", "%2D");
        String[][] shapes = {
                {null, "Authorization", "Bearer " + at},
                {null, "authorization", "bearer\t" + at + " , Bearer " + live.accessToken()},
                {null, "Authorization", "Bearer " + live.accessToken(), "Authorization", "Bearer " + at},
                {null, "Authorization", at + "." + "A".repeat(10_000)},
                {null, "Authorization", "Bearer " + at.substring(0, at.lastIndexOf('.')) + ".~~~" + "x".repeat(5000)},
                {null, "Authorization", "Bearer " + pct},
                {null, "Cookie", "x=1; AT=\"" + at + "\""},
                {null, "Cookie", "AT=" + live.accessToken() + "; AT=" + pct},
                {"a=1&access_token=" + pct, },
                {"access_token=" + at + "&x=" + "%41".repeat(100)},
                {null, "Authorization", "Bearer " + revoked.idToken()},
        };
        for (String[] s : shapes) {
            String[] headers = java.util.Arrays.copyOfRange(s, 1, s.length);
            assertThat(rejected(FakeRequest.get(s[0], headers))).as(String.join(" | ", s).substring(0, 60)).isTrue();
        }
        assertThat(rejected(FakeRequest.get("access_token=" + live.accessToken(), "Authorization", "Bearer " + live.accessToken())))
                .isFalse();
    }

    /**
     * HELD: spending the request's four Nimbus reads (five pair-array payloads) before the revoked
     * token does not hide it: the fast path still reads it, and otherwise the request is refused.
     */
    @Test
    void budgetSpentBeforeTheRevokedToken_stillRejected() {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        String pairs = "." + e.encodeToString("[[\"jti\",\"x\"]]".getBytes(StandardCharsets.UTF_8));
        String junk = "x" + pairs.repeat(5) + ". ";
        RevocationEngine.Search search = engine.search();
        assertThat(new PresentedTokens(settings).find(
                FakeRequest.get(null, "Authorization", junk + revoked.accessToken()), search)).isNotNull();
        RevocationEngine.Search other = engine.search();
        assertThat(new PresentedTokens(settings).find(
                FakeRequest.get(null, "Authorization", junk + live.accessToken()), other)).isNull();
        assertThat(other.incomplete()).as("refused with 400, not passed").isTrue();
        assertThat(rejected(FakeRequest.get(null, "Authorization", junk, "Cookie", "AT=" + revoked.accessToken()))).isTrue();
    }

    /** HELD: header names are matched in any case by the container; the filter asks with its own spelling. */
    @Test
    void headerNameCasing() {
        assertThat(rejected(FakeRequest.get(null, "AUTHORIZATION", "Bearer " + revoked.accessToken()))).isTrue();
        assertThat(rejected(FakeRequest.get(null, "cookie", "AT=" + revoked.accessToken()))).isTrue();
    }
}
