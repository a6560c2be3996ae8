package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.attack.BearerShapes;
import io.github.cognitorevoke.attack.RawHttp;
import io.github.cognitorevoke.support.JettyFixture;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The "no way around the denylist" rule in a real servlet container (embedded Jetty, headers up to
 * 1 MiB as WildFly allows), over raw HTTP so that every request shape goes out byte for byte: a
 * revoked token is rejected in every shape an application could read it from, a live one passes
 * in every shape, and hostile input never gets a 5xx. The same catalogue runs in WildFly and
 * Payara ({@code it.NoWayAroundIT}).
 */
class NoWayAroundTest {

    private static final String CLIENT = "webclient";
    private static CognitoStub stub;
    private static CognitoStub outageStub;
    private static JettyFixture jetty;
    private static String base;
    private static StubTokens revoked;
    private static StubTokens live;

    @BeforeAll
    static void start() throws Exception {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, null, true);
        outageStub = CognitoStub.start();
        outageStub.addClient(CLIENT, null, true);
        // down from the start: the engine fetches the keys at deployment, and a cached key set outlives an outage
        outageStub.failJwksNext(1000);
        jetty = JettyFixture.startWithHeaderLimit(1024 * 1024,
                JettyFixture.app(stub, "/app", Map.of("accessTokenCookie", "AT", "refreshTokenCookie", "RT")),
                JettyFixture.app(stub, "/host", Map.of(
                        "accessTokenCookie", "__Host-AT", "refreshTokenCookie", "__Secure-RT")),
                JettyFixture.app(outageStub, "/outage", Map.of()));
        base = jetty.base();
        revoked = stub.login(CLIENT, "mallory");
        live = stub.login(CLIENT, "alice");
        RawHttp.Response logout = RawHttp.send(base + "/app", "POST", "/logout",
                List.of(Map.entry("Authorization", "Bearer " + revoked.accessToken())), null);
        assertThat(logout.status()).isEqualTo(204);
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
        stub.close();
        outageStub.close();
    }

    private static RawHttp.Response send(BearerShapes shape) throws Exception {
        return RawHttp.send(base + "/app", "GET", "/api/data" + shape.query(), shape.headers(), null);
    }

    @TestFactory
    Stream<DynamicTest> revokedToken_inEveryShape_isRejectedBeforeTheApplication() {
        return BearerShapes.of(revoked.accessToken(), live.accessToken(), "AT").stream()
                .map(shape -> DynamicTest.dynamicTest(shape.name(), () -> {
                    RawHttp.Response r = send(shape);
                    assertThat(r.status()).as(shape.name()).isIn(400, 401);
                    assertThat(r.body()).as(shape.name()).doesNotStartWith("ok");
                }));
    }

    @TestFactory
    Stream<DynamicTest> revokedIdToken_inEveryShape_isRejected() {
        return BearerShapes.of(revoked.idToken(), live.idToken(), "AT").stream()
                .map(shape -> DynamicTest.dynamicTest(shape.name(), () ->
                        assertThat(send(shape).status()).as(shape.name()).isIn(400, 401)));
    }

    @TestFactory
    Stream<DynamicTest> liveToken_inEveryShape_reachesTheApplication() {
        StubTokens other = stub.login(CLIENT, "bob");
        return BearerShapes.of(live.accessToken(), other.accessToken(), "AT").stream()
                .map(shape -> DynamicTest.dynamicTest(shape.name(), () -> {
                    RawHttp.Response r = send(shape);
                    assertThat(r.status()).as(shape.name()).isEqualTo(200);
                    assertThat(r.body()).startsWith("ok");
                }));
    }

    @Test
    void truncatedUnicodeEscapeInPayload_neverGives5xx_onAnyPath() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes()) + "."
                + b64.encodeToString("{\"jti\":\"\\u0\"}".getBytes()) + ".c2ln";
        List<Map.Entry<String, String>> header = List.of(Map.entry("Authorization", "Bearer " + token));
        assertThat(RawHttp.send(base + "/app", "GET", "/api/data", header, null).status()).isEqualTo(200);
        assertThat(RawHttp.send(base + "/app", "POST", "/logout", header, null).status()).isEqualTo(401);
        assertThat(RawHttp.send(base + "/app", "GET", "/api/data",
                List.of(Map.entry("Cookie", "AT=" + token)), null).status()).isEqualTo(200);
    }

    @Test
    void hostileHeaders_neverGive5xx() throws Exception {
        List<String> values = new ArrayList<>(List.of("Bearer", "Bearer ", ".", "..", "...", "Bearer a.b.c",
                "Bearer " + ".".repeat(50_000), "Bearer " + "e30.".repeat(20_000), "Bearer %", "Bearer %2",
                "Bearer " + "a.%2E%2e.".repeat(1000)));
        for (String value : values) {
            for (String name : List.of("Authorization", "Cookie")) {
                String v = name.equals("Cookie") ? "AT=" + value.replace(' ', '_') : value;
                int status = RawHttp.send(base + "/app", "GET", "/api/data?x=" + (value.length() < 100 ? "" : "y"),
                        List.of(Map.entry(name, v)), null).status();
                assertThat(status).as(name + ": " + value.substring(0, Math.min(40, value.length()))).isLessThan(500);
            }
        }
    }

    @Test
    void manyPayloadsOnlyNimbusReads_400_aRevokedTokenAmongThem_401_inEveryPlace() throws Exception {
        // Arrays of name/value pairs: Nimbus reads them as claims, so they cannot be skipped; a
        // request with more than a few is not a client's, and is refused rather than passed on.
        String slow = Base64.getUrlEncoder().withoutPadding().encodeToString("[[\"aud\",\"app\"]]".getBytes());
        String padding = ("x." + slow + ".").repeat(40);
        for (String place : List.of("Authorization", "Cookie", "query")) {
            for (StubTokens t : List.of(live, revoked)) {
                for (String text : List.of(padding + t.accessToken(), t.accessToken() + "." + padding)) {
                    RawHttp.Response r = place.equals("query")
                            ? RawHttp.send(base + "/app", "GET", "/api/data?access_token=" + text, List.of(), null)
                            : RawHttp.send(base + "/app", "GET", "/api/data", List.of(Map.entry(place,
                                    place.equals("Cookie") ? "AT=" + text : "Bearer " + text)), null);
                    assertThat(r.status()).as(place).isEqualTo(t == live ? 400 : 401);
                    if (t == live) {
                        assertThat(r.body()).contains("\"error\":\"invalid_request\"");
                    }
                }
            }
        }
        assertThat(RawHttp.send(base + "/app", "GET", "/api/data",
                List.of(Map.entry("Authorization", "Bearer " + ("x." + slow + ".").repeat(4) + live.accessToken())),
                null).status()).as("a few").isEqualTo(200);
    }

    // ------------------------------------------------------------------ logout requests

    private static RawHttp.Response logout(String context, String body, String... headers) throws Exception {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            list.add(Map.entry(headers[i], headers[i + 1]));
        }
        return RawHttp.send(base + context, "POST", "/logout", list, body);
    }

    @Test
    void logout_withJsonBody_415_andNothingRevoked() throws Exception {
        StubTokens t = stub.login(CLIENT, "carol");
        RawHttp.Response r = logout("/app", "{\"refresh_token\":\"" + t.refreshToken() + "\"}",
                "Content-Type", "application/json");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.body()).contains("\"error\":\"invalid_request\"");
        assertThat(stub.isRevoked(t.refreshToken())).isFalse();
    }

    @Test
    void logout_withMultipartBody_415() throws Exception {
        StubTokens t = stub.login(CLIENT, "carol");
        String body = "--b\r\nContent-Disposition: form-data; name=\"refresh_token\"\r\n\r\n" + t.refreshToken()
                + "\r\n--b--\r\n";
        assertThat(logout("/app", body, "Content-Type", "multipart/form-data; boundary=b").status()).isEqualTo(415);
        assertThat(stub.isRevoked(t.refreshToken())).isFalse();
    }

    @Test
    void logout_withPercentEncodedRefreshTokenInTheUrl_400() throws Exception {
        StubTokens t = stub.login(CLIENT, "dave");
        RawHttp.Response r = RawHttp.send(base + "/app", "POST", "/logout?refresh%5Ftoken=" + t.refreshToken(),
                List.of(), "");
        assertThat(r.status()).isEqualTo(400);
        assertThat(stub.isRevoked(t.refreshToken())).isFalse();
    }

    @Test
    void crossSiteLogout_withCookieTokens_403_andNothingChanges() throws Exception {
        StubTokens t = stub.login(CLIENT, "erin");
        String cookies = "AT=" + t.accessToken() + "; RT=" + t.refreshToken();
        assertThat(logout("/app", "", "Cookie", cookies, "Sec-Fetch-Site", "cross-site").status()).isEqualTo(403);
        assertThat(logout("/app", "", "Cookie", cookies, "Sec-Fetch-Site", "same-site").status()).isEqualTo(403);
        assertThat(logout("/app", "", "Cookie", cookies, "Origin", "https://evil.example").status()).isEqualTo(403);
        assertThat(logout("/app", "", "Cookie", cookies, "Origin", "null").status()).isEqualTo(403);
        assertThat(stub.isRevoked(t.refreshToken())).isFalse();
        assertThat(RawHttp.send(base + "/app", "GET", "/api/data", List.of(Map.entry("Cookie", "AT=" + t.accessToken())),
                null).status()).isEqualTo(200);

        assertThat(logout("/app", "", "Cookie", cookies, "Origin", base).status()).isEqualTo(204);
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
    }

    @Test
    void sameOriginLogout_withCookieTokens_204() throws Exception {
        StubTokens t = stub.login(CLIENT, "frank");
        assertThat(logout("/app", "", "Cookie", "AT=" + t.accessToken() + "; RT=" + t.refreshToken(),
                "Sec-Fetch-Site", "same-origin").status()).isEqualTo(204);
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
    }

    @Test
    void crossSiteLogout_withBearerHeader_isNotJudged() throws Exception {
        StubTokens t = stub.login(CLIENT, "grace");
        assertThat(logout("/app", "refresh_token=" + t.refreshToken(), "Authorization", "Bearer " + t.accessToken(),
                "Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site").status())
                .isEqualTo(204);
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
    }

    @Test
    void logout_expiresPrefixedCookiesAsBrowsersRequire() throws Exception {
        StubTokens t = stub.login(CLIENT, "heidi");
        RawHttp.Response r = logout("/host", "", "Cookie", "__Host-AT=" + t.accessToken(),
                "Sec-Fetch-Site", "same-origin");
        assertThat(r.status()).isEqualTo(204);
        List<String> setCookies = r.head().lines().filter(l -> l.regionMatches(true, 0, "Set-Cookie:", 0, 11)).toList();
        assertThat(setCookies).anySatisfy(c -> assertThat(c).contains("__Host-AT=").contains("Path=/;")
                .containsIgnoringCase("Secure").doesNotContainIgnoringCase("Domain="));
        assertThat(setCookies).filteredOn(c -> c.contains("__Host-AT=")).allSatisfy(c ->
                assertThat(c).containsIgnoringCase("Secure"));
        assertThat(setCookies).filteredOn(c -> c.contains("__Secure-RT=")).isNotEmpty().allSatisfy(c ->
                assertThat(c).containsIgnoringCase("Secure"));
    }

    @Test
    void logout_overPlainHttp_alsoExpiresASecureCookieSetBehindATlsProxy() throws Exception {
        StubTokens t = stub.login(CLIENT, "ivan");
        RawHttp.Response r = logout("/app", "", "Authorization", "Bearer " + t.accessToken());
        List<String> at = r.head().lines().filter(l -> l.regionMatches(true, 0, "Set-Cookie:", 0, 11))
                .filter(l -> l.contains("AT=")).toList();
        assertThat(at).anySatisfy(c -> assertThat(c).containsIgnoringCase("Secure"));
        assertThat(at).anySatisfy(c -> assertThat(c).doesNotContainIgnoringCase("Secure"));
    }

    @Test
    void jwksOutage_503OnEveryAttempt_thenRecovers() throws Exception {
        StubTokens t = outageStub.login(CLIENT, "judy");
        outageStub.failJwksNext(1000);
        for (int i = 0; i < 5; i++) {
            RawHttp.Response r = logout("/outage", "", "Authorization", "Bearer " + t.accessToken());
            assertThat(r.status()).as("attempt " + i).isEqualTo(503);
            assertThat(r.head()).containsIgnoringCase("Retry-After");
        }
    }
}
