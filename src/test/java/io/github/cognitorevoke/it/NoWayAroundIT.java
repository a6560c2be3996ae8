package io.github.cognitorevoke.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.attack.BearerShapes;
import io.github.cognitorevoke.attack.RawHttp;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.URL;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bypass catalogue ({@link BearerShapes}) against the real server's HTTP parsing (WildFly's
 * Undertow, Payara's Grizzly): a revoked token never reaches the servlet in any shape, a live one
 * always does, and hostile input never gets a 5xx.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class NoWayAroundIT {

    private static final String CLIENT = "1itnowayclient5g6f7d8s9a0p1";
    private static final String PROTECTED = "protected resource";
    private static CognitoStub stub;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        stub = CognitoStub.start();
        stub.addClient(CLIENT, null, true);
        Map<String, String> params = StubSettings.initParameters(stub, CLIENT);
        params.put("accessTokenCookie", "AT");
        return TestWars.app("noway", params);
    }

    @AfterAll
    static void stopStub() {
        if (stub != null) {
            stub.close();
        }
    }

    private String app() {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private RawHttp.Response get(BearerShapes shape) throws Exception {
        return RawHttp.send(app(), "GET", "/protected" + shape.query(), shape.headers(), null);
    }

    @TestFactory
    Stream<DynamicTest> revokedToken_inEveryShape_neverReachesTheServlet() throws Exception {
        StubTokens revoked = stub.login(CLIENT, "mallory");
        StubTokens live = stub.login(CLIENT, "alice");
        RawHttp.Response logout = RawHttp.send(app(), "POST", "/logout",
                List.of(Map.entry("Authorization", "Bearer " + revoked.accessToken())), null);
        assertThat(logout.status()).isEqualTo(204);
        return Stream.concat(
                BearerShapes.of(revoked.accessToken(), live.accessToken(), "AT").stream(),
                BearerShapes.of(revoked.idToken(), live.idToken(), "AT").stream())
                .map(shape -> DynamicTest.dynamicTest(shape.name(), () -> {
                    RawHttp.Response r = get(shape);
                    assertThat(r.status()).as(shape.name()).isIn(400, 401);
                    assertThat(r.body()).as(shape.name()).doesNotContain(PROTECTED);
                }));
    }

    @TestFactory
    Stream<DynamicTest> liveToken_inEveryShape_reachesTheServlet() {
        StubTokens live = stub.login(CLIENT, "bob");
        StubTokens other = stub.login(CLIENT, "carol");
        return BearerShapes.of(live.accessToken(), other.accessToken(), "AT").stream()
                .map(shape -> DynamicTest.dynamicTest(shape.name(), () -> {
                    RawHttp.Response r = get(shape);
                    if (shape.oversized() && r.status() == 400) {
                        return; // the server itself refused the headers' size (Payara's Grizzly)
                    }
                    assertThat(r.status()).as(shape.name()).isEqualTo(200);
                    assertThat(r.body()).as(shape.name()).contains(PROTECTED);
                }));
    }

    @Test
    void truncatedUnicodeEscape_neverGives5xx() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes()) + "."
                + b64.encodeToString("{\"jti\":\"\\u0\"}".getBytes()) + ".c2ln";
        List<Map.Entry<String, String>> header = List.of(Map.entry("Authorization", "Bearer " + token));
        assertThat(RawHttp.send(app(), "GET", "/protected", header, null).status()).isEqualTo(200);
        assertThat(RawHttp.send(app(), "POST", "/logout", header, null).status()).isEqualTo(401);
    }

    @Test
    void crossSiteCookieLogout_403_andJsonLogout_415() throws Exception {
        StubTokens t = stub.login(CLIENT, "dave");
        assertThat(RawHttp.send(app(), "POST", "/logout", List.of(Map.entry("Cookie", "AT=" + t.accessToken()),
                Map.entry("Sec-Fetch-Site", "cross-site")), null).status()).isEqualTo(403);
        assertThat(RawHttp.send(app(), "GET", "/protected", List.of(Map.entry("Cookie", "AT=" + t.accessToken())),
                null).status()).isEqualTo(200);
        assertThat(RawHttp.send(app(), "POST", "/logout", List.of(Map.entry("Authorization", "Bearer " + t.accessToken()),
                Map.entry("Content-Type", "application/json")), "{\"refresh_token\":\"x\"}").status()).isEqualTo(415);
    }
}
