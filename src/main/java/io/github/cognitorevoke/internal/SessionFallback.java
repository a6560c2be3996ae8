package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.TokenType;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A logout's tokens: the request's own (bearer header, cookies, form, the load balancer's header)
 * when it carries an access token; else both from the session the server's OIDC login keeps
 * ({@link ServerSessionTokens}). Never a mix of the two: a request that presents an access token
 * logs out with that token and its own refresh token only. One per request.
 */
public final class SessionFallback implements Function<TokenType, Optional<String>> {

    private final Function<TokenType, Optional<String>> presented;
    private final Supplier<ServerSessionTokens.Tokens> session;
    private ServerSessionTokens.Tokens held;

    /**
     * Creates the fallback.
     *
     * @param presented the request's tokens by type
     * @param session   the session's tokens, or null; read at most once
     */
    public SessionFallback(Function<TokenType, Optional<String>> presented,
                           Supplier<ServerSessionTokens.Tokens> session) {
        this.presented = presented;
        this.session = session;
    }

    @Override
    public Optional<String> apply(TokenType type) {
        if (type == TokenType.ACCESS) {
            Optional<String> access = presented.apply(type);
            if (access.isPresent()) {
                return access;
            }
            held = session.get();
            return held == null ? Optional.empty() : Optional.ofNullable(held.access());
        }
        if (held != null) {
            return Optional.ofNullable(held.refresh());
        }
        return presented.apply(type);
    }
}
