package io.github.cognitorevoke.internal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a node keeps its pending revocations so that another node can finish them if it goes away.
 *
 * <p>The engine tells the store when an entry becomes pending ({@link #save}) and when it ends
 * ({@link #remove}, {@link #release}); each sweep of the retry thread renews this node's lease and
 * takes over entries of nodes whose lease ran out ({@link #sweep}); {@link #close} gives this node's
 * entries to the others at once. At least once: a node that dies after Cognito answered but before
 * {@link #remove} leaves the entry to another node, which calls Cognito again (RevokeToken and
 * GlobalSignOut are idempotent).
 *
 * <p>No method throws or waits longer than {@code redisTimeout}: a store that cannot write keeps the
 * work and writes it later; the entry always stays pending on this node as well.
 */
public interface PendingStore {

    /** No shared store: pending entries live and die with their node. */
    PendingStore NONE = new PendingStore() {
        @Override
        public void save(Pending pending) {
        }

        @Override
        public void remove(String id) {
        }

        @Override
        public void release(String id) {
        }

        @Override
        public List<Pending> sweep(Instant now) {
            return List.of();
        }

        @Override
        public void giveBack(Pending pending) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * A pending call as a store keeps it: what another node needs to make it.
     *
     * @param id            the entry's name in the store: the hex SHA-256 of the refresh token, or
     *                      {@code g} and the hex SHA-256 of the access token for a GlobalSignOut
     * @param globalSignOut true for a GlobalSignOut, false for a RevokeToken
     * @param verified      whether the entry came with a verified access token (its lane and caps)
     * @param subject       the {@code sub} of a GlobalSignOut (its key on a node), else null
     * @param credential    the token the call sends; secret: only for the call and for encryption
     * @param deadline      when the entry is dropped, fixed when it was first admitted
     */
    record Pending(String id, boolean globalSignOut, boolean verified, String subject, String credential,
                   Instant deadline) {

        /**
         * Checks the components.
         *
         * @param id            the entry's name in the store
         * @param globalSignOut true for a GlobalSignOut
         * @param verified      whether it came with a verified access token
         * @param subject       the subject of a GlobalSignOut, else null
         * @param credential    the token the call sends
         * @param deadline      when the entry is dropped
         */
        public Pending {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(credential, "credential");
            Objects.requireNonNull(deadline, "deadline");
            if (globalSignOut) {
                Objects.requireNonNull(subject, "subject");
            }
        }

        /** @return the entry without its credential: a record's default text would show the token */
        @Override
        public String toString() {
            return "Pending[" + (globalSignOut ? "GlobalSignOut" : "RevokeToken") + ", "
                    + (verified ? "verified" : "unverified") + ", id " + id.substring(0, Math.min(8, id.length()))
                    + "..., deadline " + deadline + "]";
        }
    }

    /**
     * Keeps an entry that just became pending on this node, waiting at most {@code redisTimeout};
     * a write that fails or is late is kept and made at a later {@link #sweep}.
     *
     * @param pending the entry
     */
    void save(Pending pending);

    /**
     * Forgets an entry that ended: Cognito did it or refused it. Does not wait.
     *
     * @param id the entry's id
     */
    void remove(String id);

    /**
     * Stops owning an entry dropped at its deadline (the store lets it expire there). Does not wait.
     *
     * @param id the entry's id
     */
    void release(String id);

    /**
     * Renews this node's lease and takes over a bounded batch of entries left by nodes whose lease
     * ran out; also retries writes that failed before. Waits at most {@code redisTimeout}.
     *
     * @param now the time on this node
     * @return the entries this node now owns, to be worked here; empty if none or the store is down
     */
    List<Pending> sweep(Instant now);

    /**
     * Hands back an entry from {@link #sweep} that this node cannot take (its caps are reached), so
     * that another node takes it.
     *
     * @param pending the entry
     */
    void giveBack(Pending pending);

    /** Releases this node's lease, so that other nodes take over what it leaves, and its resources. */
    void close();
}
