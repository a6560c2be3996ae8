package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.support.JettyFixture;
import io.github.cognitorevoke.support.RedisProcess;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes sharing one Redis (two applications with their own denylists, one real {@code redis-server}):
 * a user signed out everywhere on node A has a browser session of the server's own OIDC login on node B
 * (the stand-in mechanism of {@link ServerSessionTokensTest}) ended on its next request.
 */
class SessionAcrossNodesTest {

    private static CognitoStub stub;
    private static RedisProcess redis;
    private static JettyFixture jetty;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        stub = CognitoStub.start();
        stub.addClient(StubSettings.CLIENT, null, true);
        redis = RedisProcess.start("session-across-nodes");
        jetty = JettyFixture.start(ServerSessionTokensTest.app("/a", params()), ServerSessionTokensTest.app("/b", params()));
    }

    private static Map<String, String> params() {
        Map<String, String> p = StubSettings.initParameters(stub, StubSettings.CLIENT);
        p.put("redisUri", redis.uri());
        p.put("signOutEverywherePaths", "/signout-everywhere");
        return p;
    }

    @AfterAll
    static void stop() {
        if (jetty != null) {
            jetty.close();
        }
        if (redis != null) {
            redis.close();
        }
        stub.close();
    }

    @Test
    void signedOutEverywhereOnNodeA_sessionOnNodeB_endsOnItsNextRequest() throws Exception {
        StubTokens phone = stub.login(StubSettings.CLIENT, "alice");
        StubTokens browser = stub.login(StubSettings.CLIENT, "alice");
        String session = signIn("/b", browser);
        assertThat(page("/b/page", session).body()).isEqualTo("page of alice");

        HttpResponse<String> everywhere = http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/a/signout-everywhere"))
                .header("Authorization", "Bearer " + phone.accessToken()).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(everywhere.statusCode()).isEqualTo(204);

        HttpResponse<String> next = null;
        for (int i = 0; i < 50; i++) { // the cut-off reaches node B through Redis within milliseconds
            next = page("/b/page", session);
            if (next.statusCode() != 200) {
                break;
            }
            Thread.sleep(100);
        }
        // Sent to sign in again: at once (303), or, in the sign-out's own second, whose tokens a sign-in again
        // would get too, when that second has passed (401 with Refresh).
        assertThat(next.statusCode()).as("node B's session after the sign-out everywhere on node A").isIn(303, 401);
        assertThat(next.headers().firstValue(next.statusCode() == 303 ? "Location" : "Refresh").orElseThrow())
                .endsWith("/b/page");
        assertThat(page("/b/page", session).body()).isEqualTo("anonymous");
    }

    private static String signIn(String node, StubTokens t) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(jetty.base() + node + "/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("access=" + t.accessToken() + "&id=" + t.idToken()
                        + "&refresh=" + t.refreshToken())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        return r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private static HttpResponse<String> page(String path, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(jetty.base() + path)).header("Cookie", cookie)
                .header("Sec-Fetch-Mode", "navigate").GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
