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
 * @param sub   the rejected token's {@code sub} when the library can vouch for it: the token is
 *              signed by a key of the pool's key set already held (none is fetched for this), with
 *              this pool's {@code iss} and this app client's {@code client_id} (access token) or
 *              {@code aud} (ID token); an expired token still counts. Null otherwise: anyone who
 *              knows a revoked {@code jti} can send an unsigned token with any {@code sub}, and
 *              that request is rejected without naming anyone
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
        SIGNED_OUT,
        /** Its sign-in ({@code sub} + {@code auth_time}) was logged out: any token of that sign-in,
         *  whatever became of its {@code origin_jti} when the refresh token rotated. */
        SIGN_IN
    }

    /**
     * Checks the components.
     *
     * @param at    when the request was rejected
     * @param path  the context-relative path
     * @param sub   the vouched-for {@code sub}, or null
     * @param match which id matched
     */
    public TokenRejectedEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(match, "match");
    }
}
