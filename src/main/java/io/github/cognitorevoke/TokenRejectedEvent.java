package io.github.cognitorevoke;

import java.time.Instant;
import java.util.Objects;

/**
 * {@link RevocationFilter} answered 401 to a request because it carried a revoked token. Fired as a
 * CDI event to the application's {@code @Observes} and {@code @ObservesAsync} observers; built only
 * when the application observes it, on the 401 path (requests that pass never pay for it).
 *
 * <p>Carries ids only, never the token.
 *
 * @param at    when the request was rejected
 * @param path  the request's context-relative path ({@code getServletPath() + getPathInfo()}), no
 *              query string
 * @param sub   the rejected token's {@code sub}, or null if it has none
 * @param match which id of the token was found revoked
 */
public record TokenRejectedEvent(Instant at, String path, String sub, Match match) {

    /** Which id of a rejected token was found revoked. */
    public enum Match {
        /** The token's own {@code jti} (the token itself was logged out). */
        JTI,
        /** Its family's {@code origin_jti} (a sibling or the refresh token of the family was logged
         *  out; ID tokens are matched this way). */
        ORIGIN_JTI,
        /** Its user was signed out everywhere after the token was issued. */
        SIGNED_OUT
    }

    /**
     * Checks the components.
     *
     * @param at    when the request was rejected
     * @param path  the context-relative path
     * @param sub   the {@code sub}, or null
     * @param match which id matched
     */
    public TokenRejectedEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(match, "match");
    }
}
