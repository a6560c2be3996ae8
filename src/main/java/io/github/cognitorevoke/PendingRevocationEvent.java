package io.github.cognitorevoke;

import java.time.Instant;
import java.util.Objects;

/**
 * A revocation that was answered {@link LogoutResult.Status#PENDING} (Cognito unreachable or
 * throttling) ended later, on the library's background retry thread. Fired as a CDI event to the
 * application's {@code @Observes} and {@code @ObservesAsync} observers.
 *
 * <p>Carries no token and no user id: the pending work keeps only what it needs to call Cognito.
 *
 * @param at            when it ended
 * @param outcome       how it ended
 * @param globalSignOut true for a {@code GlobalSignOut} (a sign-out everywhere), false for a
 *                      {@code RevokeToken} (a logout)
 * @param attempts      the calls to Cognito made in all (0 when it was given up before any retry)
 */
public record PendingRevocationEvent(Instant at, Outcome outcome, boolean globalSignOut, int attempts) {

    /** How a pending revocation ended. */
    public enum Outcome {
        /** Cognito confirmed it. */
        COMPLETED,
        /** Cognito refused it for a reason that retrying will not fix. */
        REFUSED,
        /** Its deadline ({@code pendingDeadline}; for a global sign-out the access token's
         *  {@code exp}) passed first and it was dropped: the refresh token may still be valid at
         *  Cognito (the local denylisting stands). */
        GAVE_UP
    }

    /**
     * Checks the components.
     *
     * @param at            when it ended
     * @param outcome       how it ended
     * @param globalSignOut whether it was a {@code GlobalSignOut}
     * @param attempts      the calls made, not negative
     */
    public PendingRevocationEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(outcome, "outcome");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative: " + attempts);
        }
    }
}
