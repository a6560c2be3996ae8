package io.github.cognitorevoke;

import io.github.cognitorevoke.internal.Bootstrap;
import io.github.cognitorevoke.internal.Installation;
import io.github.cognitorevoke.internal.PresentedTokens;
import io.github.cognitorevoke.internal.RevocationEngine;
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
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
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
 *   cookies and answers 204 (or 303 to {@code logoutRedirect}), 202 when Cognito is pending, 400,
 *   401, 405 or, when Cognito refuses because of the app client's setup, 502.</li>
 *   <li>On every other request a bearer token that is revoked gets 401 with RFC 6750's
 *   {@code WWW-Authenticate: Bearer error="invalid_token"}; everything else passes through
 *   untouched.</li>
 * </ul>
 *
 * <p>The filter is a thin adapter: the decisions live in the service it shares with every
 * {@code @Inject TokenRevocationService} of the application.
 */
public final class RevocationFilter implements Filter {

    private static final String REVOKED = "Bearer error=\"invalid_token\", "
            + "error_description=\"The access token has been revoked\"";

    private TokenRevocationService service;
    private RevocationEngine engine;
    private PresentedTokens presented;
    /** Whether the application's own resolver reads tokens from places the search does not know. */
    private boolean customResolver;
    private TokenResolver resolver;
    private String[] logoutPaths = new String[0];
    private String logoutRedirect;
    private Set<String> cookies = Collections.emptySet();
    private Installation own;

    /** Creates the filter; the container calls {@link #init}. */
    public RevocationFilter() {
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        Installation installation = Bootstrap.installation(config.getServletContext());
        if (installation == null) {
            // No deployment check ran (the container skipped the library's initializer): build our
            // own and publish it, so that the application's CDI bean shares this denylist.
            RevocationSettings settings = Bootstrap.settings(Bootstrap.params(
                    Collections.list(config.getInitParameterNames()), config::getInitParameter));
            own = Installation.create(settings, config.getServletContext().getClassLoader());
            Bootstrap.publish(config.getServletContext(), own);
            installation = own;
        }
        engine = installation.engine();
        RevocationSettings settings = engine.settings();
        service = TokenRevocationService.over(engine);
        presented = new PresentedTokens(settings);
        customResolver = settings.tokenResolver().isPresent();
        resolver = installation.resolver();
        logoutPaths = settings.logoutPaths().toArray(String[]::new);
        logoutRedirect = settings.logoutRedirect().orElse(null);
        cookies = Stream.of(settings.accessTokenCookie(), settings.refreshTokenCookie())
                .flatMap(Optional::stream)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        if (isLogoutPath(request)) {
            logout(request, response);
            return;
        }
        RevocationEngine.Search search = engine.search();
        CharSequence revokedText = presented.find(request, search);
        if (revokedText != null) {
            engine.reportRejection(path(request), revokedText);
            revoked(response);
            return;
        }
        if (customResolver) {
            Optional<String> token;
            try {
                token = resolver.resolve(request, TokenType.ACCESS);
            } catch (InvalidRequestException e) {
                // The application's own token source calls the request malformed: it cannot be
                // checked, so it does not pass either.
                error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request", e.getMessage());
                return;
            }
            if (token.isPresent() && search.test(token.get())) {
                engine.reportRejection(path(request), token.get());
                revoked(response);
                return;
            }
        }
        if (search.incomplete()) {
            // Not one issued token needs that many slow reads: a flood of crafted segments. It was
            // not checked in full, so it does not pass.
            error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request",
                    "The request carries too many token-like parts that are not plain JSON");
            return;
        }
        chain.doFilter(req, res);
    }

    private static String path(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
    }

    private static void revoked(HttpServletResponse response) throws IOException {
        response.setHeader("WWW-Authenticate", REVOKED);
        error(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token", "The access token has been revoked");
    }

    /** Whether servlet path + path info is a logout path, without building the joined string. */
    private boolean isLogoutPath(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        int length = servletPath.length() + (pathInfo == null ? 0 : pathInfo.length());
        for (String path : logoutPaths) {
            if (path.length() == length && path.startsWith(servletPath)
                    && (pathInfo == null || path.startsWith(pathInfo, servletPath.length()))) {
                return true;
            }
        }
        return false;
    }

    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "invalid_request", "Logout takes POST");
            return;
        }
        boolean bearer = hasBearerHeader(request);
        if (!bearer && crossSite(request)) {
            // Tokens in cookies (or a session) ride along on any site's form POST: refuse those.
            error(response, HttpServletResponse.SC_FORBIDDEN, "access_denied",
                    "A cross-site logout is refused; send it from the application's own pages");
            return;
        }
        String access;
        String refresh;
        try {
            access = resolver.resolve(request, TokenType.ACCESS).orElse(null);
            refresh = resolver.resolve(request, TokenType.REFRESH).orElse(null);
        } catch (UnsupportedMediaTypeException e) {
            response.setHeader("Accept-Post", "application/x-www-form-urlencoded");
            error(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "invalid_request", e.getMessage());
            return;
        } catch (InvalidRequestException e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request", e.getMessage());
            return;
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The container could not parse the request (a malformed form body or cookie header).
            error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request", "The request cannot be read");
            return;
        }
        LogoutResult result;
        try {
            result = service.logout(access, refresh);
        } catch (InvalidRequestException e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request", e.getMessage());
            return;
        } catch (InvalidTokenException e) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\""
                    + e.getMessage() + "\"");
            error(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token", e.getMessage());
            return;
        } catch (RevocationUnavailableException e) {
            response.setHeader("Retry-After", "30");
            error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "temporarily_unavailable", e.getMessage());
            return;
        }
        if (result.endsSession()) {
            endSession(request, response);
        }
        switch (result.status()) {
            case COMPLETED -> {
                if (logoutRedirect != null) {
                    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
                    response.setHeader("Location", logoutRedirect.startsWith("/")
                            ? request.getContextPath() + logoutRedirect : logoutRedirect);
                } else {
                    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                }
            }
            case PENDING -> json(response, HttpServletResponse.SC_ACCEPTED, "{\"status\":\"pending\","
                    + "\"description\":\"Logged out here; the revocation at the identity provider, or its spread to"
                    + " the other servers, is pending and will be retried\"}");
            case REFUSED -> {
                LogoutResult.Refusal r = result.refusal().orElseThrow();
                switch (r.reason()) {
                    case NOT_A_REFRESH_TOKEN -> error(response, HttpServletResponse.SC_BAD_REQUEST,
                            "unsupported_token_type", r.description());
                    case TOKEN_NOT_ACCEPTED -> error(response, HttpServletResponse.SC_BAD_REQUEST,
                            "invalid_grant", r.description());
                    case MALFORMED_TOKEN -> error(response, HttpServletResponse.SC_BAD_REQUEST,
                            "invalid_request", r.description());
                    case CLIENT_MISCONFIGURED -> error(response, HttpServletResponse.SC_BAD_GATEWAY,
                            "server_error", r.description());
                }
            }
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
        String path = request.getContextPath().isEmpty() ? "/" : request.getContextPath();
        for (String name : cookies) {
            // Browsers drop a Set-Cookie that breaks a name prefix's rules, which would leave the
            // cookie in place: __Host- wants Secure and Path=/, __Secure- wants Secure.
            if (name.startsWith("__Host-")) {
                response.addCookie(expired(name, "/", true));
            } else if (name.startsWith("__Secure-")) {
                response.addCookie(expired(name, path, true));
            } else {
                response.addCookie(expired(name, path, request.isSecure()));
                if (!request.isSecure()) {
                    // Behind a TLS-terminating proxy the browser may hold a Secure cookie: expire that too.
                    response.addCookie(expired(name, path, true));
                }
            }
        }
    }

    private static Cookie expired(String name, String path, boolean secure) {
        Cookie cookie = new Cookie(name, "");
        cookie.setMaxAge(0);
        cookie.setPath(path);
        cookie.setHttpOnly(true);
        cookie.setSecure(secure);
        return cookie;
    }

    private static boolean hasBearerHeader(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.stripLeading().regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /**
     * Whether a browser sent this request from another site: {@code Sec-Fetch-Site} when the browser
     * sends it (all current ones do), else {@code Origin} against {@code Host}. A request with
     * neither (curl, a server, an old browser) is not judged.
     */
    static boolean crossSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return !("same-origin".equalsIgnoreCase(site) || "none".equalsIgnoreCase(site));
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String authority = authority(origin);
        if (authority == null) {
            return true; // "null" or garbage: an opaque origin is never this application
        }
        return !(authority.equalsIgnoreCase(hostWithoutDefaultPort(request.getHeader("Host")))
                || authority.equalsIgnoreCase(hostWithoutDefaultPort(request.getHeader("X-Forwarded-Host"))));
    }

    /** The host[:port] of an origin, without the scheme's default port; null if it is not one. */
    private static String authority(String origin) {
        int scheme = origin.indexOf("://");
        if (scheme <= 0) {
            return null;
        }
        String s = origin.substring(0, scheme).toLowerCase(java.util.Locale.ROOT);
        String rest = origin.substring(scheme + 3);
        if (rest.isEmpty() || rest.indexOf('/') >= 0) {
            return null;
        }
        if (("https".equals(s) && rest.endsWith(":443")) || ("http".equals(s) && rest.endsWith(":80"))) {
            rest = rest.substring(0, rest.lastIndexOf(':'));
        }
        return rest;
    }

    private static String hostWithoutDefaultPort(String host) {
        if (host == null) {
            return null;
        }
        String h = host.strip();
        return h.endsWith(":80") || h.endsWith(":443") ? h.substring(0, h.lastIndexOf(':')) : h;
    }

    private static void error(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        json(response, status, "{\"error\":\"" + error + "\",\"error_description\":\"" + jsonEscape(description) + "\"}");
    }

    private static void json(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public void destroy() {
        if (own != null) {
            own.engine().close();
        }
    }
}
