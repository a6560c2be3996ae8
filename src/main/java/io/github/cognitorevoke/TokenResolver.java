package io.github.cognitorevoke;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Where a request's tokens come from: the one seam between HTTP and cognito-revoke.
 *
 * <p>The default reads the access token from {@code Authorization: Bearer} (else, with
 * {@code albSessionCookie}, the load balancer's {@code X-Amzn-Oidc-Accesstoken}; else the
 * {@code accessTokenCookie}) and, on logout paths only, the refresh token from the
 * {@code refresh_token} form field (or the {@code refreshTokenCookie}). An application that keeps
 * the tokens elsewhere, for example in the HTTP session after an OIDC login, implements this
 * interface (public, with a public no-argument constructor) and names the class in the
 * {@code tokenResolver} init-param.
 *
 * <p>{@link RevocationFilter} asks for {@link TokenType#REFRESH} only on logout paths, so an
 * implementation may read the request body for it without disturbing other requests. To refuse a
 * logout body it does not read, rather than ignore the refresh token in it, throw
 * {@link UnsupportedMediaTypeException}: the filter answers 415 with
 * {@code Accept-Post: application/x-www-form-urlencoded}, as it does for the built-in resolver.
 */
@FunctionalInterface
public interface TokenResolver {

    /**
     * Returns the token of the given type that the request presents.
     *
     * @param request the current request
     * @param type    which token is wanted
     * @return the token, or empty if the request carries none
     * @throws UnsupportedMediaTypeException if a logout's body is in a media type this resolver does
     *                                       not read; the filter answers 415 at logout (400
     *                                       elsewhere, where no body is read)
     * @throws InvalidRequestException       if the request is malformed, for example it carries two
     *                                       {@code Authorization} headers or a malformed one; the
     *                                       filter answers 400 {@code invalid_request} and the
     *                                       request goes no further, on logout paths and elsewhere
     */
    Optional<String> resolve(HttpServletRequest request, TokenType type);
}
