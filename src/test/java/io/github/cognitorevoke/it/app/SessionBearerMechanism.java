package io.github.cognitorevoke.it.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.AutoApplySession;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@link BearerTokenMechanism} with Jakarta Security's {@code @AutoApplySession}: after one request with a
 * valid token the container keeps the caller in the HTTP session, and a later request that carries the
 * session cookie is authenticated from the session before the mechanism looks at any token.
 *
 * <p>It also keeps the token that opened the session in it (as applications do that call other services
 * with it), under {@link SessionTokenResolver#ACCESS_TOKEN}: nothing reads it unless the filter is given
 * {@link SessionTokenResolver}.
 */
@ApplicationScoped
@AutoApplySession
public class SessionBearerMechanism extends BearerTokenMechanism {

    @Override
    protected void loggedIn(HttpServletRequest request, String token) {
        request.getSession().setAttribute(SessionTokenResolver.ACCESS_TOKEN, token);
    }
}
