package io.github.cognitorevoke.it.app;

import io.github.cognitorevoke.TokenResolver;
import io.github.cognitorevoke.TokenType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;

/**
 * The filter's token source for an application whose container keeps the caller in the HTTP session
 * ({@link SessionBearerMechanism}): the access token that opened the session, so that the filter checks it on
 * every request that rides on the session, with or without a token of its own; without a session holding
 * one, the request's {@code Authorization: Bearer} token (a logout from another device). The session's token
 * comes first because the container, too, takes the caller from the session before any token.
 *
 * <p>No refresh tokens: the tests that use it log out with the access token alone.
 */
public class SessionTokenResolver implements TokenResolver {

    /** The session attribute that holds the access token. */
    public static final String ACCESS_TOKEN = "access_token";
    private static final String BEARER = "Bearer ";

    @Override
    public Optional<String> resolve(HttpServletRequest request, TokenType type) {
        if (type != TokenType.ACCESS) {
            return Optional.empty();
        }
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(ACCESS_TOKEN) instanceof String held) {
            return Optional.of(held);
        }
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? Optional.of(header.substring(BEARER.length()).trim())
                : Optional.empty();
    }
}
