package io.github.cognitorevoke;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/** A custom resolver for the tests: tokens in {@code X-Access-Token} / {@code X-Refresh-Token}. */
public class HeaderTokenResolver implements TokenResolver {

    @Override
    public Optional<String> resolve(HttpServletRequest request, TokenType type) {
        return Optional.ofNullable(request.getHeader(type == TokenType.ACCESS ? "X-Access-Token" : "X-Refresh-Token"));
    }
}
