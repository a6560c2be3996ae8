package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.InvalidRequestException;
import io.github.cognitorevoke.InvalidTokenException;
import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.RevocationUnavailableException;
import io.github.cognitorevoke.TokenResolver;
import io.github.cognitorevoke.TokenType;
import io.github.cognitorevoke.UnsupportedMediaTypeException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The rules of a logout request, from method and origin through token resolution to Cognito's
 * answer, as one plain function from a {@link Request} to a {@link LogoutAnswer}. No servlet
 * container is needed to test them; the filter only reads the request and writes the answer.
 *
 * <p>The same rules serve the sign-out-everywhere paths ({@link #signOutEverywhere}), which take
 * the access token alone.
 *
 * <p>Where the browser goes: a request without a bearer {@code Authorization} header is a
 * browser's (its tokens ride in cookies, the load balancer's header or the session); with managed
 * login set, a browser's completed or accepted logout goes to Cognito's {@code /logout}, which
 * ends the managed-login session and lands on {@code logoutUri}. That wins over
 * {@code logoutRedirect}: Cognito can only send the browser on to {@code logoutUri}, and a browser
 * sent to {@code logoutRedirect} instead would keep its managed-login session. A request with a
 * bearer header is an API client's and is never sent to another origin: {@code logoutRedirect}
 * or 204 when done, 202 when pending.
 */
public final class LogoutRules {

    private final BiFunction<String, String, LogoutResult> logout;
    private final boolean readsRefreshToken;
    private final String what;
    private final String redirect;
    private final String managedLogout;

    /**
     * Creates the rules of a logout without managed login.
     *
     * @param logout   logs out with (access token, refresh token), either may be null
     * @param redirect the {@code logoutRedirect} setting, or null to answer 204
     */
    public LogoutRules(BiFunction<String, String, LogoutResult> logout, String redirect) {
        this(logout, redirect, null);
    }

    /**
     * Creates the rules of a logout.
     *
     * @param logout        logs out with (access token, refresh token), either may be null
     * @param redirect      the {@code logoutRedirect} setting, or null to answer 204
     * @param managedLogout Cognito's {@code /logout} location ({@link ManagedLogin#logoutLocation}),
     *                      or null without managed login
     */
    public LogoutRules(BiFunction<String, String, LogoutResult> logout, String redirect, String managedLogout) {
        this(logout, true, "logout", redirect, managedLogout);
    }

    private LogoutRules(BiFunction<String, String, LogoutResult> logout, boolean readsRefreshToken, String what,
                        String redirect, String managedLogout) {
        this.logout = logout;
        this.readsRefreshToken = readsRefreshToken;
        this.what = what;
        this.redirect = redirect;
        this.managedLogout = managedLogout;
    }

    /**
     * The rules of a sign-out-everywhere path: those of a logout, with the access token alone (the
     * body is not read: {@code GlobalSignOut} ends every refresh token of the user).
     *
     * @param signOut       signs the user of an access token (or null) out everywhere
     * @param redirect      the {@code logoutRedirect} setting, or null to answer 204
     * @param managedLogout Cognito's {@code /logout} location, or null without managed login
     * @return the rules
     */
    public static LogoutRules signOutEverywhere(Function<String, LogoutResult> signOut, String redirect,
                                                String managedLogout) {
        return new LogoutRules((access, refresh) -> signOut.apply(access), false, "sign-out everywhere",
                redirect, managedLogout);
    }

    /**
     * What a logout request presents to the rules.
     *
     * @param method       the HTTP method
     * @param bearerHeader whether it has an {@code Authorization: Bearer} header
     * @param crossSite    whether a browser sent it from another site ({@link CrossSite})
     * @param contextPath  the application's context path
     * @param tokens       the request's tokens by type; called only once the request passed the
     *                     checks above, since resolving may read the body
     */
    public record Request(String method, boolean bearerHeader, boolean crossSite, String contextPath,
                          Function<TokenType, Optional<String>> tokens) {

        /**
         * Reads a servlet request.
         *
         * @param request  the request
         * @param resolver where its tokens come from
         * @return what the rules need of it
         */
        public static Request of(HttpServletRequest request, TokenResolver resolver) {
            return new Request(request.getMethod(), hasBearerHeader(request), CrossSite.judge(request),
                    request.getContextPath(), type -> resolver.resolve(request, type));
        }

        private static boolean hasBearerHeader(HttpServletRequest request) {
            String header = request.getHeader("Authorization");
            return header != null && header.stripLeading().regionMatches(true, 0, "Bearer ", 0, 7);
        }
    }

    /**
     * Decides a logout request; logs out if it passes.
     *
     * @param request the request
     * @return the answer
     */
    public LogoutAnswer decide(Request request) {
        if (!"POST".equals(request.method())) {
            return refused(Rejection.METHOD_NOT_ALLOWED, capitalized(what) + " takes POST");
        }
        if (!request.bearerHeader() && request.crossSite()) {
            // Tokens in cookies (or a session) ride along on any site's form POST: refuse those.
            // A browser never attaches a bearer header on its own, so those are not judged.
            return refused(Rejection.CROSS_SITE, "A cross-site " + what
                    + " is refused; send it from the application's own pages");
        }
        String access;
        String refresh;
        try {
            access = request.tokens().apply(TokenType.ACCESS).orElse(null);
            refresh = readsRefreshToken ? request.tokens().apply(TokenType.REFRESH).orElse(null) : null;
        } catch (UnsupportedMediaTypeException e) {
            return refused(Rejection.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
        } catch (InvalidRequestException e) {
            return refused(Rejection.INVALID_REQUEST, e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The container could not parse the request (a malformed form body or cookie header).
            return refused(Rejection.INVALID_REQUEST, "The request cannot be read");
        }
        LogoutResult result;
        try {
            result = logout.apply(access, refresh);
        } catch (InvalidRequestException e) {
            return refused(Rejection.INVALID_REQUEST, e.getMessage());
        } catch (InvalidTokenException e) {
            return refused(Rejection.INVALID_TOKEN, e.getMessage());
        } catch (RevocationUnavailableException e) {
            return refused(Rejection.UNAVAILABLE, e.getMessage());
        }
        // Only configured values: nothing the request carries reaches the location.
        boolean toCognito = managedLogout != null && !request.bearerHeader();
        return switch (result.status()) {
            case COMPLETED -> toCognito ? new LogoutAnswer.Redirect(managedLogout)
                    : redirect == null ? new LogoutAnswer.Done()
                    : new LogoutAnswer.Redirect(redirect.startsWith("/") ? request.contextPath() + redirect : redirect);
            // The revocation is retried in the background; the managed-login session must end now.
            case PENDING -> toCognito ? new LogoutAnswer.Redirect(managedLogout) : new LogoutAnswer.Pending();
            case REFUSED -> {
                LogoutResult.Refusal r = result.refusal().orElseThrow();
                yield new LogoutAnswer.Refused(rejection(r.reason()), r.description(), result.endsSession());
            }
        };
    }

    private static Rejection rejection(LogoutResult.Refusal.Reason reason) {
        return switch (reason) {
            case NOT_A_REFRESH_TOKEN -> Rejection.UNSUPPORTED_TOKEN_TYPE;
            case TOKEN_NOT_ACCEPTED -> Rejection.INVALID_GRANT;
            case MALFORMED_TOKEN -> Rejection.INVALID_REQUEST;
            case CLIENT_MISCONFIGURED -> Rejection.BAD_GATEWAY;
        };
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Refused before anything changed: the session stays. */
    private static LogoutAnswer refused(Rejection rejection, String description) {
        return new LogoutAnswer.Refused(rejection, description, false);
    }
}
