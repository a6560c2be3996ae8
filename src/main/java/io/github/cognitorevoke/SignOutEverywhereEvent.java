package io.github.cognitorevoke;

import java.time.Instant;
import java.util.Objects;

/**
 * A sign-out everywhere ({@link TokenRevocationService#signOutEverywhere}) came to a result: every
 * token of the user issued until then is rejected, and Cognito's {@code GlobalSignOut} completed, is
 * pending or was refused. Fired as a CDI event to the application's {@code @Observes} and
 * {@code @ObservesAsync} observers; not fired when the access token fails verification.
 *
 * <p>Carries ids only, never a token or the client secret.
 *
 * @param at            when the sign-out ended
 * @param status        what became of the {@code GlobalSignOut} at Cognito
 * @param refusalReason why Cognito refused; present exactly for {@link LogoutResult.Status#REFUSED},
 *                      else null
 * @param sub           the user's {@code sub}
 */
public record SignOutEverywhereEvent(Instant at, LogoutResult.Status status,
                                     LogoutResult.Refusal.Reason refusalReason, String sub) {

    /**
     * Checks the components.
     *
     * @param at            when the sign-out ended
     * @param status        what became of the {@code GlobalSignOut}
     * @param refusalReason why Cognito refused; non-null exactly for {@code REFUSED}
     * @param sub           the user's {@code sub}
     */
    public SignOutEverywhereEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(sub, "sub");
        if ((refusalReason != null) != (status == LogoutResult.Status.REFUSED)) {
            throw new IllegalArgumentException("a refusalReason goes with status REFUSED and only with it");
        }
    }
}
