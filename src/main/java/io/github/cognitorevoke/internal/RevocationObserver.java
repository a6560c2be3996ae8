package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.LogoutResult;
import io.github.cognitorevoke.PendingRevocationEvent;
import io.github.cognitorevoke.TokenRejectedEvent;

/**
 * What the engine reports as it works, for events, metrics and the audit log. Every method has an
 * empty default; an observer must be quick and must not throw (a throwing observer is logged and
 * skipped, never allowed to change an answer). Nothing passed here is secret: no token, no
 * secret, only ids. Kinds of outcome are the public events' own enums, so metrics and events
 * read the same values with no translation between them.
 */
public interface RevocationObserver {

    /**
     * A logout (through the filter or the service) came to this.
     *
     * @param result what was achieved
     * @param sub    the verified access token's {@code sub}, or null (refresh token alone)
     * @param jti    its {@code jti}, or null
     */
    default void loggedOut(LogoutResult result, String sub, String jti) {
    }

    /**
     * A logout with a refresh token alone that Cognito has not accepted (refused, or pending): it
     * is counted, not reported like {@link #loggedOut}, since anyone can send one. If it went
     * pending and completes later, {@link #pendingEnded} tells.
     *
     * @param result what was achieved
     */
    default void loggedOutUnconfirmed(LogoutResult result) {
    }

    /**
     * A sign-out everywhere came to this.
     *
     * @param result what was achieved
     * @param sub    the user
     */
    default void signedOutEverywhere(LogoutResult result, String sub) {
    }

    /**
     * An administrator's sign-out of a user by username came to this; observers that do not tell
     * it apart take it as a {@link #signedOutEverywhere}.
     *
     * @param result what was achieved
     * @param sub    the user
     */
    default void signedOutByAdministrator(LogoutResult result, String sub) {
        signedOutEverywhere(result, sub);
    }

    /**
     * A revocation answered "pending" ended later.
     *
     * @param outcome       how it ended
     * @param globalSignOut true for a GlobalSignOut, false for a RevokeToken
     * @param attempts      the calls made in all
     */
    default void pendingEnded(PendingRevocationEvent.Outcome outcome, boolean globalSignOut, int attempts) {
    }

    /**
     * A request with a revoked token was rejected.
     *
     * @param path  the request's context-relative path
     * @param sub   the token's {@code sub} if the token verifies (signature, issuer, client; not
     *              expiry) and an observer {@linkplain #usesRejectedSubject uses it}, else null
     * @param match which id matched
     */
    default void rejected(String path, String sub, TokenRejectedEvent.Match match) {
    }

    /**
     * Tells whether this observer uses the {@code sub} of {@link #rejected}: finding it costs a
     * signature check, made only when someone uses it.
     *
     * @return true if it does
     */
    default boolean usesRejectedSubject() {
        return false;
    }

    /**
     * One call to Cognito ended.
     *
     * @param globalSignOut true for GlobalSignOut, false for RevokeToken
     * @param outcome       what it came to
     * @param nanos         how long it took
     */
    default void cognitoCalled(boolean globalSignOut, CognitoGateway.Outcome outcome, long nanos) {
    }

    /**
     * One fetch of the pool's key set ended.
     *
     * @param success whether the key set was fetched
     */
    default void jwksFetched(boolean success) {
    }
}
