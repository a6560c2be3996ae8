package io.github.cognitorevoke.internal;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Where revoked token ids, per-user sign-out cut-offs and ended sign-ins ({@code sub} +
 * {@code auth_time}) are kept.
 *
 * <p>The seam for a shared tier: the in-memory {@link CaffeineDenylist} serves one server; an
 * implementation on a shared engine (Redis/Valkey) serves many, and nothing above this interface
 * changes. Every entry carries its own end; an entry is never dropped before it (no size bound)
 * and never shortened: a second {@link #add} of the same id keeps the later end, so no request
 * can cancel or shorten an entry another request made.
 *
 * <p>Writes take effect on this node at once; the future each returns completes when every node can
 * know the entry (at once for a node-local denylist). A shared tier that cannot reach its store keeps
 * the write and replays it: the future then completes late, never exceptionally.
 */
public interface Denylist {

    /** What a node-local write returns: known everywhere it matters as soon as it is made. */
    CompletableFuture<Void> LOCAL = CompletableFuture.completedFuture(null);

    /**
     * Denylists a token id until the given instant, keeping a later end already there: an entry's
     * end is never moved earlier.
     *
     * @param id    a {@code jti} or {@code origin_jti}
     * @param until when the entry may go
     * @return completes when every node can know the entry
     */
    CompletableFuture<Void> add(String id, Instant until);

    /**
     * Tells whether a token id is denylisted now.
     *
     * @param id a {@code jti} or {@code origin_jti}
     * @return true if denylisted
     */
    boolean contains(String id);

    /**
     * Tells whether either of a token's two ids is denylisted now: the same answer as two calls to
     * {@link #contains}, asked at once so that an implementation can overlap the two lookups' memory
     * reads (a token the node has not seen recently finds neither id in any cache).
     *
     * @param first  a {@code jti}, or null
     * @param second an {@code origin_jti}, or null
     * @return true if either is denylisted
     */
    default boolean containsEither(String first, String second) {
        return first != null && contains(first) || second != null && contains(second);
    }

    /** {@link #revoked}: the token's {@code jti} is denylisted. */
    int JTI = 1;
    /** {@link #revoked}: the token's {@code origin_jti} is denylisted. */
    int ORIGIN_JTI = 2;
    /** {@link #revoked}, {@link #subjectMatch}: the token was issued before its subject's cut-off. */
    int SIGNED_OUT = 4;
    /**
     * {@link #revoked}, {@link #subjectMatch}: the token belongs to a sign-in ({@code sub} +
     * {@code auth_time}) that was ended.
     */
    int SIGN_IN_ENDED = 8;
    /** {@link #subjectMatch}: the token is not revoked by its subject's entries. */
    int NO_MATCH = 0;

    /**
     * Every rule at once for one token's ids: the answers of {@link #contains} for its {@code jti} and
     * {@code origin_jti}, and of {@link #subjectMatch} for its subject. An implementation may use the
     * keys the scanner computed with the ids and overlap the lookups' memory reads.
     *
     * @param token the token's ids
     * @return a mask of {@link #JTI}, {@link #ORIGIN_JTI}, {@link #SIGNED_OUT} and {@link #SIGN_IN_ENDED};
     *         0 if not revoked
     */
    default int revoked(TokenIds token) {
        return (token.jti() != null && contains(token.jti()) ? JTI : 0)
                | (token.originJti() != null && contains(token.originJti()) ? ORIGIN_JTI : 0)
                | (token.sub() != null && (token.iat() != Long.MIN_VALUE || token.authTime() != Long.MIN_VALUE)
                        ? subjectMatch(token.sub(), token.iat(), token.authTime()) : NO_MATCH);
    }

    /**
     * Rejects every token of a subject issued before a cut-off, keeping a later cut-off already there.
     *
     * @param subject   the {@code sub} claim
     * @param notBefore tokens issued before this instant are rejected
     * @param until     when the cut-off may go (when every token it covers has expired)
     * @return completes when every node can know the cut-off
     */
    CompletableFuture<Void> cutOff(String subject, Instant notBefore, Instant until);

    /**
     * Returns the subject's cut-off in epoch seconds.
     *
     * @param subject the {@code sub} claim
     * @return the cut-off, or {@link Long#MIN_VALUE} if there is none
     */
    long notBeforeEpochSecond(String subject);

    /**
     * Ends one sign-in: rejects every token that carries this {@code sub} and {@code auth_time} and
     * was issued ({@code iat}) until {@code issuedUntil}, until the given instant, keeping a later end
     * and a later bound already there. The entry is shared as a token id of the form {@link SignIn#id}
     * (so a shared tier carries it as every other id).
     *
     * @param subject     the {@code sub} of a verified token
     * @param authTime    its {@code auth_time} in epoch seconds
     * @param issuedUntil the last {@code iat} (epoch seconds) rejected
     * @param until       when the entry may go
     * @return completes when every node can know the entry
     */
    default CompletableFuture<Void> endSignIn(String subject, long authTime, long issuedUntil, Instant until) {
        return add(SignIn.id(subject, authTime, issuedUntil), until);
    }

    /**
     * Tells whether a token is revoked by its subject's entries: issued ({@code iat}) before the
     * subject's cut-off, or of a sign-in ({@code auth_time}) that was ended and issued until the
     * entry's bound. One lookup by the subject where an implementation keeps both together.
     *
     * @param subject  the {@code sub} claim
     * @param iat      the {@code iat} in epoch seconds, or {@link Long#MIN_VALUE}
     * @param authTime the {@code auth_time} in epoch seconds, or {@link Long#MIN_VALUE}
     * @return {@link #NO_MATCH}, {@link #SIGNED_OUT} or {@link #SIGN_IN_ENDED}
     */
    int subjectMatch(String subject, long iat, long authTime);

    /**
     * Returns how many token ids are denylisted, for metrics; may be approximate.
     *
     * @return the count, or -1 if this denylist cannot tell cheaply
     */
    default long size() {
        return -1;
    }

    /**
     * Tells whether this node's view is complete: always for a node-local denylist; for a shared one,
     * only once its first sync has completed and while it is connected and caught up.
     *
     * @return whether every entry known anywhere is known here
     */
    default boolean inSync() {
        return true;
    }

    /**
     * Describes where entries are kept and the state of the view, for health details; never a
     * password or a token.
     *
     * @return a short description
     */
    default String describe() {
        return "denylist on this node only";
    }

    /** Releases connections and threads, if any. */
    default void close() {
    }
}
