package io.github.cognitorevoke.internal;

import java.time.Instant;

/**
 * Where revoked token ids and per-user sign-out cut-offs are kept.
 *
 * <p>The seam for a shared tier: the in-memory {@link CaffeineDenylist} serves one server; an
 * implementation on a shared engine (Redis/Valkey) serves many, and nothing above this interface
 * changes. Every entry carries its own end; an entry is never dropped before it (no size bound)
 * and never shortened: a second {@link #add} of the same id keeps the later end, so no request
 * can cancel or shorten an entry another request made.
 */
public interface Denylist {

    /**
     * Denylists a token id until the given instant, keeping a later end already there: an entry's
     * end is never moved earlier.
     *
     * @param id    a {@code jti} or {@code origin_jti}
     * @param until when the entry may go
     */
    void add(String id, Instant until);

    /**
     * Tells whether a token id is denylisted now.
     *
     * @param id a {@code jti} or {@code origin_jti}
     * @return true if denylisted
     */
    boolean contains(String id);

    /**
     * Rejects every token of a subject issued before a cut-off, keeping a later cut-off already there.
     *
     * @param subject   the {@code sub} claim
     * @param notBefore tokens issued before this instant are rejected
     * @param until     when the cut-off may go (when every token it covers has expired)
     */
    void cutOff(String subject, Instant notBefore, Instant until);

    /**
     * Returns the subject's cut-off in epoch seconds.
     *
     * @param subject the {@code sub} claim
     * @return the cut-off, or {@link Long#MIN_VALUE} if there is none
     */
    long notBeforeEpochSecond(String subject);

    /**
     * Returns how many token ids are denylisted, for metrics; may be approximate.
     *
     * @return the count, or -1 if this denylist cannot tell cheaply
     */
    default long size() {
        return -1;
    }
}
