package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationSettings;
import java.time.Duration;
import java.time.Instant;

/**
 * How long each kind of denylist entry lives (L = {@code maxTokenLifetime}, S = {@code clockSkew}):
 * pure functions of the times involved, so they are table-tested without an engine.
 *
 * @param maxTokenLifetime L, the longest lifetime of a token of the pool
 * @param clockSkew        S, the skew a verifier allows
 */
record Lifetimes(Duration maxTokenLifetime, Duration clockSkew) {

    /**
     * The rules of a deployment.
     *
     * @param settings the settings
     * @return its rules
     */
    static Lifetimes of(RevocationSettings settings) {
        return new Lifetimes(settings.maxTokenLifetime(), settings.clockSkew());
    }

    /**
     * A token's own {@code jti}: until a verifier with the skew stops accepting it, {@code exp} + S.
     *
     * @param expiresAt the token's {@code exp}
     * @return when the entry ends
     */
    Instant jti(Instant expiresAt) {
        return expiresAt.plus(clockSkew);
    }

    /**
     * A family ({@code origin_jti}) whose refresh token is revoked, refused or absent:
     * now + max(L, the presented token's {@code exp - iat}) + S, since an ID token of the family may
     * outlive the access token.
     *
     * @param now       the logout's time
     * @param issuedAt  the presented token's {@code iat}
     * @param expiresAt the presented token's {@code exp}
     * @return when the entry ends
     */
    Instant family(Instant now, Instant issuedAt, Instant expiresAt) {
        Duration lifetime = Duration.between(issuedAt, expiresAt);
        return now.plus(maxTokenLifetime.compareTo(lifetime) >= 0 ? maxTokenLifetime : lifetime).plus(clockSkew);
    }

    /**
     * A family whose revocation goes pending: the pending entry's deadline + L + S, since the
     * refresh token can mint siblings until Cognito confirms or the entry is dropped.
     *
     * @param deadline the pending entry's deadline
     * @return when the entry ends
     */
    Instant pendingFamily(Instant deadline) {
        return deadline.plus(maxTokenLifetime).plus(clockSkew);
    }

    /**
     * A sign-out cut-off made now: every token issued until the end of the current second is
     * rejected (tokens carry whole seconds, so none issued before slips by), for L + S and that second.
     *
     * @param now the sign-out's time
     * @return the cut-off
     */
    CutOff cutOff(Instant now) {
        return new CutOff(Instant.ofEpochSecond(now.getEpochSecond() + 1),
                now.plus(maxTokenLifetime).plus(clockSkew).plusSeconds(1));
    }

    /**
     * A subject's cut-off.
     *
     * @param notBefore tokens issued before it are rejected
     * @param until     when the entry ends
     */
    record CutOff(Instant notBefore, Instant until) {
    }
}
