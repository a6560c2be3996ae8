package io.github.cognitorevoke.internal;

import io.github.cognitorevoke.RevocationSettings;
import java.time.Duration;
import java.time.Instant;

/**
 * How long each kind of denylist entry lives (L = the longest lifetime of a token that may still be
 * accepted, S = {@code clockSkew}): pure functions of the times involved, so they are table-tested
 * without an engine.
 *
 * <p>L is {@code maxTokenLifetime} until the app client's real validities are known. Once they are
 * read ({@link AppClient}), L is the longer of its access- and ID-token validity, but only from
 * {@code appClientFrom} on: a token issued before the client was last modified may carry the
 * validity it had then, up to {@code maxTokenLifetime}, so until every such token has expired the
 * longer of the two rules holds.
 *
 * @param maxTokenLifetime   the configured longest lifetime of a token of the pool
 * @param clockSkew          S, the skew a verifier allows
 * @param appClientLifetime  the app client's longest access/ID-token validity, or null while unknown
 * @param appClientFrom      from when {@code appClientLifetime} alone is L (ignored while it is null)
 * @param retryGrace         G, the app client's refresh-token rotation grace period, or null while
 *                           unknown (then Cognito's longest, 60 s)
 */
record Lifetimes(Duration maxTokenLifetime, Duration clockSkew, Duration appClientLifetime, Instant appClientFrom,
                 Duration retryGrace) {

    /** Cognito's longest {@code RetryGracePeriodSeconds}: G while the app client is not read. */
    static final Duration LONGEST_GRACE = Duration.ofSeconds(60);

    /**
     * The rules before the app client is read.
     *
     * @param maxTokenLifetime the configured longest lifetime of a token of the pool
     * @param clockSkew        the skew a verifier allows
     */
    Lifetimes(Duration maxTokenLifetime, Duration clockSkew) {
        this(maxTokenLifetime, clockSkew, null, null, null);
    }

    /**
     * The rules with the app client's validity but no grace period read (G = 60 s).
     *
     * @param maxTokenLifetime  the configured longest lifetime of a token of the pool
     * @param clockSkew         the skew a verifier allows
     * @param appClientLifetime the app client's longest access/ID-token validity, or null while unknown
     * @param appClientFrom     from when {@code appClientLifetime} alone is L
     */
    Lifetimes(Duration maxTokenLifetime, Duration clockSkew, Duration appClientLifetime, Instant appClientFrom) {
        this(maxTokenLifetime, clockSkew, appClientLifetime, appClientFrom, null);
    }

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
     * The rules once the app client's settings are read: its validities count from the moment the
     * last token issued under its earlier settings has expired ({@code lastModified} +
     * {@code maxTokenLifetime}; the read time stands in for an unknown {@code lastModified}).
     *
     * @param client the app client as read
     * @param readAt when it was read
     * @return the rules
     */
    Lifetimes with(AppClient client, Instant readAt) {
        Instant modified = client.lastModified() != null && client.lastModified().isBefore(readAt)
                ? client.lastModified() : readAt;
        // Zero for a client that does not rotate (AppClient reads it so).
        return new Lifetimes(maxTokenLifetime, clockSkew, client.longestTokenValidity(),
                modified.plus(maxTokenLifetime), client.retryGracePeriod());
    }

    /** @return G: the grace period read, or Cognito's longest while the app client is not read */
    Duration grace() {
        return retryGrace == null ? LONGEST_GRACE : retryGrace;
    }

    /**
     * L at a moment: the app client's longest validity once known and past {@code appClientFrom};
     * before that the longer of it and {@code maxTokenLifetime}.
     *
     * @param now the moment
     * @return the longest lifetime of a token that may still be accepted
     */
    Duration longest(Instant now) {
        if (appClientLifetime == null) {
            return maxTokenLifetime;
        }
        if (!now.isBefore(appClientFrom)) {
            return appClientLifetime;
        }
        return appClientLifetime.compareTo(maxTokenLifetime) > 0 ? appClientLifetime : maxTokenLifetime;
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
        Duration longest = longest(now);
        return now.plus(longest.compareTo(lifetime) >= 0 ? longest : lifetime).plus(clockSkew);
    }

    /**
     * A family whose revocation goes pending: the pending entry's deadline + max({@code maxTokenLifetime},
     * the client's validity) + S (not L: a validity raised meanwhile would apply), since the
     * refresh token can mint siblings until Cognito confirms or the entry is dropped.
     *
     * @param deadline the pending entry's deadline
     * @return when the entry ends
     */
    Instant pendingFamily(Instant deadline) {
        // Until the deadline the refresh token mints tokens of whatever validity the client has then,
        // which a later change may raise: the configured maximum (or a longer real one) holds.
        Duration longest = appClientLifetime != null && appClientLifetime.compareTo(maxTokenLifetime) > 0
                ? appClientLifetime : maxTokenLifetime;
        return deadline.plus(longest).plus(clockSkew);
    }

    /**
     * A sign-in ({@code sub} + {@code auth_time}) ended by a logout: as long as the family entry
     * ({@link #family}), and G longer. Every token of the sign-in minted before the logout has
     * expired by the family's end; an earlier refresh token of a rotating chain may still be used
     * for G after it was replaced, so tokens minted from it during the grace period die by the
     * sign-in's end too, whether or not Cognito's revocation reached them.
     *
     * @param now       the logout's time
     * @param issuedAt  the presented token's {@code iat}
     * @param expiresAt the presented token's {@code exp}
     * @return when the entry ends
     */
    Instant signIn(Instant now, Instant issuedAt, Instant expiresAt) {
        return family(now, issuedAt, expiresAt).plus(grace());
    }

    /**
     * The last {@code iat} a sign-in entry made now rejects: the end of the second G from now. A token
     * of the sign-in is minted before the logout, or from an earlier refresh token within its grace
     * period; one issued later with the same {@code auth_time} is a new issue (a managed-login session
     * reissuing tokens, a sign-in in the same second as the one ended) and is not rejected.
     *
     * @param now the logout's time
     * @return the bound in epoch seconds
     */
    long signInIssuedUntil(Instant now) {
        return now.plus(issueGrace()).getEpochSecond() - 1;
    }

    /**
     * G as far as the bound of a sign-in entry is concerned: the grace period read from the app
     * client, none while it is not read. A managed-login session reissues tokens with its first
     * {@code auth_time}: with an unread 60 s, a browser whose session ended because its tokens were
     * logged out elsewhere would be sent round the sign-in again and again for a minute. Where the
     * app client is read and rotates, tokens refreshed from an earlier link during its grace period are
     * rejected, and a sign-in again through the managed-login session waits for that grace period.
     * The bound is the second before (logout + G): a browser sent to sign in again in the logout's own
     * second gets tokens of that second, which must not be taken for the ended sign-in's, or it would
     * go round until the second is over. A token another link mints in that same second is the price.
     */
    private Duration issueGrace() {
        return retryGrace == null ? Duration.ZERO : retryGrace;
    }

    /**
     * The last {@code iat} a pending sign-in entry rejects: until the deadline the refresh token may
     * mint tokens, and an earlier one for G more.
     *
     * @param deadline the pending entry's deadline
     * @return the bound in epoch seconds
     */
    long pendingSignInIssuedUntil(Instant deadline) {
        return deadline.plus(issueGrace()).getEpochSecond() - 1;
    }

    /**
     * A sign-in whose revocation goes pending: the held family ({@link #pendingFamily}) and G longer.
     *
     * @param deadline the pending entry's deadline
     * @return when the entry ends
     */
    Instant pendingSignIn(Instant deadline) {
        return pendingFamily(deadline).plus(grace());
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
                now.plus(longest(now)).plus(clockSkew).plusSeconds(1));
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
