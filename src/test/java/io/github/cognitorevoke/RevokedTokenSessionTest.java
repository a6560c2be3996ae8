package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.support.JettyFixture;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A session that the server's own authentication opened for a revoked token, before any filter ran
 * (as a Jakarta Security mechanism with {@code @AutoApplySession} does), ends with the filter's 401;
 * a session the client already had does not, so that a link carrying someone's revoked token cannot
 * log its visitor out.
 */
class RevokedTokenSessionTest {

    private static CognitoStub stub;
    private static JettyFixture jetty;
    private static final HttpClient http = HttpClient.newHttpClient();

    /** Stands in for the container's authentication: opens a session before the filters run when asked to. */
    public static final class OpensSessionFirst implements ServletRequestListener {
        @Override
        public void requestInitialized(ServletRequestEvent event) {
            HttpServletRequest request = (HttpServletRequest) event.getServletRequest();
            if (request.getHeader("X-Authenticate") != null) {
                request.getSession(true).setAttribute("caller", request.getHeader("X-Authenticate"));
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        stub = CognitoStub.start();
        stub.addClient(StubSettings.CLIENT, null, true);
        ServletContextHandler app = JettyFixture.app(stub, "/app", Map.of());
        app.addEventListener(new OpensSessionFirst());
        jetty = JettyFixture.start(app);
    }

    @AfterAll
    static void stop() {
        jetty.close();
        stub.close();
    }

    private static HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jetty.base() + pathAndQuery));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String logoutAndGetToken(String user) throws Exception {
        StubTokens t = stub.login(StubSettings.CLIENT, user);
        HttpResponse<String> logout = http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/logout"))
                .header("Authorization", "Bearer " + t.accessToken())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).isEqualTo(204);
        return t.accessToken();
    }

    private static String cookie(HttpResponse<String> r) {
        return r.headers().firstValue("Set-Cookie").orElseThrow(() -> new AssertionError("no session cookie"))
                .split(";")[0];
    }

    @Test
    void revokedToken_sessionOpenedByThisRequest_endsWithThe401() throws Exception {
        String revoked = logoutAndGetToken("mallory");

        HttpResponse<String> r = get("/app/api", "Authorization", "Bearer " + revoked, "X-Authenticate", "mallory");

        assertThat(r.statusCode()).isEqualTo(401);
        // the cookie of the session opened before the filter no longer names one
        assertThat(get("/app/api", "Cookie", cookie(r)).body()).isEqualTo("ok nosession");
    }

    @Test
    void revokedTokenInALink_sessionTheVisitorAlreadyHad_staysOpen() throws Exception {
        String someoneElses = logoutAndGetToken("trudy");
        String visitor = cookie(get("/app/api?session=1"));
        assertThat(get("/app/api", "Cookie", visitor).body()).isEqualTo("ok session");

        HttpResponse<String> r = get("/app/api?access_token=" + someoneElses, "Cookie", visitor);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(get("/app/api", "Cookie", visitor).body()).isEqualTo("ok session");
    }

    @Test
    void liveToken_sessionOpenedByThisRequest_isKept() throws Exception {
        StubTokens live = stub.login(StubSettings.CLIENT, "alice");

        HttpResponse<String> r = get("/app/api", "Authorization", "Bearer " + live.accessToken(), "X-Authenticate", "alice");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(get("/app/api", "Cookie", cookie(r)).body()).isEqualTo("ok session");
    }
}
