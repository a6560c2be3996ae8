package io.github.cognitorevoke.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The tokens that the server's own OpenID Connect login keeps for the current request's session,
 * read without configuration and without a compile-time dependency on any server:
 * <ul>
 *   <li>Jakarta Security 3 ({@code @OpenIdAuthenticationMechanismDefinition}, WildFly and Payara):
 *       the session-scoped {@code OpenIdContext} bean, through CDI ({@link OpenIdContextTokens}),
 *       consulted only when that API and a resolvable bean exist;</li>
 *   <li>WildFly's elytron-oidc-client ({@code <auth-method>OIDC</auth-method>}): the
 *       {@code OidcSecurityContext} (a {@code RefreshableOidcSecurityContext} for a browser session)
 *       that its mechanism puts in a request attribute named after the class, else the session
 *       attribute of that name; read by its public getters through reflection.</li>
 * </ul>
 *
 * <p>Only the container's own state for this request is read: the request attribute the
 * container's mechanism set and the session the container bound to the request. Nothing a request
 * carries (a parameter, a header, a cookie value) names a session or an attribute. What is read is
 * not trusted either: the per-request check only ever rejects with it, and a logout verifies the
 * access token (signature, issuer, client, expiry) before it denylists anything.
 *
 * <p>Cost: a request without an authenticated caller costs one {@code getUserPrincipal()} and one
 * attribute lookup; with an authenticated caller but no session, one {@code getSession(false)} more.
 */
public final class ServerSessionTokens {

    /** The attribute name elytron-oidc-client uses for the request's (and session's) security context. */
    static final String ELYTRON_CONTEXT = "org.wildfly.security.http.oidc.OidcSecurityContext";

    /**
     * The cookie in which elytron-oidc-client keeps the tokens instead of the session with
     * {@code "token-store": "cookie"} ({@code access###id###refresh}, HttpOnly, session-long); it
     * reads the caller back from it on every request, so ending the session leaves the caller signed in.
     */
    static final String ELYTRON_TOKEN_COOKIE = "OIDC_STATE";

    /** A path segment that can go into a {@code Set-Cookie} as it is (no {@code ;}, no space, no control character). */
    private static final Pattern PLAIN_SEGMENT = Pattern.compile("/[A-Za-z0-9._~-]+");

    private static final System.Logger LOG = System.getLogger(ServerSessionTokens.class.getName());

    /** Getters of elytron's context classes, looked up once per class. */
    private static final ClassValue<Getters> GETTERS = new ClassValue<>() {
        @Override
        protected Getters computeValue(Class<?> type) {
            return Getters.of(type);
        }
    };

    /** The tokens of one session; any may be null. {@link #toString()} shows none. */
    public record Tokens(String access, String id, String refresh) {

        /** @return whether there is no token at all */
        public boolean isEmpty() {
            return access == null && id == null && refresh == null;
        }

        @Override
        public String toString() {
            return "Tokens[redacted]";
        }
    }

    /** Reads a session's Jakarta Security tokens, or null when the application has no such bean. */
    private final Function<HttpServletRequest, Tokens> openId;

    private ServerSessionTokens(Function<HttpServletRequest, Tokens> openId) {
        this.openId = openId;
    }

    /**
     * Looks, once, for what the application's server offers.
     *
     * @return the reader
     */
    public static ServerSessionTokens detect() {
        Function<HttpServletRequest, Tokens> openId;
        try {
            openId = OpenIdContextTokens.detect();
        } catch (LinkageError noJakartaSecurityOrCdi) {
            openId = null;
        }
        return new ServerSessionTokens(openId);
    }

    /**
     * A reader that knows only elytron-oidc-client's context and the given Jakarta Security source
     * (tests).
     *
     * @param openId reads a request's OpenIdContext tokens, or null for none
     * @return the reader
     */
    static ServerSessionTokens with(Function<HttpServletRequest, Tokens> openId) {
        return new ServerSessionTokens(openId);
    }

    /**
     * The tokens the server's OIDC login keeps for this request's caller.
     *
     * @param request the request
     * @return the tokens, or null if the request has no authenticated caller with such tokens
     */
    public Tokens read(HttpServletRequest request) {
        if (request.getUserPrincipal() == null) {
            return null;
        }
        Object context = request.getAttribute(ELYTRON_CONTEXT);
        HttpSession session = null;
        if (context == null) {
            session = request.getSession(false);
            if (session == null) {
                return null;
            }
            try {
                context = session.getAttribute(ELYTRON_CONTEXT);
            } catch (IllegalStateException invalidated) {
                return null;
            }
        }
        if (context != null) {
            Tokens tokens = GETTERS.get(context.getClass()).read(context);
            if (tokens != null && !tokens.isEmpty()) {
                return tokens;
            }
        }
        if (openId == null) {
            return null;
        }
        if (session == null && request.getSession(false) == null) {
            return null; // never let a session-scoped bean create a session
        }
        Tokens tokens = openId.apply(request);
        return tokens == null || tokens.isEmpty() ? null : tokens;
    }

    /**
     * The {@code Set-Cookie}s that end elytron-oidc-client's cookie token store, for a logout or a
     * session ended for a revoked token: none unless the request carries {@value #ELYTRON_TOKEN_COOKIE}.
     * elytron sets it at {@code adapter-state-cookie-path} when that is absolute, else at the first
     * segment of the request's path (the context path, for an application that has one) followed by
     * that setting; this expires it at the context path ({@code /} for the root) and at the request's
     * first path segment, and, without HTTPS, in both its plain and its {@code Secure} form (a proxy
     * may terminate TLS). A custom {@code adapter-state-cookie-path} is not known here.
     *
     * @param request the request
     * @return the cookies to add to the response, possibly none
     */
    public static List<Cookie> expiredTokenCookies(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        boolean carried = false;
        for (int i = 0; cookies != null && i < cookies.length && !carried; i++) {
            carried = ELYTRON_TOKEN_COOKIE.equals(cookies[i].getName());
        }
        if (!carried) {
            return List.of();
        }
        Set<String> paths = new LinkedHashSet<>();
        String context = request.getContextPath();
        paths.add(context == null || context.isEmpty() ? "/" : context);
        String uri = request.getRequestURI();
        if (uri != null) {
            int next = uri.indexOf('/', 1);
            String first = next < 0 ? uri : uri.substring(0, next);
            if (PLAIN_SEGMENT.matcher(first).matches()) {
                paths.add(first);
            }
        }
        List<Cookie> out = new ArrayList<>(paths.size() * 2);
        for (String path : paths) {
            out.add(ExpiredCookies.expired(ELYTRON_TOKEN_COOKIE, path, request.isSecure()));
            if (!request.isSecure()) {
                out.add(ExpiredCookies.expired(ELYTRON_TOKEN_COOKIE, path, true));
            }
        }
        return out;
    }

    /** The public getters of an elytron-oidc-client security context, found by name. */
    private record Getters(Method access, Method id, Method refresh) {

        static Getters of(Class<?> type) {
            return new Getters(getter(type, "getTokenString"), getter(type, "getIDTokenString"),
                    getter(type, "getRefreshToken"));
        }

        private static Method getter(Class<?> type, String name) {
            try {
                Method m = type.getMethod(name);
                return m.getReturnType() == String.class ? m : null;
            } catch (NoSuchMethodException | SecurityException e) {
                return null;
            }
        }

        Tokens read(Object context) {
            if (access == null && id == null) {
                return null;
            }
            return new Tokens(call(access, context), call(id, context), call(refresh, context));
        }

        private static String call(Method m, Object target) {
            if (m == null) {
                return null;
            }
            try {
                return (String) m.invoke(target);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: cannot read {0}: {1}", m.getName(), e.toString());
                return null;
            }
        }
    }
}
