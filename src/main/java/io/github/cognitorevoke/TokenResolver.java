package io.github.cognitorevoke;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Where a request's tokens come from: the one seam between HTTP and cognito-revoke.
 *
 * <p>The default reads the access token from {@code Authorization: Bearer} (or the
 * {@code accessTokenCookie}) and, on logout paths only, the refresh token from the
 * {@code refresh_token} form field (or the {@code refreshTokenCookie}). An application that keeps
 * the tokens elsewhere, for example in the HTTP session after an OIDC login, implements this
 * interface (public, with a public no-argument constructor) and names the class in the
 * {@code tokenResolver} init-param.
 *
 * <p>{@link RevocationFilter} asks for {@link TokenType#REFRESH} only on logout paths, so an
 * implementation may read the request body for it without disturbing other requests.
 */
@FunctionalInterface
public interface TokenResolver {

    /**
     * Returns the token of the given type that the request presents.
     *
     * @param request the current request
     * @param type    which token is wanted
     * @return the token, or empty if the request carries none
     * @throws InvalidRequestException if the request is malformed, for example it carries two
     *                                 {@code Authorization} headers or a malformed one; at logout
     *                                 this becomes a 400 answer, elsewhere the request passes on
     */
    Optional<String> resolve(HttpServletRequest request, TokenType type);
}
