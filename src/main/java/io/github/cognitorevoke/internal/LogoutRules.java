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
 */
public final class LogoutRules {

    private final BiFunction<String, String, LogoutResult> logout;
    private final String redirect;

    /**
     * Creates the rules.
     *
     * @param logout   logs out with (access token, refresh token), either may be null
     * @param redirect the {@code logoutRedirect} setting, or null to answer 204
     */
    public LogoutRules(BiFunction<String, String, LogoutResult> logout, String redirect) {
        this.logout = logout;
        this.redirect = redirect;
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
            return refused(Rejection.METHOD_NOT_ALLOWED, "Logout takes POST");
        }
        if (!request.bearerHeader() && request.crossSite()) {
            // Tokens in cookies (or a session) ride along on any site's form POST: refuse those.
            // A browser never attaches a bearer header on its own, so those are not judged.
            return refused(Rejection.CROSS_SITE, "A cross-site logout is refused; send it from the application's own pages");
        }
        String access;
        String refresh;
        try {
            access = request.tokens().apply(TokenType.ACCESS).orElse(null);
            refresh = request.tokens().apply(TokenType.REFRESH).orElse(null);
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
        return switch (result.status()) {
            case COMPLETED -> redirect == null ? new LogoutAnswer.Done()
                    : new LogoutAnswer.Redirect(redirect.startsWith("/") ? request.contextPath() + redirect : redirect);
            case PENDING -> new LogoutAnswer.Pending();
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

    /** Refused before anything changed: the session stays. */
    private static LogoutAnswer refused(Rejection rejection, String description) {
        return new LogoutAnswer.Refused(rejection, description, false);
    }
}
