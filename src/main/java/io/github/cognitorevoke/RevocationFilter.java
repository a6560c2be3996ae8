package io.github.cognitorevoke;

import io.github.cognitorevoke.internal.AlbCookies;
import io.github.cognitorevoke.internal.Bootstrap;
import io.github.cognitorevoke.internal.ExpiredCookies;
import io.github.cognitorevoke.internal.Installation;
import io.github.cognitorevoke.internal.Installations;
import io.github.cognitorevoke.internal.LogoutAnswer;
import io.github.cognitorevoke.internal.LogoutRules;
import io.github.cognitorevoke.internal.ManagedLogin;
import io.github.cognitorevoke.internal.Navigation;
import io.github.cognitorevoke.internal.PresentedTokens;
import io.github.cognitorevoke.internal.Rejection;
import io.github.cognitorevoke.internal.RevocationEngine;
import io.github.cognitorevoke.internal.ServerSessionTokens;
import io.github.cognitorevoke.internal.SessionFallback;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collections;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The servlet filter of cognito-revoke, configured by its init-params in {@code web.xml} (see
 * {@link RevocationSettings}).
 *
 * <ul>
 *   <li>On a logout path it takes {@code POST} with the access token ({@code Authorization: Bearer})
 *   and/or the refresh token (form field {@code refresh_token}), logs out through
 *   {@link TokenRevocationService#logout}, invalidates the HTTP session, expires the configured
 *   cookies and answers 204 (or 303 to {@code logoutRedirect}), or 202 when Cognito is pending.
 *   It refuses with 400 (malformed or ambiguous request, or a refresh token Cognito rejects), 401
 *   (the access token fails verification), 403 (a logout without a bearer header sent cross-site
 *   by a browser), 405 (not {@code POST}), 415 (a body that is not a form), 502 (Cognito refuses
 *   because of the app client's setup) or 503 (the key set cannot be fetched, or too many
 *   revocations are pending).</li>
 *   <li>On a sign-out-everywhere path ({@code signOutEverywherePaths}) the same, with the access
 *   token alone, through {@link TokenRevocationService#signOutEverywhere}.</li>
 *   <li>With managed login ({@code cognitoDomain} and {@code logoutUri}), a browser's logout (no
 *   bearer {@code Authorization} header) that completed or was accepted answers 303 to Cognito's
 *   {@code /logout} instead, built from the settings alone; with {@code albSessionCookie}, every
 *   logout the user asked for also expires the load balancer's session cookies.</li>
 *   <li>On every other request a bearer token that is revoked gets 401 with RFC 6750's
 *   {@code WWW-Authenticate: Bearer error="invalid_token"}; a request that cannot be checked in
 *   full gets 400; everything else passes through untouched.</li>
 *   <li>The tokens that the server's own OpenID Connect login keeps in the session (Jakarta
 *   Security's {@code OpenIdContext}, elytron-oidc-client's {@code OidcSecurityContext}) are read
 *   without configuration, for a request with an authenticated caller: a logout that presents no
 *   access token of its own logs out with them; on any other request a revoked one ends the session,
 *   and a navigation gets 303 to the same path (to sign in again), a script 401. When signing in
 *   again at once would get tokens rejected by the same rule (a sign-out everywhere of this very
 *   second), the navigation gets 401 with a page that comes back to the same path when it has
 *   passed. Both also expire elytron-oidc-client's token cookie ({@code OIDC_STATE}, its
 *   {@code "token-store": "cookie"}) when the request carries it.</li>
 * </ul>
 *
 * <p>The filter is a thin adapter: the logout rules are a plain class that returns an answer, the
 * filter maps that answer to HTTP, and the revocation decisions live in the service it shares with
 * every {@code @Inject TokenRevocationService} of the application.
 */
public final class RevocationFilter implements Filter {

    private static final String REVOKED = "The access token has been revoked";
    private static final String PENDING = "{\"status\":\"pending\",\"description\":\"Logged out here; the"
            + " revocation at the identity provider, or its spread to the other servers, is pending and will be"
            + " retried\"}";

    private RevocationEngine engine;
    private PresentedTokens presented;
    /** Whether the application's own resolver reads tokens from places the search does not know. */
    private boolean customResolver;
    private TokenResolver resolver;
    private String[] logoutPaths = new String[0];
    private String[] signOutEverywherePaths = new String[0];
    private LogoutRules rules;
    private LogoutRules signOutRules;
    private ExpiredCookies cookies;
    /** Null without {@code albSessionCookie}. */
    private AlbCookies albCookies;
    private Installation own;
    /** The tokens the server's own OIDC login keeps in the session. */
    private ServerSessionTokens sessionTokens;

    /** Creates the filter; the container calls {@link #init}. */
    public RevocationFilter() {
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        Installation installation = Installations.installation(config.getServletContext());
        if (installation == null) {
            // No deployment check ran (the container skipped the library's initializer): build our
            // own and publish it, so that the application's CDI bean shares this denylist.
            RevocationSettings settings = Bootstrap.settings(Bootstrap.params(
                    Collections.list(config.getInitParameterNames()), config::getInitParameter));
            own = Bootstrap.install(config.getServletContext(), settings);
            Bootstrap.publish(config.getServletContext(), own);
            installation = own;
        }
        engine = installation.engine();
        RevocationSettings settings = engine.settings();
        presented = new PresentedTokens(settings);
        customResolver = settings.tokenResolver().isPresent();
        resolver = installation.resolver();
        logoutPaths = settings.logoutPaths().toArray(String[]::new);
        signOutEverywherePaths = settings.signOutEverywherePaths().toArray(String[]::new);
        TokenRevocationService service = TokenRevocationService.over(engine);
        String redirect = settings.logoutRedirect().orElse(null);
        String managedLogout = settings.cognitoDomain()
                .map(domain -> ManagedLogin.logoutLocation(domain, settings.clientId(), settings.logoutUri().orElseThrow()))
                .orElse(null);
        rules = new LogoutRules(service::logout, redirect, managedLogout);
        signOutRules = LogoutRules.signOutEverywhere(service::signOutEverywhere, redirect, managedLogout);
        albCookies = settings.albSessionCookie().map(AlbCookies::new).orElse(null);
        sessionTokens = ServerSessionTokens.detect();
        cookies = new ExpiredCookies(Stream.of(settings.accessTokenCookie(), settings.refreshTokenCookie())
                .flatMap(Optional::stream)
                .collect(Collectors.toUnmodifiableSet()));
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        if (isOneOf(request, logoutPaths)) {
            logout(request, response, rules, true);
            return;
        }
        if (signOutEverywherePaths.length > 0 && isOneOf(request, signOutEverywherePaths)) {
            logout(request, response, signOutRules, false);
            return;
        }
        RevocationEngine.Search search = engine.search();
        CharSequence revokedText = presented.find(request, search);
        if (revokedText != null) {
            search.report(path(request), revokedText);
            rejectRevoked(request, response);
            return;
        }
        if (customResolver) {
            Optional<String> token;
            try {
                token = resolver.resolve(request, TokenType.ACCESS);
            } catch (InvalidRequestException e) {
                // The application's own token source calls the request malformed: it cannot be
                // checked, so it does not pass either.
                Rejection.INVALID_REQUEST.write(response, e.getMessage());
                return;
            }
            if (token.isPresent() && search.test(token.get())) {
                search.report(path(request), token.get());
                rejectRevoked(request, response);
                return;
            }
        }
        ServerSessionTokens.Tokens held = sessionTokens.read(request);
        if (held != null) {
            String revoked = held.access() != null && search.test(held.access()) ? held.access()
                    : held.id() != null && search.test(held.id()) ? held.id() : null;
            if (revoked != null) {
                search.report(path(request), revoked);
                endRevokedSession(request, response, search.signInAgainAfter());
                return;
            }
        }
        if (search.incomplete()) {
            // Not one issued token needs that many slow reads: a flood of crafted segments. It was
            // not checked in full, so it does not pass.
            Rejection.INVALID_REQUEST.write(response,
                    "The request carries too many token-like parts that are not plain JSON");
            return;
        }
        chain.doFilter(req, res);
    }

    /**
     * 401 for a revoked token. A session that this very request opened goes too: the server's own
     * authentication (a Jakarta Security mechanism with {@code @AutoApplySession}, for one) runs
     * before any filter and may have accepted the token and kept its caller in a new session, whose
     * cookie would otherwise reach the application without the token. A session the client already
     * had is left alone: a link carrying someone's revoked token must not log its visitor out.
     */
    private static void rejectRevoked(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        if (session != null) {
            try {
                if (session.isNew()) {
                    session.invalidate();
                }
            } catch (IllegalStateException alreadyInvalidated) {
                // ended meanwhile: nothing left to end
            }
        }
        Rejection.INVALID_TOKEN.write(response, REVOKED);
    }

    /**
     * A session whose token was revoked (a logout on another node, a sign-out everywhere, an
     * administrator) ends here, before the application sees the request: a navigation is sent to
     * the same address, where the server's login starts a new sign-in; a script's call gets 401.
     *
     * <p>When a sign-in again right now would get tokens that the same rule rejects (a sign-out
     * everywhere of this very second: tokens carry whole seconds), a 303 would send the browser round
     * the sign-in until the second has passed, and a browser gives up after about 20 redirects. The
     * navigation then gets a 401 whose small, fixed page comes back to the same address after
     * {@code wait} seconds ({@code Refresh}); nothing waits on this thread.
     *
     * @param wait seconds before the browser may sign in again; 0 for none
     */
    private static void endRevokedSession(HttpServletRequest request, HttpServletResponse response, int wait)
            throws IOException {
        HttpSession session = request.getSession(false);
        if (session != null) {
            try {
                session.invalidate();
            } catch (IllegalStateException alreadyInvalidated) {
                // ended meanwhile: nothing left to end
            }
        }
        for (Cookie cookie : ServerSessionTokens.expiredTokenCookies(request)) {
            response.addCookie(cookie); // elytron-oidc-client's cookie token store: the tokens are there, not in the session
        }
        response.setHeader("Cache-Control", "no-store");
        if (!Navigation.isNavigation(request)) {
            Rejection.INVALID_TOKEN.write(response, Navigation.SESSION_REVOKED);
        } else if (wait == 0) {
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", Navigation.again(request));
        } else {
            Navigation.comeBack(request, response, wait);
        }
    }

    private static String path(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
    }

    /** Whether servlet path + path info is one of the paths, without building the joined string. */
    private static boolean isOneOf(HttpServletRequest request, String[] paths) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        int length = servletPath.length() + (pathInfo == null ? 0 : pathInfo.length());
        for (String path : paths) {
            if (path.length() == length && path.startsWith(servletPath)
                    && (pathInfo == null || path.startsWith(pathInfo, servletPath.length()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param withoutExpired whether a session's expired access token is left out (a logout, which
     *                       then revokes the session's refresh token alone); a sign-out everywhere
     *                       cannot do without it
     */
    private void logout(HttpServletRequest request, HttpServletResponse response, LogoutRules rules,
                        boolean withoutExpired) throws IOException {
        LogoutRules.Request presented = LogoutRules.Request.of(request, resolver);
        LogoutAnswer answer = rules.decide(new LogoutRules.Request(presented.method(), presented.bearerHeader(),
                presented.crossSite(), presented.contextPath(),
                new SessionFallback(presented.tokens(), () -> {
                    ServerSessionTokens.Tokens held = sessionTokens.read(request);
                    // The server's login keeps an access token after it expired (Jakarta Security
                    // without tokenAutoRefresh): it would fail verification and leave the user
                    // signed in with a live refresh token.
                    return withoutExpired && held != null && held.access() != null && engine.expired(held.access())
                            ? new ServerSessionTokens.Tokens(null, held.id(), held.refresh()) : held;
                })));
        if (answer.endsSession()) {
            endSession(request, response);
        }
        if (albCookies != null && answer.asked()) {
            for (Cookie cookie : albCookies.forResponse(request)) {
                response.addCookie(cookie);
            }
        }
        if (answer instanceof LogoutAnswer.Refused refused) {
            refused.rejection().write(response, refused.description());
        } else if (answer instanceof LogoutAnswer.Redirect redirect) {
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", redirect.location());
        } else if (answer instanceof LogoutAnswer.Pending) {
            Rejection.json(response, HttpServletResponse.SC_ACCEPTED, PENDING);
        } else {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        }
    }

    private void endSession(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            try {
                session.invalidate();
            } catch (IllegalStateException alreadyInvalid) {
                // Nothing to do: the session is gone either way.
            }
        }
        for (Cookie cookie : cookies.forResponse(request.getContextPath(), request.isSecure())) {
            response.addCookie(cookie);
        }
        for (Cookie cookie : ServerSessionTokens.expiredTokenCookies(request)) {
            response.addCookie(cookie);
        }
    }

    @Override
    public void destroy() {
        if (own != null) {
            own.close();
        }
    }
}
