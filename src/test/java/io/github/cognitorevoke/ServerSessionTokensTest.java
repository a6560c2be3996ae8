package io.github.cognitorevoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cognitorevoke.attack.RawHttp;
import io.github.cognitorevoke.internal.Bootstrap;
import io.github.cognitorevoke.support.JettyFixture;
import io.github.cognitorevoke.support.StubSettings;
import io.github.cognitorevoke.testing.CognitoStub;
import io.github.cognitorevoke.testing.StubTokens;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens that the server's own OIDC login keeps in the session, read without configuration: here
 * an object shaped like elytron-oidc-client's {@code RefreshableOidcSecurityContext} (same
 * attribute name, same getters), put in place by a stand-in for the container's mechanism. A
 * logout with the session cookie alone revokes and denylists them; a session whose tokens were
 * revoked elsewhere ends on its next request (navigation: sent to sign in again; script: 401);
 * forged session content denylists nothing. A session whose access token expired still logs out
 * (with its refresh token); another user's bearer token next to a session is never mixed with the
 * session's tokens; the 303 to sign in again stays on this server whatever the path.
 */
class ServerSessionTokensTest {

    private static final String ATTRIBUTE = "org.wildfly.security.http.oidc.OidcSecurityContext";
    private static final String SIGNED_OUT = "http://localhost/app/signed-out";

    private static CognitoStub stub;
    private static JettyFixture jetty;
    private static final HttpClient http = HttpClient.newHttpClient();

    /** Shaped like elytron-oidc-client's context: found by its attribute name and public getters. */
    public static final class FakeOidcContext implements Serializable {
        private final String access;
        private final String id;
        private final String refresh;

        FakeOidcContext(String access, String id, String refresh) {
            this.access = access;
            this.id = id;
            this.refresh = refresh;
        }

        public String getTokenString() {
            return access;
        }

        public String getIDTokenString() {
            return id;
        }

        public String getRefreshToken() {
            return refresh;
        }
    }

    /**
     * Stands in for the container's OIDC mechanism: {@code POST /signin} keeps the posted tokens in
     * a new session; later requests of that session get the caller and the request attribute.
     */
    public static final class FakeMechanism extends HttpFilter {
        @Override
        protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            if ("/signin".equals(req.getServletPath())) {
                HttpSession session = req.getSession(true);
                session.setAttribute(ATTRIBUTE, new FakeOidcContext(req.getParameter("access"), req.getParameter("id"),
                        req.getParameter("refresh")));
                res.setStatus(204);
                return;
            }
            HttpSession session = req.getSession(false);
            Object context = session == null ? null : session.getAttribute(ATTRIBUTE);
            String stored = cookie(req, "OIDC_STATE");
            if (context == null && stored != null) {
                // elytron-oidc-client's cookie token store: access###id###refresh, read on every request
                String[] t = stored.split("###", -1);
                context = t.length == 3 ? new FakeOidcContext(t[0], t[1], t[2]) : null;
            }
            if (context == null) {
                chain.doFilter(req, res);
                return;
            }
            req.setAttribute(ATTRIBUTE, context);
            chain.doFilter(new HttpServletRequestWrapper(req) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> "alice";
                }
            }, res);
        }
    }

    private static String cookie(HttpServletRequest req, String name) {
        for (jakarta.servlet.http.Cookie c : req.getCookies() == null ? new jakarta.servlet.http.Cookie[0] : req.getCookies()) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    @BeforeAll
    static void start() throws Exception {
        // Tokens of seconds well before every logout here: a session they end is sent to sign in again at
        // once (303); one signed in a moment before is told to come back a second later (SignInAgainTest).
        stub = CognitoStub.start(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-30)));
        stub.addClient(StubSettings.CLIENT, null, true);
        stub.setLogoutUrls(StubSettings.CLIENT, SIGNED_OUT);
        Map<String, String> p = StubSettings.initParameters(stub, StubSettings.CLIENT);
        p.put("cognitoDomain", stub.managedLoginDomain().toString());
        p.put("logoutUri", SIGNED_OUT);
        ServletContextHandler app = app("/app", p);
        jetty = JettyFixture.start(app);
    }

    /**
     * An application whose sign-in is {@link FakeMechanism}, then the filter with these init-params, then
     * a page that names its caller ({@code page of alice}, or {@code anonymous}).
     */
    static ServletContextHandler app(String path, Map<String, String> params) {
        ServletContextHandler app = new ServletContextHandler(ServletContextHandler.SESSIONS);
        app.setContextPath(path);
        app.addEventListener(new Bootstrap());
        app.addFilter(new FilterHolder(new FakeMechanism()), "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder filter = new FilterHolder(RevocationFilter.class);
        params.forEach(filter::setInitParameter);
        app.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        app.addServlet(callerPage(), "/");
        return app;
    }

    /** A page that names its caller: {@code page of alice}, or {@code anonymous}. */
    static HttpServlet callerPage() {
        return new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().write(req.getUserPrincipal() == null ? "anonymous" : "page of " + req.getUserPrincipal().getName());
            }
        };
    }

    @AfterAll
    static void stop() {
        jetty.close();
        stub.close();
    }

    @Test
    void logout_withTheSessionCookieAlone_revokesDenylistsEndsSession_andGoesToCognito() throws Exception {
        StubTokens t = stub.login(StubSettings.CLIENT, "alice");
        String session = signIn(t);
        logsOutThroughCognito(session, t);
        assertThat(bearer(t.accessToken()).statusCode()).isEqualTo(401);
        assertThat(bearer(t.idToken()).statusCode()).isEqualTo(401);
    }

    @Test
    void sessionRevokedElsewhere_navigationGoesToSignInAgain_scriptGets401_sessionEnds() throws Exception {
        StubTokens t = stub.login(StubSettings.CLIENT, "bob");
        String navigating = signIn(t);
        String scripting = signIn(t);
        // another node, or the same user's API logout, revokes the family
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/logout"))
                .header("Authorization", "Bearer " + t.accessToken()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(204);

        HttpResponse<String> nav = page("/app/orders?id=7", navigating, "navigate");
        assertThat(nav.statusCode()).isEqualTo(303);
        assertThat(nav.headers().firstValue("Location")).contains("/app/orders?id=7");
        assertThat(nav.body()).doesNotContain("page of");
        assertThat(page("/app/orders?id=7", navigating, "navigate").body()).isEqualTo("anonymous");

        HttpResponse<String> xhr = page("/app/api/orders", scripting, "cors");
        assertThat(xhr.statusCode()).isEqualTo(401);
        assertThat(page("/app/page", scripting, "navigate").body()).isEqualTo("anonymous");
    }

    @Test
    void refreshedByTheServerBeforeTheRevocation_sameFamily_stillRejected() throws Exception {
        StubTokens t = stub.login(StubSettings.CLIENT, "carol");
        // the refresh happened before the revocation went through: new tokens of the same family
        StubTokens refreshed = stub.refresh(StubSettings.CLIENT, t.refreshToken());
        http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/logout"))
                .header("Authorization", "Bearer " + t.accessToken()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        String session = signIn(refreshed);
        assertThat(page("/app/page", session, "navigate").statusCode()).isEqualTo(303);
    }

    @Test
    void forgedSessionTokens_logoutDenylistsNothing_victimUnaffected() throws Exception {
        StubTokens victim = stub.login(StubSettings.CLIENT, "dave");
        // a token with the victim's ids, signed with another key, in the attacker's own session
        String forged = stub.jwt().signWithUnknownKey(stub.jwt().accessClaims(StubSettings.CLIENT, "dave")
                .jwtID(victim.accessJti()).claim("origin_jti", victim.originJti()).build());
        String session = signIn(new StubTokens(forged, null, victim.refreshToken(), null));
        HttpResponse<String> out = send("POST", "/app/logout", session, "Sec-Fetch-Site", "same-origin");
        assertThat(out.statusCode()).isEqualTo(401);
        assertThat(bearer(victim.accessToken()).statusCode()).isEqualTo(200);
        assertThat(stub.isRevoked(victim.refreshToken())).isFalse();
    }

    @Test
    void crossSiteLogout_refused_sessionKept() throws Exception {
        StubTokens t = stub.login(StubSettings.CLIENT, "erin");
        String session = signIn(t);
        HttpResponse<String> out = send("POST", "/app/logout", session, "Sec-Fetch-Site", "cross-site");
        assertThat(out.statusCode()).isEqualTo(403);
        // the stand-in names every caller alice
        assertThat(page("/app/page", session, "navigate").body()).isEqualTo("page of alice");
        assertThat(stub.isRevoked(t.refreshToken())).isFalse();
    }

    /**
     * A session an hour old: its access token expired, its refresh token is alive. "Log out" must
     * still log out: the refresh token revoked, the session ended, the browser sent on to Cognito;
     * never a 401 that leaves the user signed in with a live refresh token.
     */
    @Test
    void logout_sessionWhoseAccessTokenExpired_revokesRefreshToken_endsSession() throws Exception {
        StubTokens t = stub.login(StubSettings.CLIENT, "frank");
        String session = signIn(new StubTokens(expiredAccess(t, "frank"), t.idToken(), t.refreshToken(), t.originJti()));
        logsOutThroughCognito(session, t);
    }

    /**
     * The same session after its refresh token was revoked elsewhere (another application, an
     * administrator): nothing is left to revoke, and "Log out" still ends the session.
     */
    @Test
    void logout_sessionWhoseTokensAreDeadAlready_stillEndsSession() throws Exception {
        StubTokens t = stub.login(StubSettings.CLIENT, "lee");
        String session = signIn(new StubTokens(expiredAccess(t, "lee"), t.idToken(), t.refreshToken(), t.originJti()));
        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("refresh_token=" + t.refreshToken())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode()).isIn(204, 303);
        assertThat(page("/app/page", session, "navigate").body()).isEqualTo("page of alice");

        HttpResponse<String> out = send("POST", "/app/logout", session, "Sec-Fetch-Site", "same-origin");
        assertThat(page("/app/page", session, "navigate").body()).isEqualTo("anonymous");
    }

    /**
     * elytron-oidc-client with {@code "token-store": "cookie"} keeps the tokens in its {@code OIDC_STATE}
     * cookie and reads the caller back from it on every request: ending the session alone would leave the
     * caller signed in with the revoked token, sent round for ever. A revoked one's navigation and script
     * call, and a logout, expire that cookie at the context path; a request without it gets no such header.
     */
    @Test
    void elytronCookieTokenStore_revokedOrLoggedOut_theCookieIsExpiredToo() throws Exception {
        StubTokens t = stub.login(StubSettings.CLIENT, "nia");
        String stored = "OIDC_STATE=" + t.accessToken() + "###" + t.idToken() + "###" + t.refreshToken();
        assertThat(page("/app/page", stored, "navigate").body()).isEqualTo("page of alice");
        assertThat(page("/app/page", "x=1", "navigate").headers().allValues("Set-Cookie")).isEmpty();

        HttpResponse<String> out = send("POST", "/app/logout", stored, "Sec-Fetch-Site", "same-origin");
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("OIDC_STATE=;")
                .containsAnyOf("Max-Age=0", "Expires=Thu, 01 Jan 1970").contains("Path=/app;").contains("HttpOnly"));
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();

        // a browser that kept the cookie (or another node's revocation): its next request ends it as well
        for (String mode : new String[] {"navigate", "cors"}) {
            HttpResponse<String> next = page("/app/page", stored, mode);
            assertThat(next.statusCode()).as(mode).isIn(303, 401);
            assertThat(next.body()).as(mode).doesNotContain("page of");
            assertThat(next.headers().allValues("Set-Cookie")).as(mode).anySatisfy(c -> assertThat(c)
                    .startsWith("OIDC_STATE=;").containsAnyOf("Max-Age=0", "Expires=Thu, 01 Jan 1970").contains("Path=/app;"));
        }
    }

    /** A revoked session reaches the application by no method and no spelling of a path. */
    @Test
    void revokedSession_noMethodOrPathSpellingReachesTheApplication() throws Exception {
        String[][] tries = {{"GET", "/app/LOGOUT"}, {"HEAD", "/app/page"}, {"OPTIONS", "/app/page"},
                {"GET", "/app/logout/"}, {"PUT", "/app/page;jsessionid=x"}, {"GET", "/app/%70age"},
                {"DELETE", "/app/./page"}};
        for (String[] attempt : tries) {
            StubTokens t = stub.login(StubSettings.CLIENT, "max");
            String session = signIn(t);
            http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/logout"))
                    .header("Authorization", "Bearer " + t.accessToken()).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> r = send(attempt[0], attempt[1], session, "Accept", "text/html");
            assertThat(r.statusCode()).as(String.join(" ", attempt)).isIn(303, 401, 405);
            assertThat(r.body()).as(String.join(" ", attempt)).doesNotContain("page of");
            assertThat(page("/app/page", session, "navigate").body()).isEqualTo("anonymous");
        }
    }

    /** The same with a forged session access token that claims to be expired: nothing is denylisted. */
    @Test
    void logout_forgedExpiredSessionAccessToken_denylistsNothing() throws Exception {
        StubTokens victim = stub.login(StubSettings.CLIENT, "gina");
        Instant past = Instant.now().minus(Duration.ofHours(2));
        String forged = stub.jwt().signWithUnknownKey(stub.jwt().accessClaims(StubSettings.CLIENT, "gina")
                .jwtID(victim.accessJti()).claim("origin_jti", victim.originJti())
                .issueTime(Date.from(past)).expirationTime(Date.from(past.plus(Duration.ofHours(1)))).build());
        String session = signIn(new StubTokens(forged, null, CognitoStub.unknownRefreshToken(), null));
        send("POST", "/app/logout", session, "Sec-Fetch-Site", "same-origin");
        assertThat(bearer(victim.accessToken()).statusCode()).isEqualTo(200);
        assertThat(bearer(victim.idToken()).statusCode()).isEqualTo(200);
        assertThat(stub.isRevoked(victim.refreshToken())).isFalse();
    }

    /**
     * A logout with a session and another user's bearer token logs out the bearer token alone (its
     * own tokens, never a mix with the session's refresh token).
     */
    @Test
    void logout_sessionPlusAnotherUsersBearer_neverMixesTheSessionsRefreshToken() throws Exception {
        StubTokens alice = stub.login(StubSettings.CLIENT, "hank");
        StubTokens other = stub.login(StubSettings.CLIENT, "ivy");
        String session = signIn(alice);
        HttpResponse<String> out = send("POST", "/app/logout", session, "Authorization", "Bearer " + other.accessToken());
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(stub.isRevoked(alice.refreshToken())).isFalse();
        assertThat(stub.isRevoked(other.refreshToken())).isFalse();
        assertThat(bearer(other.accessToken()).statusCode()).isEqualTo(401);
        assertThat(bearer(alice.accessToken()).statusCode()).isEqualTo(200);
    }

    /** The 303 to sign in again stays on this server, whatever the path looks like. */
    @Test
    void revokedSession_navigation_locationStaysOnThisServer() throws Exception {
        for (String path : new String[] {"/app//evil.example/x", "/app/%2F%2Fevil.example",
                "/app/;jsessionid=x//evil.example", "/app/%5C%5Cevil.example", "/app/%0d%0aSet-Cookie:%20a=b"}) {
            StubTokens t = stub.login(StubSettings.CLIENT, "jo");
            String session = signIn(t);
            http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/logout"))
                    .header("Authorization", "Bearer " + t.accessToken()).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> nav = page(path, session, "navigate");
            assertThat(nav.statusCode()).as(path).isIn(303, 400, 404);
            String location = nav.headers().firstValue("Location").orElse("/");
            assertThat(location).as(path).startsWith("/").doesNotStartWith("//").doesNotContain("\\")
                    .doesNotContain("\r").doesNotContain("\n");
            assertThat(nav.headers().allValues("Set-Cookie")).as(path).noneMatch(c -> c.startsWith("a="));
            assertThat(location).doesNotContain(t.accessToken());
        }
    }

    /**
     * Raw request lines a browser would not send: UTF-8 bytes whose code points end in CR LF
     * (U+010D U+010A), an absolute-form target naming another host. The 303 neither splits its
     * header nor echoes the decoded junk (Jetty hands the query over decoded) nor leaves this server.
     */
    @Test
    void revokedSession_rawRequestLines_noHeaderSplit_noOtherHost() throws Exception {
        String crlf = "\u00c4\u008d\u00c4\u008aSet-Cookie:a=b";
        for (String target : new String[] {"/app/x?" + crlf, "/app/" + crlf, "http://evil.example//app/x",
                "http://evil.example/app/x?q=%0d%0aSet-Cookie:a=b"}) {
            StubTokens t = stub.login(StubSettings.CLIENT, "kim");
            String session = signIn(t);
            http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/logout"))
                    .header("Authorization", "Bearer " + t.accessToken()).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            RawHttp.Response r = RawHttp.send(jetty.base().replaceAll("/+$", ""), "GET", target,
                    List.of(Map.entry("Cookie", session), Map.entry("Sec-Fetch-Mode", "navigate")), null);
            assertThat(r.head()).as(target).doesNotContainIgnoringCase("\r\nSet-Cookie: a=b")
                    .doesNotContainIgnoringCase("\r\nSet-Cookie:a=b").doesNotContain("evil.example");
            for (String line : r.head().split("\r\n")) {
                if (line.regionMatches(true, 0, "Location:", 0, 9)) {
                    String location = line.substring(9).trim();
                    assertThat(location).as(target).startsWith("/").doesNotStartWith("//")
                            .doesNotContainIgnoringCase("set-cookie");
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The session's access token an hour later: same ids, signed by the pool, expired. */
    private static String expiredAccess(StubTokens t, String username) {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        return stub.jwt().sign(stub.jwt().accessClaims(StubSettings.CLIENT, username)
                .jwtID(t.accessJti()).claim("origin_jti", t.originJti())
                .issueTime(Date.from(past)).expirationTime(Date.from(past.plus(Duration.ofHours(1)))).build());
    }

    /**
     * A signed-in session's logout from the application's own page: Cognito's /logout next, the
     * refresh token revoked, the session ended.
     */
    private static void logsOutThroughCognito(String session, StubTokens t) throws Exception {
        assertThat(page("/app/page", session, "navigate").body()).isEqualTo("page of alice");

        HttpResponse<String> out = send("POST", "/app/logout", session, "Sec-Fetch-Site", "same-origin");
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location").orElseThrow())
                .startsWith(stub.managedLoginDomain() + "/logout?client_id=" + StubSettings.CLIENT);
        assertThat(stub.isRevoked(t.refreshToken())).isTrue();
        assertThat(page("/app/page", session, "navigate").body()).isEqualTo("anonymous");
    }

    private static String signIn(StubTokens t) throws Exception {
        String form = "access=" + t.accessToken() + (t.idToken() == null ? "" : "&id=" + t.idToken())
                + "&refresh=" + t.refreshToken();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        return r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private static HttpResponse<String> page(String path, String cookie, String fetchMode) throws Exception {
        return send("GET", path, cookie, "Sec-Fetch-Mode", fetchMode);
    }

    private static HttpResponse<String> bearer(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/app/api"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String cookie, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jetty.base() + path)).header("Cookie", cookie);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
