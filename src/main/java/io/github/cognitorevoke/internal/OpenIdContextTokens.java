package io.github.cognitorevoke.internal;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.security.enterprise.identitystore.openid.AccessToken;
import jakarta.security.enterprise.identitystore.openid.IdentityToken;
import jakarta.security.enterprise.identitystore.openid.OpenIdContext;
import jakarta.security.enterprise.identitystore.openid.RefreshToken;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Function;

/**
 * Jakarta Security 3's {@code OpenIdContext}, the session-scoped bean in which
 * {@code @OpenIdAuthenticationMechanismDefinition} keeps the caller's tokens. Loaded only when the
 * API is on the class path ({@link #detect}); the bean's client proxy, taken once, reads the
 * current request's session on every call.
 */
final class OpenIdContextTokens implements Function<HttpServletRequest, ServerSessionTokens.Tokens> {

    private static final System.Logger LOG = System.getLogger(OpenIdContextTokens.class.getName());

    private final OpenIdContext context;

    private OpenIdContextTokens(OpenIdContext context) {
        this.context = context;
    }

    /**
     * The reader, if the application can have an {@code OpenIdContext}.
     *
     * @return the reader, or null without the API, CDI or a resolvable bean
     */
    static Function<HttpServletRequest, ServerSessionTokens.Tokens> detect() {
        try {
            Class.forName("jakarta.security.enterprise.identitystore.openid.OpenIdContext", false,
                    OpenIdContextTokens.class.getClassLoader());
            Instance<OpenIdContext> instance = CDI.current().select(OpenIdContext.class);
            if (!instance.isResolvable()) {
                return null;
            }
            return new OpenIdContextTokens(instance.get());
        } catch (ClassNotFoundException | LinkageError | IllegalStateException e) {
            return null;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cognito-revoke: no OpenIdContext: {0}", e.toString());
            return null;
        }
    }

    @Override
    public ServerSessionTokens.Tokens apply(HttpServletRequest request) {
        try {
            AccessToken access = context.getAccessToken();
            IdentityToken id = context.getIdentityToken();
            String refresh = context.getRefreshToken().map(RefreshToken::getToken).orElse(null);
            return new ServerSessionTokens.Tokens(access == null ? null : access.getToken(),
                    id == null ? null : id.getToken(), refresh);
        } catch (RuntimeException e) {
            // No active session context for this bean, or a context without tokens.
            return null;
        }
    }
}
