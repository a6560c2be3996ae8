package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.internal.CaffeineDenylist;
import io.github.cognitorevoke.internal.DefaultTokenResolver;
import io.github.cognitorevoke.internal.Installation;
import io.github.cognitorevoke.internal.Installations;
import io.github.cognitorevoke.internal.RevocationEngine;
import io.github.cognitorevoke.internal.TokenIds;
import io.github.cognitorevoke.support.EngineFixture;
import io.github.cognitorevoke.support.JettyFixture;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.support.TestClock;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A browser session ended by a rule of its user (a sign-out everywhere's cut-off, an ended sign-in)
 * while signing in again at once would get tokens the same rule rejects: tokens carry whole seconds,
 * and a managed-login session that is still alive re-issues them within the same second. A 303 would
 * send the browser round the sign-in until the second has passed (a browser gives up after about 20
 * redirects); the navigation gets instead a 401 page that comes back to the same address when the
 * rule has passed ({@code Refresh}). Everything on one {@link TestClock}, shared by the stub (token
 * times) and the engine (the cut-off, the check): the second boundaries are the test's.
 */
class SignInAgainTest {

    private static final String PAGE = "You were signed out.";

    private final TestClock clock = TestClock.atNow();
    private final HttpClient http = HttpClient.newHttpClient();
    private CognitoStub stub;
    private CaffeineDenylist denylist;
    private RevocationEngine engine;
    private JettyFixture jetty;

    @BeforeEach
    void start() throws Exception {
        stub = CognitoStub.start(clock);
        stub.addClient(StubSettings.CLIENT, null, true);
        denylist = new CaffeineDenylist(clock);
        engine = RevocationEngine.builder(EngineFixture.against(stub).settings()).clock(clock).denylist(denylist).build();
        ServletContextHandler app = new ServletContextHandler(ServletContextHandler.SESSIONS);
        app.setContextPath("/app");
        // The filter finds this installation instead of building its own: the engine on the test's clock.
        app.setAttribute(Installations.ATTRIBUTE, new Installation(engine, new DefaultTokenResolver(engine.settings())));
        app.addFilter(new FilterHolder(new ServerSessionTokensTest.FakeMechanism()), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        app.addFilter(new FilterHolder(RevocationFilter.class), "/*", EnumSet.of(DispatcherType.REQUEST));
        app.addServlet(ServerSessionTokensTest.callerPage(), "/");
        jetty = JettyFixture.start(app);
    }

    @AfterEach
    void stop() {
        jetty.close();
        engine.close();
        stub.close();
    }

    @Test
    void signedOutEverywhereThisSecond_theNavigationComesBackWhenTheSecondHasPassed_neverRoundTheSignIn()
            throws Exception {
        StubTokens old = stub.login(StubSettings.CLIENT, "alice");
        String session = signIn(old);
        clock.advance(Duration.ofSeconds(100));
        assertThat(engine.signOutEverywhere(old.accessToken()).status()).isEqualTo(LogoutResult.Status.COMPLETED);

        // The session's next page load, in the sign-out's own second: a sign-in again now would be refused too.
        HttpResponse<String> first = page("/app/orders?id=7", session);
        assertComesBack(first, "1;url=/app/orders?id=7");
        assertThat(page("/app/orders?id=7", session).body()).as("the session ended").isEqualTo("anonymous");

        // The managed-login session signs the browser straight back in, still in that second: the same answer,
        // not a 303 (which would send it round again).
        StubTokens again = stub.login(StubSettings.CLIENT, "alice");
        assertComesBack(page("/app/orders?id=7", signIn(again)), "1;url=/app/orders?id=7");
        // Where the server's login completes that sign-in (Jakarta Security on the original address): not back
        // to its single-use code.
        assertComesBack(page("/app/orders?code=0f3a&state=9b2c", signIn(again)), "1;url=/app/orders");
        HttpResponse<String> script = send("GET", "/app/api/orders", signIn(again), "Sec-Fetch-Mode", "cors");
        assertThat(script.statusCode()).as("a script still gets the plain 401").isEqualTo(401);
        assertThat(script.headers().firstValue("Refresh")).isEmpty();
        assertThat(script.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");

        // The browser comes back a second later: its new tokens pass.
        clock.advance(Duration.ofSeconds(1));
        StubTokens next = stub.login(StubSettings.CLIENT, "alice");
        assertThat(page("/app/orders?id=7", signIn(next)).body()).isEqualTo("page of alice");
        // A token of the cut-off's second seen now (the identity provider's clock a little behind ours): wait once more.
        assertComesBack(page("/app/orders?id=7", signIn(again)), "1;url=/app/orders?id=7");

        // Long after: an old session goes straight to sign in again, as before.
        clock.advance(Duration.ofSeconds(30));
        HttpResponse<String> late = page("/app/orders?id=7", signIn(again));
        assertThat(late.statusCode()).isEqualTo(303);
        assertThat(late.headers().firstValue("Location")).contains("/app/orders?id=7");
        assertThat(late.headers().firstValue("Refresh")).isEmpty();
    }

    @Test
    void tokensLoggedOutElsewhere_aSignInAgainNowPasses_theNavigationGoesAtOnce() throws Exception {
        StubTokens t = stub.login(StubSettings.CLIENT, "bob");
        String session = signIn(t);
        clock.advance(Duration.ofSeconds(100));
        assertThat(engine.logout(t.accessToken(), null).status()).isEqualTo(LogoutResult.Status.COMPLETED);
        HttpResponse<String> nav = page("/app/page", session);
        assertThat(nav.statusCode()).isEqualTo(303);
        assertThat(nav.headers().firstValue("Location")).contains("/app/page");
        // Signed in again at once: a new family, of a second after the logout's bound.
        assertThat(page("/app/page", signIn(stub.login(StubSettings.CLIENT, "bob"))).body()).isEqualTo("page of alice");
    }

    @Test
    void aRuleThatLastsLonger_theWaitIsItsBound_atMostAMinute() throws Exception {
        StubTokens t = stub.login(StubSettings.CLIENT, "carol");
        long now = clock.instant().getEpochSecond();
        String sub = t.accessClaims().getSubject();
        long authTime = TokenIds.authTime(t.accessClaims());
        Instant until = clock.instant().plus(Duration.ofHours(3));
        // The sign-in ended until 9 s from now (a rotating app client's grace period): tokens of second now+10 pass.
        denylist.endSignIn(sub, authTime, now + 9, until);
        assertComesBack(page("/app/page", signIn(t)), "10;url=/app/page");
        // Ended for hours (a revocation pending): come back once a minute, not round and round.
        denylist.endSignIn(sub, authTime, now + 7200, until);
        assertComesBack(page("/app/page", signIn(t)), "60;url=/app/page");
    }

    /** The page's address is the 303's: relative, on this server, one header; the page repeats nothing of the request. */
    @Test
    void theComeBackPage_staysOnThisServer_andEchoesNothing() throws Exception {
        String[] paths = {"/app//evil.example/x", "/app/%2F%2Fevil.example", "/app/%5C%5Cevil.example",
                "/app/%0d%0aSet-Cookie:%20a=b", "/app/%3Cscript%3Ealert(1)%3C/script%3E?q=%22%3E%3Cimg%20src=x%3E",
                "/app/x?next=https://evil.example/"};
        StubTokens t = stub.login(StubSettings.CLIENT, "dave");
        assertThat(engine.signOutEverywhere(t.accessToken()).status()).isEqualTo(LogoutResult.Status.COMPLETED);
        for (String path : paths) {
            HttpResponse<String> r = page(path, signIn(t));
            if (r.statusCode() == 400 || r.statusCode() == 404) {
                continue; // the container refused the target itself
            }
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            String refresh = r.headers().firstValue("Refresh").orElseThrow();
            assertThat(refresh).as(path).matches("1;url=/[!-~]*").doesNotStartWith("1;url=//").doesNotContain("\\");
            assertThat(refresh.substring("1;url=".length())).as(path).startsWith("/app/").doesNotStartWith("//");
            assertThat(r.headers().allValues("Set-Cookie")).as(path).noneMatch(c -> c.startsWith("a="));
            assertThat(r.body()).as(path).contains(PAGE).doesNotContain("evil").doesNotContain("script")
                    .doesNotContain("img").doesNotContain(t.accessToken());
        }
        // A form's POST comes back to its path without the query (as the 303 does).
        HttpResponse<String> post = send("POST", "/app/orders?delete=7", signIn(t), "Sec-Fetch-Mode", "navigate");
        assertComesBack(post, "1;url=/app/orders");
    }

    // ---------------------------------------------------------------- helpers

    private static void assertComesBack(HttpResponse<String> r, String refresh) {
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Refresh")).contains(refresh);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer error=\"invalid_token\"");
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(r.body()).contains(PAGE).doesNotContain("page of");
    }

    private String signIn(StubTokens t) throws Exception {
        String form = "access=" + t.accessToken() + "&id=" + t.idToken() + "&refresh=" + t.refreshToken();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        return r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private HttpResponse<String> page(String path, String cookie) throws Exception {
        return send("GET", path, cookie, "Sec-Fetch-Mode", "navigate");
    }

    private HttpResponse<String> send(String method, String path, String cookie, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jetty.base() + path)).header("Cookie", cookie);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
