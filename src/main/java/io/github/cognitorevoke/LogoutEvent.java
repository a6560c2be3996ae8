package io.github.cognitorevoke;

import java.time.Instant;
import java.util.Objects;

/**
 * A logout (through the filter or {@link TokenRevocationService#logout}) came to a result. Fired as a
 * CDI event to the application's {@code @Observes} and {@code @ObservesAsync} observers. Not fired for
 * a logout refused before anything changed (no token, a token that fails verification, keys that
 * cannot be fetched).
 *
 * <p>Carries ids only, never a token or the client secret.
 *
 * @param at                    when the logout ended
 * @param status                what became of the revocation at Cognito
 * @param refusalReason         why Cognito refused; present exactly for {@link LogoutResult.Status#REFUSED},
 *                              else null
 * @param accessTokenDenylisted whether an access token was verified and denylisted
 * @param sub                   the verified access token's {@code sub}, or null (refresh token alone)
 * @param jti                   the verified access token's {@code jti}, or null
 * @param signInEnded           whether the token's sign-in ({@code sub} + {@code auth_time}) was ended
 *                              (see {@link LogoutResult#signInEnded()})
 */
public record LogoutEvent(Instant at, LogoutResult.Status status, LogoutResult.Refusal.Reason refusalReason,
                          boolean accessTokenDenylisted, String sub, String jti, boolean signInEnded) {

    /**
     * An event without a sign-in ended.
     *
     * @param at                    when the logout ended
     * @param status                what became of the revocation at Cognito
     * @param refusalReason         why Cognito refused; non-null exactly for {@code REFUSED}
     * @param accessTokenDenylisted whether an access token was denylisted
     * @param sub                   the {@code sub}, or null
     * @param jti                   the {@code jti}, or null
     */
    public LogoutEvent(Instant at, LogoutResult.Status status, LogoutResult.Refusal.Reason refusalReason,
                       boolean accessTokenDenylisted, String sub, String jti) {
        this(at, status, refusalReason, accessTokenDenylisted, sub, jti, false);
    }

    /**
     * Checks the components.
     *
     * @param at                    when the logout ended
     * @param status                what became of the revocation at Cognito
     * @param refusalReason         why Cognito refused; non-null exactly for {@code REFUSED}
     * @param accessTokenDenylisted whether an access token was denylisted
     * @param sub                   the {@code sub}, or null
     * @param jti                   the {@code jti}, or null
     * @param signInEnded           whether the token's sign-in ({@code sub} + {@code auth_time}) was
     *                              ended (see {@link LogoutResult#signInEnded()})
     */
    public LogoutEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(status, "status");
        if ((refusalReason != null) != (status == LogoutResult.Status.REFUSED)) {
            throw new IllegalArgumentException("a refusalReason goes with status REFUSED and only with it");
        }
    }
}
